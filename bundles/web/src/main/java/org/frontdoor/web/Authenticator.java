package org.frontdoor.web;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.Principal;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

import javax.security.auth.Subject;
import javax.security.auth.callback.Callback;
import javax.security.auth.callback.CallbackHandler;
import javax.security.auth.callback.NameCallback;
import javax.security.auth.callback.PasswordCallback;
import javax.security.auth.callback.UnsupportedCallbackException;
import javax.security.auth.login.Configuration;
import javax.security.auth.login.LoginContext;
import javax.security.auth.login.LoginException;

import org.apache.karaf.jaas.boot.ProxyLoginModule;
import org.apache.karaf.jaas.boot.principal.ClientPrincipal;
import org.apache.karaf.jaas.boot.principal.RolePrincipal;

/**
 * HTTP Basic against a Karaf JAAS realm. Successful logins are remembered for a short while under a salted hash
 * of the credentials (never the password itself), so a burst of requests does not run the login modules each
 * time; a changed or removed user is seen once the entry expires.
 */
final class Authenticator {

    /** Who logged in, with the roles of the realm. */
    record User(String name, Set<String> roles) {
    }

    /** Logs a user in; returns the roles, or throws when the credentials are wrong. */
    @FunctionalInterface
    interface Realm {
        Set<String> login(String user, char[] password) throws LoginException;
    }

    private record Cached(User user, Instant expires) {
    }

    private final Realm realm;
    private final Clock clock;
    private final Duration ttl;
    private final byte[] salt = new byte[16];
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();
    private final LoginThrottle throttle;

    Authenticator(Realm realm, Clock clock, Duration ttl, LoginThrottle throttle) {
        this.realm = realm;
        this.clock = clock;
        this.ttl = ttl;
        this.throttle = throttle;
        new SecureRandom().nextBytes(salt);
    }

    LoginThrottle throttle() {
        return throttle;
    }

    /**
     * @param address the client's address, whose failed logins are counted too
     * @return the user, or null when the header is missing, malformed or the credentials are wrong
     * @throws LoginThrottle.Locked when the user name or the address has failed too often lately: the credentials
     *         were not checked
     */
    User authenticate(String authorization, String address) throws LoginThrottle.Locked {
        String[] credentials = parseBasic(authorization);
        if (credentials == null) {
            return null;
        }
        return login(credentials[0], credentials[1], address);
    }

    /**
     * Logs a user in with a name and password (the console's login form), throttled as HTTP Basic is.
     *
     * @return the user, or null when the credentials are wrong
     * @throws LoginThrottle.Locked when the user name or the address has failed too often lately
     */
    User login(String name, String password, String address) throws LoginThrottle.Locked {
        if (name == null || name.isEmpty() || password == null) {
            return null;
        }
        String[] credentials = {name, password};
        throttle.check(credentials[0], address);
        String key = key(credentials[0], credentials[1]);
        Instant now = clock.instant();
        Cached cached = cache.get(key);
        if (cached != null && now.isBefore(cached.expires())) {
            throttle.succeeded(credentials[0]);
            return cached.user();
        }
        throttle.begin(credentials[0], address);
        Set<String> roles;
        try {
            roles = realm.login(credentials[0], credentials[1].toCharArray());
        } catch (LoginException e) {
            cache.remove(key);
            throttle.failed(credentials[0], address);
            return null;
        } catch (RuntimeException | Error e) {
            throttle.abandoned(credentials[0], address);
            throw e;
        }
        throttle.succeeded(credentials[0], address);
        User user = new User(credentials[0], Set.copyOf(roles));
        if (cache.size() > 10_000) {
            cache.clear();
        }
        cache.put(key, new Cached(user, now.plus(ttl)));
        return user;
    }

    /**
     * Forgets a remembered login, so the next request logs in again: used when the caller was refused for lack
     * of a role, so a role granted a moment later (jaas:group-add) counts at once rather than after the cache entry
     * expires.
     */
    void forget(String authorization) {
        String[] credentials = parseBasic(authorization);
        if (credentials != null) {
            cache.remove(key(credentials[0], credentials[1]));
        }
    }

    /** Forgets every remembered login of a user, so a changed password or role counts at the next request. */
    void forgetUser(String name) {
        cache.values().removeIf(cached -> cached.user().name().equals(name));
    }

    /** {@code Basic base64(user:password)} to {user, password}, or null when it is not that. */
    static String[] parseBasic(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            return null;
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(authorization.substring(6).trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return null;
        }
        int colon = decoded.indexOf(':');
        if (colon <= 0) {
            return null;
        }
        return new String[] {decoded.substring(0, colon), decoded.substring(colon + 1)};
    }

    private String key(String user, String password) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(salt);
            digest.update(user.getBytes(StandardCharsets.UTF_8));
            digest.update((byte) 0);
            digest.update(password.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Logs in through the named realm of Karaf's JAAS configuration (the JVM-wide one Karaf installs). */
    static Realm jaas(String realmName) {
        return jaas(realmName, null);
    }

    /** Logs in through the named realm of the given JAAS configuration, or of the JVM-wide one when null. */
    static Realm jaas(String realmName, Configuration configuration) {
        return (user, password) -> {
            Subject subject = new Subject();
            Thread thread = Thread.currentThread();
            ClassLoader previous = thread.getContextClassLoader();
            // LoginContext loads the login module through the context class loader: Karaf's proxy module is
            // visible from this bundle
            thread.setContextClassLoader(ProxyLoginModule.class.getClassLoader());
            try {
                CallbackHandler handler = callbacks -> {
                    for (Callback callback : callbacks) {
                        if (callback instanceof NameCallback name) {
                            name.setName(user);
                        } else if (callback instanceof PasswordCallback pw) {
                            pw.setPassword(password);
                        } else {
                            throw new UnsupportedCallbackException(callback);
                        }
                    }
                };
                LoginContext login = configuration == null
                        ? new LoginContext(realmName, subject, handler)
                        : new LoginContext(realmName, subject, handler, configuration);
                // the REST layer throttles before asking: the realm's login module must not count this login again
                subject.getPrincipals().add(new ClientPrincipal(AccountLoginModule.REST_CLIENT, "rest"));
                login.login();
                return subject.getPrincipals(RolePrincipal.class).stream().map(Principal::getName)
                        .collect(Collectors.toSet());
            } finally {
                thread.setContextClassLoader(previous);
            }
        };
    }
}
