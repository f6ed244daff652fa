package org.frontdoor.web;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * What a resource method of {@code /api/v1} names, and so who may call it and what a caller outside its scope gets
 * ({@link RestHandler.Kind}); {@link AccessFilter} enforces it before the method runs, and refuses a method without
 * it. docs/access.md has a row for each.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Access {

    /** What the method names. */
    RestHandler.Kind value();

    /** The 403's reason for a caller without the role ({@link RestHandler.Kind#ADMIN}, SUPERVISOR). */
    String refusal() default "";

    /**
     * The 404's reason when the inbox says the thing named does not exist or is outside the caller's scope; {id} is
     * the path's first parameter. Empty: the {@link RestHandler.Kind}'s own ("no conversation {id}").
     */
    String absent() default "";
}
