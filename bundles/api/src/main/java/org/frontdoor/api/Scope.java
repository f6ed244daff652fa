package org.frontdoor.api;

import java.util.Collection;
import java.util.Objects;
import java.util.Set;

/**
 * What a caller may see and change: every department, or only some. A conversation not routed yet (no department)
 * is only within the scope of everything.
 *
 * <p>Scopes are applied by the services themselves, in the database query: a conversation, customer or event outside
 * the scope is not returned, is answered as absent ({@link java.util.NoSuchElementException} for a single one), and
 * cannot be changed; a scope never tells what other departments hold. An event is within a scope when both its own
 * department and the conversation's department now are: once a conversation has moved out of a scope, its earlier
 * events are no longer read under it. A logged-in user's scope comes from core ({@code Agents.scopeOf}): an admin's
 * is {@link #ALL}; anyone else's covers the departments whose {@code readGroups} hold one of their roles and those
 * they are an agent of. A plugin's calls run under the scope of the {@link Caller} it passes: {@link #ALL} for
 * {@link Caller#system(String)}.
 *
 * <p>A record: immutable and safe to share between threads.
 *
 * @param all         whether the scope covers every department
 * @param departments the departments covered when {@code all} is false
 */
public record Scope(boolean all, Set<String> departments) {

    /** Every department, and conversations not routed yet. */
    public static final Scope ALL = new Scope(true, Set.of());

    /**
     * @throws NullPointerException     when {@code departments} is null
     * @throws IllegalArgumentException when {@code all} is true and departments are named
     */
    public Scope {
        departments = Set.copyOf(Objects.requireNonNull(departments, "departments"));
        if (all && !departments.isEmpty()) {
            throw new IllegalArgumentException("a scope of everything names no departments");
        }
    }

    /** Only these departments (none at all when empty). */
    public static Scope departments(Collection<String> departments) {
        return new Scope(false, Set.copyOf(departments));
    }

    /** Whether something of this department (null: not routed yet) is within the scope. */
    public boolean covers(String department) {
        return all || (department != null && departments.contains(department));
    }
}
