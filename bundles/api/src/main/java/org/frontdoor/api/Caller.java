package org.frontdoor.api;

import java.util.Objects;
import java.util.Set;

/**
 * Who is asking: every read and change of conversations, customers and events names its caller, and is limited to
 * the caller's {@link Scope}. The REST API and the console pass the logged-in user; a bundle acting on its own
 * (a department integration, a rule) passes {@link #system(String)}.
 *
 * @param name  the user name, recorded as the author of what the caller does
 * @param roles the caller's roles, such as {@code admin} or {@code agent}
 * @param scope what the caller may see and change
 */
public record Caller(String name, Set<String> roles, Scope scope) {

    /**
     * The role of {@link #system}: a bundle acting on its own. The REST API and the console never pass it on from a
     * user's roles ({@link #asUser}).
     */
    public static final String SYSTEM_ROLE = "system";

    public Caller {
        Objects.requireNonNull(name, "name");
        if (name.isBlank()) {
            throw new IllegalArgumentException("a caller has a name");
        }
        roles = Set.copyOf(Objects.requireNonNull(roles, "roles"));
        Objects.requireNonNull(scope, "scope");
    }

    /** Frontdoor itself or a trusted bundle, with the scope of everything. */
    public static Caller system(String name) {
        return new Caller(name, Set.of(SYSTEM_ROLE), Scope.ALL);
    }

    /** A logged-in user: their roles, never {@link #SYSTEM_ROLE} whatever the user store says. */
    public static Caller asUser(String name, Set<String> roles, Scope scope) {
        Set<String> own = new java.util.HashSet<>(roles);
        own.remove(SYSTEM_ROLE);
        return new Caller(name, own, scope);
    }

    public boolean hasRole(String role) {
        return roles.contains(role);
    }
}
