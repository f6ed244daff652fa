package org.frontdoor.api;

import java.util.Objects;
import java.util.Set;

/**
 * Who is asking: every read and change of conversations, customers and events names its caller, and is limited to
 * the caller's {@link Scope}. The REST API and the console pass the logged-in user; a bundle acting on its own
 * (a department integration, a rule) passes {@link #system(String)}.
 *
 * <h2>What a Caller is for</h2>
 * Frontdoor has no ambient security context: a service such as {@link org.frontdoor.api.inbox.Inbox} does not look
 * at the thread, the OSGi bundle or a login session to decide what may be seen, it looks at the {@code Caller}
 * argument, and only at it. A caller carries three things: the name recorded as the actor of what it changes (in the
 * event log's {@link ConversationEvent#actor()} and the audit trail), the roles some calls check (an agent assigns
 * conversations to itself only, a {@code supervisor}, an {@code admin} or {@link #SYSTEM_ROLE} to others; the store
 * check is for {@code admin} or {@code system}; {@code system} may reply through another door to any recipient), and
 * the {@link Scope}: the departments whose conversations it sees. Outside its scope a conversation is answered as
 * absent (empty, or {@link java.util.NoSuchElementException}).
 *
 * <h2>Which caller a plugin passes</h2>
 * A plugin's own calls run under the caller it passes, nothing else. A plugin acting on its own behalf (an
 * integration annotating a conversation it was told about, a door confirming an address) passes
 * {@code Caller.system("<its name>")}: scope {@link Scope#ALL}, role {@code system}, its name as the actor; choose a
 * name an admin recognises in the audit trail, such as the consumer name. A plugin acting for a user (a servlet of its
 * own behind a login) builds the caller with {@link #asUser(String, Set, Scope)}, which strips {@code system} from the
 * roles, and the scope of that user's departments: never {@code system} for what a user asked. Routing rules and
 * classifiers are given a {@link RoutingContext} instead and pass no caller.
 *
 * <p>A record: immutable, safe to keep and to share between threads (one {@code Caller.system(...)} per plugin
 * instance is enough).
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

    /**
     * @throws NullPointerException     when a part is null
     * @throws IllegalArgumentException when the name is blank
     */
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

    /** Whether the caller has this role ({@code admin}, {@code supervisor}, {@code agent}, {@code system}). */
    public boolean hasRole(String role) {
        return roles.contains(role);
    }
}
