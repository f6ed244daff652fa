package org.frontdoor.web;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Browser sessions of the REST API (the console): a random id of 256 bits in an HttpOnly, SameSite=Strict cookie,
 * and a CSRF token of 256 bits that every state-changing call made with the cookie brings back in
 * {@value #CSRF_HEADER}. A session not used for the idle timeout is gone; so is every session of a user whose
 * login changed (password, roles).
 *
 * <p>Sessions are kept in this node's memory, not in the database: a second node behind a load balancer does not
 * know them, so the balancer keeps a browser on one node (sticky sessions, on the {@value #COOKIE} cookie). A node
 * that restarts forgets its sessions: the console asks its user to log in again. (docs/console.md)
 */
final class Sessions {

    static final String COOKIE = "frontdoor_session";
    static final String CSRF_HEADER = "X-CSRF-Token";
    /** Beyond this many live sessions the least recently used are dropped, so a flood of logins cannot exhaust memory. */
    static final int MAX_SESSIONS = 10_000;

    /** A logged-in browser: who, the token its changes must bring, when it was last used. */
    static final class Session {
        final String id;
        final Authenticator.User user;
        final String csrfToken;
        volatile Instant lastUsed;

        Session(String id, Authenticator.User user, String csrfToken, Instant lastUsed) {
            this.id = id;
            this.user = user;
            this.csrfToken = csrfToken;
            this.lastUsed = lastUsed;
        }

        /** Whether a request's token is this session's, compared in constant time. */
        boolean csrfMatches(String token) {
            return token != null && MessageDigest.isEqual(token.getBytes(StandardCharsets.UTF_8),
                    csrfToken.getBytes(StandardCharsets.UTF_8));
        }
    }

    private final Clock clock;
    private volatile Duration idle;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Session> sessions = new ConcurrentHashMap<>();

    Sessions(Clock clock, Duration idle) {
        this.clock = clock;
        this.idle = idle;
    }

    void idleTimeout(Duration idle) {
        this.idle = idle;
    }

    Duration idleTimeout() {
        return idle;
    }

    Session create(Authenticator.User user) {
        if (sessions.size() >= MAX_SESSIONS) {
            expire();
            if (sessions.size() >= MAX_SESSIONS) {
                sessions.values().stream().min(java.util.Comparator.comparing(s -> s.lastUsed))
                        .ifPresent(s -> sessions.remove(s.id));
            }
        }
        Session session = new Session(token(), user, token(), clock.instant());
        sessions.put(session.id, session);
        return session;
    }

    /** The live session of this id, marked as used now; empty when unknown, ended or idle too long (then ended). */
    Optional<Session> find(String id) {
        if (id == null) {
            return Optional.empty();
        }
        Session session = sessions.get(id);
        if (session == null) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        if (!now.isBefore(session.lastUsed.plus(idle))) {
            sessions.remove(id);
            return Optional.empty();
        }
        session.lastUsed = now;
        return Optional.of(session);
    }

    void end(String id) {
        if (id != null) {
            sessions.remove(id);
        }
    }

    /** Ends every session of a user (a changed password or roles counts at once). */
    void endAllOf(String user) {
        sessions.values().removeIf(s -> s.user.name().equals(user));
    }

    int size() {
        return sessions.size();
    }

    private void expire() {
        Instant now = clock.instant();
        sessions.values().removeIf(s -> !now.isBefore(s.lastUsed.plus(idle)));
    }

    private String token() {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** The session id in a Cookie header, or null. */
    static String idFrom(String cookieHeader) {
        if (cookieHeader == null) {
            return null;
        }
        for (String part : cookieHeader.split(";")) {
            String p = part.strip();
            if (p.startsWith(COOKIE + "=")) {
                String value = p.substring(COOKIE.length() + 1);
                return value.isEmpty() ? null : value;
            }
        }
        return null;
    }

    /** The Set-Cookie value of a session; Secure when the request came over TLS. */
    static String cookie(String id, boolean secure) {
        return COOKIE + "=" + id + "; Path=/; HttpOnly; SameSite=Strict" + (secure ? "; Secure" : "");
    }

    /** The Set-Cookie value that removes the cookie. */
    static String cleared(boolean secure) {
        return COOKIE + "=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict" + (secure ? "; Secure" : "");
    }
}
