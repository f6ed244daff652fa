package org.frontdoor.web;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.frontdoor.api.accounts.BrowserSessions;

/**
 * Browser sessions of the REST API (the console): a random id of 256 bits in an HttpOnly, SameSite=Strict cookie,
 * and a CSRF token that every state-changing call made with the cookie brings back in {@value #CSRF_HEADER}. A
 * session not used for the idle timeout is gone; so is every session of a user whose login changed (password, roles).
 *
 * <p>Sessions are kept by the store ({@link BrowserSessions}, table {@code browser_session}) under the SHA-256 of their
 * id, so every node on the database knows every session (no sticky load balancing) and a restart forgets none. The
 * CSRF token is derived from the id (SHA-256 of a label and the id): any node that sees the cookie computes it, no
 * page can (the cookie is HttpOnly and the token's only other copy is in the session's own page). A use is written at
 * most every {@link #TOUCH_EVERY} per session, so the idle timeout may run that much late. Without the store's service
 * (unit tests, a web bundle started before the store) sessions live in this node's memory, at most
 * {@value #MAX_SESSIONS} of them. (docs/console.md)
 */
final class Sessions {

    static final String COOKIE = "frontdoor_session";
    static final String CSRF_HEADER = "X-CSRF-Token";
    /** Beyond this many live sessions in memory the least recently used are dropped. */
    static final int MAX_SESSIONS = 10_000;
    /** How often a session's use is written to the store at most. */
    static final Duration TOUCH_EVERY = Duration.ofSeconds(30);

    /** A logged-in browser: who, the token its changes must bring, when it was last used. */
    static final class Session {
        final String id;
        final Authenticator.User user;
        final String csrfToken;
        final Instant lastUsed;

        Session(String id, Authenticator.User user, Instant lastUsed) {
            this.id = id;
            this.user = user;
            this.csrfToken = csrfOf(id);
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
    private final java.util.concurrent.atomic.AtomicReference<BrowserSessions> store =
            new java.util.concurrent.atomic.AtomicReference<>();
    private final InMemory memory = new InMemory();

    /** Sessions in this node's memory until {@link #useStore} gives the store's. */
    Sessions(Clock clock, Duration idle) {
        this.clock = clock;
        this.idle = idle;
    }

    /** Keeps sessions in the store from now on. */
    void useStore(BrowserSessions store) {
        this.store.set(store);
    }

    /** The store went: sessions in memory again, unless another store took its place already. */
    void releaseStore(BrowserSessions store) {
        this.store.compareAndSet(store, null);
    }

    void idleTimeout(Duration idle) {
        this.idle = idle;
    }

    Duration idleTimeout() {
        return idle;
    }

    private BrowserSessions backend() {
        BrowserSessions s = store.get();
        return s == null ? memory : s;
    }

    Session create(Authenticator.User user) {
        Instant now = clock.instant();
        BrowserSessions backend = backend();
        backend.endIdleSince(now.minus(idle));
        String id = token();
        backend.create(hash(id), user.name(), user.roles(), now);
        return new Session(id, user, now);
    }

    /** The live session of this id, its use recorded; empty when unknown, ended or idle too long (then ended). */
    Optional<Session> find(String id) {
        if (id == null || id.length() > 100) {
            return Optional.empty();
        }
        BrowserSessions backend = backend();
        String hash = hash(id);
        Optional<BrowserSessions.Session> stored = backend.find(hash);
        if (stored.isEmpty()) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        Instant last = stored.get().lastUsed();
        if (!now.isBefore(last.plus(idle))) {
            backend.end(hash);
            return Optional.empty();
        }
        if (!now.isBefore(last.plus(TOUCH_EVERY))) {
            backend.touch(hash, now);
        }
        return Optional.of(new Session(id, new Authenticator.User(stored.get().user(), stored.get().roles()), now));
    }

    void end(String id) {
        if (id != null && id.length() <= 100) {
            backend().end(hash(id));
        }
    }

    /** Ends every session of a user (a changed password or roles counts at once), on every node. */
    void endAllOf(String user) {
        backend().endAllOf(user);
        memory.endAllOf(user);
    }

    private String token() {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** How the store knows a session: the SHA-256 of its id, in hex. */
    static String hash(String id) {
        return HexFormat.of().formatHex(sha256("frontdoor-session-id\0" + id));
    }

    /** A session's CSRF token: derived from its id, so every node computes the same. */
    static String csrfOf(String id) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(sha256("frontdoor-csrf\0" + id));
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this Java", e);
        }
    }

    /** Sessions in this node's memory: without the store's service. */
    static final class InMemory implements BrowserSessions {
        private final Map<String, BrowserSessions.Session> sessions = new ConcurrentHashMap<>();

        @Override
        public void create(String idHash, String user, Set<String> roles, Instant now) {
            if (sessions.size() >= MAX_SESSIONS) {
                sessions.entrySet().stream().min(java.util.Map.Entry.comparingByValue(
                        java.util.Comparator.comparing(BrowserSessions.Session::lastUsed))).ifPresent(e -> sessions.remove(e.getKey()));
            }
            sessions.put(idHash, new BrowserSessions.Session(user, roles, now));
        }

        @Override
        public Optional<BrowserSessions.Session> find(String idHash) {
            return Optional.ofNullable(sessions.get(idHash));
        }

        @Override
        public void touch(String idHash, Instant now) {
            sessions.computeIfPresent(idHash, (k, s) -> now.isAfter(s.lastUsed()) ? new BrowserSessions.Session(s.user(), s.roles(),
                    now) : s);
        }

        @Override
        public void end(String idHash) {
            sessions.remove(idHash);
        }

        @Override
        public int endAllOf(String user) {
            int before = sessions.size();
            sessions.values().removeIf(s -> s.user().equals(user));
            return before - sessions.size();
        }

        @Override
        public int endIdleSince(Instant before) {
            int n = sessions.size();
            sessions.values().removeIf(s -> s.lastUsed().isBefore(before));
            return n - sessions.size();
        }

        int size() {
            return sessions.size();
        }
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
