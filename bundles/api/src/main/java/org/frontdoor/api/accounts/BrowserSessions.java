package org.frontdoor.api.accounts;

import java.time.Instant;
import java.util.Optional;
import java.util.Set;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Where the REST API keeps browser sessions (the console's login), shared by every node on one database: a session
 * made on one node is known on the others, and survives a node's restart. Sessions are known by the SHA-256 of their
 * id (64 hex digits), never by the id: whoever reads the store cannot open a session. Implemented by the store; the
 * web bundle decides what an id is, when a session is idle too long and what its CSRF token is.
 *
 * @since 1.1
 */
@ProviderType
public interface BrowserSessions {

    /**
     * A stored session.
     *
     * @param user     who logged in
     * @param roles    their roles at login (a change of roles ends their sessions: {@link #endAllOf})
     * @param lastUsed when a request last used it, as recorded by {@link #touch}
     */
    record Session(String user, Set<String> roles, Instant lastUsed) {
        public Session {
            roles = Set.copyOf(roles);
        }
    }

    /** Records a new session. */
    void create(String idHash, String user, Set<String> roles, Instant now);

    /** The session, when there is one with this hash. */
    Optional<Session> find(String idHash);

    /** Records a use of the session at {@code now} (a later time only: uses on two nodes never move it back). */
    void touch(String idHash, Instant now);

    /** Ends one session (logout); nothing when there is none. */
    void end(String idHash);

    /** Ends every session of a user: a changed password or roles, a disabled account. Returns how many ended. */
    int endAllOf(String user);

    /** Ends the sessions last used before {@code before} (idle too long). Returns how many ended. */
    int endIdleSince(Instant before);
}
