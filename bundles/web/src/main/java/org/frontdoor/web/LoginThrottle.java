package org.frontdoor.web;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts failed logins per user name and per client address. {@code maxFailuresPerUser} failures of one name (or
 * {@code maxFailuresPerAddress} from one address) within {@code window} lock that name (or address) for
 * {@code window} from the failure that reached the limit: every attempt is refused before the realm is asked, with the
 * right password too. A success forgets the name's failures, never the address's (else one valid account would reset a
 * guesser's count). Each map keeps at most {@code maxEntries}, the least recently touched going first, so a flood of
 * made-up names costs bounded memory. The REST API has one (checked before the realm is asked); the realm's login
 * module has another for the logins that do not come through REST (SSH, JMX).
 */
final class LoginThrottle {

    private static final Logger LOG = LoggerFactory.getLogger(LoginThrottle.class);
    /** Names longer than this are kept as a hash: no real user has one, and a long header costs no memory. */
    private static final int LONGEST_KEPT_NAME = 128;
    /** Lockout lines logged per minute at most; the rest are counted in the next line. */
    private static final int LOCKOUT_LINES_PER_MINUTE = 10;

    /** The limits; {@code window} is both how long failures count and how long a lock lasts. */
    record Settings(int maxFailuresPerUser, int maxFailuresPerAddress, Duration window, int maxEntries) {
        Settings {
            if (maxFailuresPerUser < 1 || maxFailuresPerAddress < 1 || maxEntries < 1 || window.isNegative()
                    || window.isZero()) {
                throw new IllegalArgumentException("login throttle limits must be positive: " + maxFailuresPerUser
                        + " per user, " + maxFailuresPerAddress + " per address, " + window + ", " + maxEntries
                        + " entries");
            }
        }

        /** The configured limits; one below 1 is logged and taken as 1, so a typo never turns the REST API off. */
        static Settings of(WebConfig config) {
            return new Settings(atLeastOne("loginMaxFailuresPerUser", config.loginMaxFailuresPerUser()),
                    atLeastOne("loginMaxFailuresPerAddress", config.loginMaxFailuresPerAddress()),
                    Duration.ofSeconds(atLeastOne("loginWindowSeconds", config.loginWindowSeconds())),
                    atLeastOne("loginMaxTrackedEntries", config.loginMaxTrackedEntries()));
        }

        private static int atLeastOne(String name, int value) {
            if (value < 1) {
                LOG.warn("{} = {} in etc/org.frontdoor.web.cfg is below 1; 1 is used", name, value);
                return 1;
            }
            return value;
        }
    }

    /** A refused attempt: why, and how long until the lock lifts. */
    static final class Locked extends Exception {
        private static final long serialVersionUID = 1L;
        private final transient Duration retryAfter;

        Locked(String reason, Duration retryAfter) {
            super(reason, null, false, false);
            this.retryAfter = retryAfter;
        }

        /** Whole seconds to wait, at least 1, as {@code Retry-After} wants them. */
        long retryAfterSeconds() {
            long seconds = retryAfter.getSeconds() + (retryAfter.getNano() > 0 ? 1 : 0);
            return Math.max(1, seconds);
        }
    }

    /**
     * Failures of one key since {@code since}, {@code lockedUntil} once they reached the limit, and the attempts the
     * realm is checking now (counted against the limit too, so parallel guesses get no more tries than sequential ones).
     */
    private static final class Failures {
        Instant since;
        int count;
        int pending;
        Instant lockedUntil;

        Failures(Instant since) {
            this.since = since;
        }

        /** A new window: the failures so far no longer count; attempts being checked still do. */
        void restart(Instant now) {
            since = now;
            count = 0;
            lockedUntil = null;
        }
    }

    private final Clock clock;
    private final String kind;
    private volatile Settings settings;
    private final Map<String, Failures> users;
    private final Map<String, Failures> addresses;
    private Instant logMinute = Instant.EPOCH;
    private int linesThisMinute;
    private int unlogged;

    LoginThrottle(Clock clock, Settings settings) {
        this(clock, settings, "REST");
    }

    /** @param kind what the logins are, as the log names them: REST, console */
    LoginThrottle(Clock clock, Settings settings, String kind) {
        this.kind = kind;
        this.clock = clock;
        this.settings = settings;
        this.users = bounded();
        this.addresses = bounded();
    }

    /** New limits apply to the next attempt; failures counted so far are kept. */
    void update(Settings newSettings) {
        this.settings = newSettings;
    }

    private LinkedHashMap<String, Failures> bounded() {
        return new LinkedHashMap<>(64, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Failures> eldest) {
                return size() > settings.maxEntries();
            }
        };
    }

    /** Throws when the name or the address is locked now; the realm must not be asked then. */
    synchronized void check(String user, String address) throws Locked {
        Instant now = clock.instant();
        Instant userLock = lockedUntil(users.get(key(user)), now);
        Instant addressLock = address == null ? null : lockedUntil(addresses.get(address), now);
        if (userLock == null && addressLock == null) {
            return;
        }
        if (userLock != null && (addressLock == null || !userLock.isBefore(addressLock))) {
            throw new Locked("too many failed logins for this user; try again later", Duration.between(now, userLock));
        }
        throw new Locked("too many failed logins from this address; try again later",
                Duration.between(now, addressLock));
    }

    /**
     * Before the realm checks a password: throws as {@link #check} does, or when the attempts being checked now would
     * take the name or the address past its limit should they fail. Otherwise the attempt counts as pending until
     * {@link #failed}, {@link #succeeded} or {@link #abandoned}, exactly one of which must follow.
     */
    synchronized void begin(String user, String address) throws Locked {
        check(user, address);
        Instant now = clock.instant();
        Settings limits = settings;
        Failures byUser = entry(users, key(user), now, limits.window());
        Failures byAddress = address == null ? null : entry(addresses, address, now, limits.window());
        // limits lowered below the failures counted so far lock at once
        if (byUser.count >= limits.maxFailuresPerUser() || byAddress != null
                && byAddress.count >= limits.maxFailuresPerAddress()) {
            if (byUser.count >= limits.maxFailuresPerUser()) {
                byUser.lockedUntil = now.plus(limits.window());
                logLockout(now, "for this user", user, address);
            }
            if (byAddress != null && byAddress.count >= limits.maxFailuresPerAddress()) {
                byAddress.lockedUntil = now.plus(limits.window());
                logLockout(now, "from this address", user, address);
            }
            check(user, address);
        }
        if (byUser.count + byUser.pending >= limits.maxFailuresPerUser()) {
            throw new Locked("too many logins for this user are being checked at once; try again in a second",
                    Duration.ofSeconds(1));
        }
        if (byAddress != null && byAddress.count + byAddress.pending >= limits.maxFailuresPerAddress()) {
            throw new Locked("too many logins from this address are being checked at once; try again in a second",
                    Duration.ofSeconds(1));
        }
        byUser.pending++;
        if (byAddress != null) {
            byAddress.pending++;
        }
    }

    /** A wrong password (or unknown name) after {@link #begin}: counts for both the name and the address. */
    synchronized void failed(String user, String address) {
        Instant now = clock.instant();
        Settings limits = settings;
        if (count(entry(users, key(user), now, limits.window()), now, limits.maxFailuresPerUser(), limits.window())) {
            logLockout(now, "for this user", user, address);
        }
        if (address != null && count(entry(addresses, address, now, limits.window()), now,
                limits.maxFailuresPerAddress(), limits.window())) {
            logLockout(now, "from this address", user, address);
        }
    }

    /** The right password after {@link #begin}: forgets the name's failures, never the address's. */
    synchronized void succeeded(String user, String address) {
        forget(user);
        release(address == null ? null : addresses.get(address));
    }

    /** The realm could not check the password after {@link #begin} (it failed): nothing counts. */
    synchronized void abandoned(String user, String address) {
        release(users.get(key(user)));
        release(address == null ? null : addresses.get(address));
    }

    /** The right password, seen without {@link #begin} (a remembered login): forgets the name's failures. */
    synchronized void succeeded(String user) {
        Failures failures = users.get(key(user));
        if (failures != null) {
            failures.restart(clock.instant());
            if (failures.pending == 0) {
                users.remove(key(user));
            }
        }
    }

    private void forget(String user) {
        Failures failures = users.get(key(user));
        release(failures);
        succeeded(user);
    }

    /** Entries kept now, names and addresses together. */
    synchronized int size() {
        return users.size() + addresses.size();
    }

    private static void release(Failures failures) {
        if (failures != null && failures.pending > 0) {
            failures.pending--;
        }
    }

    private static Instant lockedUntil(Failures failures, Instant now) {
        if (failures == null || failures.lockedUntil == null || !now.isBefore(failures.lockedUntil)) {
            return null;
        }
        return failures.lockedUntil;
    }

    /** The key's entry, created or started afresh when its window or its lock has passed. */
    private static Failures entry(Map<String, Failures> map, String key, Instant now, Duration window) {
        Failures failures = map.get(key);
        if (failures == null) {
            failures = new Failures(now);
            map.put(key, failures);
        } else if (failures.lockedUntil != null ? !now.isBefore(failures.lockedUntil)
                : !now.isBefore(failures.since.plus(window))) {
            failures.restart(now);
        }
        return failures;
    }

    /** Counts one failure that was pending; @return true when it locks the key */
    private static boolean count(Failures failures, Instant now, int max, Duration window) {
        release(failures);
        if (failures.lockedUntil != null) {
            return false;
        }
        failures.count++;
        if (failures.count >= max) {
            failures.lockedUntil = now.plus(window);
            return true;
        }
        return false;
    }

    private void logLockout(Instant now, String what, String user, String address) {
        if (!now.isBefore(logMinute.plusSeconds(60))) {
            logMinute = now;
            linesThisMinute = 0;
        }
        if (linesThisMinute >= LOCKOUT_LINES_PER_MINUTE) {
            unlogged++;
            return;
        }
        linesThisMinute++;
        String more = unlogged == 0 ? "" : " (" + unlogged + " more lockouts were not logged)";
        unlogged = 0;
        LOG.warn("Too many failed {} logins {}: user {} from address {} is refused for {} s{}", kind, what,
                printable(user), printable(address),
                settings.window().toSeconds(), more);
    }

    /** A user name as it may appear in the log: quoted, control characters escaped, at most 64 characters. */
    static String printable(String value) {
        if (value == null) {
            return "unknown";
        }
        StringBuilder out = new StringBuilder("\"");
        value.codePoints().limit(64).forEach(c -> {
            if (Character.isISOControl(c) || c == '"' || c == '\\' || Character.getType(c) == Character.FORMAT
                    || Character.getType(c) == Character.LINE_SEPARATOR
                    || Character.getType(c) == Character.PARAGRAPH_SEPARATOR) {
                out.append(String.format("\\u%04x", c));
            } else {
                out.appendCodePoint(c);
            }
        });
        if (value.codePointCount(0, value.length()) > 64) {
            out.append("...");
        }
        return out.append('"').toString();
    }

    private static String key(String user) {
        if (user.length() <= LONGEST_KEPT_NAME) {
            return user;
        }
        try {
            return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(user.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
