package org.frontdoor.store.jpa;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;
import java.util.NoSuchElementException;

import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

import org.frontdoor.api.Identity;
import org.frontdoor.api.ProofChallenge;
import org.frontdoor.api.ProofLimits;
import org.frontdoor.api.ProofOutcome;
import org.frontdoor.api.RateLimitedException;

/**
 * Proofs of an address by a code sent to it, kept server-side: the code is stored only as a salted PBKDF2 hash, the
 * requester holds a random challenge id, wrong codes are counted on the challenge (locked at its limit), codes expire,
 * and codes per address and per requester are counted in {@code rate_count}, so every bound holds across nodes.
 */
final class IdentityProofs {

    static final int ITERATIONS = 10_000;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    private final Jdbc jdbc;
    private final CustomerMerges merges;

    IdentityProofs(Jdbc jdbc, CustomerMerges merges) {
        this.jdbc = jdbc;
        this.merges = merges;
    }

    ProofChallenge start(Identity known, Identity address, ProofLimits limits, String actor) {
        String addressHandle = address.handle().trim().toLowerCase(Locale.ROOT);
        return jdbc.inTransaction("issue a proof code", c -> {
            if (CustomerMerges.identity(c, known, false) == null) {
                throw new NoSuchElementException("no message from " + known.channel() + " " + known.handle()
                        + " was ever stored");
            }
            Instant now = Instant.now();
            if (!take(c, "proof-address:" + address.channel() + ":" + addressHandle, limits.perAddressPerHour(),
                    Duration.ofHours(1), now)) {
                throw new RateLimitedException("this address had " + limits.perAddressPerHour()
                        + " codes in the last hour: try again later");
            }
            if (!take(c, "proof-known:" + known.channel() + ":" + known.handle(), limits.perKnownPerHour(),
                    Duration.ofHours(1), now)) {
                throw new RateLimitedException("you asked for " + limits.perKnownPerHour()
                        + " codes in the last hour: try again later");
            }
            String code = String.format("%06d", RANDOM.nextInt(1_000_000));
            byte[] salt = new byte[16];
            RANDOM.nextBytes(salt);
            byte[] idBytes = new byte[18];
            RANDOM.nextBytes(idBytes);
            String id = B64.encodeToString(idBytes);
            Instant expires = now.plus(limits.validFor());
            try (PreparedStatement purge = c.prepareStatement("DELETE FROM identity_proof WHERE expires_at < ?")) {
                purge.setTimestamp(1, Jdbc.ts(now.minus(Duration.ofDays(1))));
                purge.executeUpdate();
            }
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO identity_proof (id, known_channel, "
                    + "known_handle, address_channel, address_handle, code_hash, salt, attempts, max_attempts, "
                    + "created_by, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?)")) {
                insert.setString(1, id);
                insert.setString(2, known.channel());
                insert.setString(3, Jdbc.cut(known.handle(), 255));
                insert.setString(4, address.channel());
                insert.setString(5, Jdbc.cut(addressHandle, 320));
                insert.setString(6, B64.encodeToString(hash(code, salt)));
                insert.setString(7, B64.encodeToString(salt));
                insert.setInt(8, limits.attempts());
                insert.setString(9, Jdbc.cut(actor, InboxWrites.MAX_NAME));
                insert.setTimestamp(10, Jdbc.ts(now));
                insert.setTimestamp(11, Jdbc.ts(expires));
                insert.executeUpdate();
            }
            return new ProofChallenge(id, code, expires);
        });
    }

    ProofOutcome prove(String challengeId, Identity known, String code, String actor) {
        if (challengeId == null || challengeId.length() > 32) {
            return new ProofOutcome(ProofOutcome.Result.UNKNOWN, 0, 0, null);
        }
        return jdbc.inTransaction("check a proof code", c -> {
            Instant now = Instant.now();
            String addressChannel;
            String addressHandle;
            byte[] expected;
            byte[] salt;
            int attempts;
            int max;
            try (PreparedStatement q = c.prepareStatement("SELECT known_channel, known_handle, address_channel, "
                    + "address_handle, code_hash, salt, attempts, max_attempts, expires_at, locked_at, proven_at "
                    + "FROM identity_proof WHERE id = ? FOR UPDATE")) {
                q.setString(1, challengeId);
                try (ResultSet rs = q.executeQuery()) {
                    if (!rs.next() || !known.channel().equals(rs.getString(1)) || !known.handle().equals(rs.getString(2))
                            || rs.getTimestamp(11) != null) {
                        return new ProofOutcome(ProofOutcome.Result.UNKNOWN, 0, 0, null);
                    }
                    addressChannel = rs.getString(3);
                    addressHandle = rs.getString(4);
                    expected = Base64.getUrlDecoder().decode(rs.getString(5));
                    salt = Base64.getUrlDecoder().decode(rs.getString(6));
                    attempts = rs.getInt(7);
                    max = rs.getInt(8);
                    Identity address = Identity.of(addressChannel, addressHandle);
                    if (rs.getTimestamp(10) != null || attempts >= max) {
                        return new ProofOutcome(ProofOutcome.Result.LOCKED, 0, 0, address);
                    }
                    if (rs.getTimestamp(9).toInstant().isBefore(now)) {
                        return new ProofOutcome(ProofOutcome.Result.EXPIRED, 0, 0, address);
                    }
                }
            }
            Identity address = Identity.of(addressChannel, addressHandle);
            String typed = code == null ? "" : code.trim();
            if (!typed.matches("[0-9]{6}") || !MessageDigest.isEqual(expected, hash(typed, salt))) {
                int now1 = attempts + 1;
                try (PreparedStatement u = c.prepareStatement("UPDATE identity_proof SET attempts = ?, locked_at = ? "
                        + "WHERE id = ?")) {
                    u.setInt(1, now1);
                    u.setTimestamp(2, now1 >= max ? Jdbc.ts(now) : null);
                    u.setString(3, challengeId);
                    u.executeUpdate();
                }
                return now1 >= max ? new ProofOutcome(ProofOutcome.Result.LOCKED, 0, 0, address)
                        : new ProofOutcome(ProofOutcome.Result.WRONG_CODE, 0, max - now1, address);
            }
            try (PreparedStatement u = c.prepareStatement("UPDATE identity_proof SET proven_at = ? WHERE id = ?")) {
                u.setTimestamp(1, Jdbc.ts(now));
                u.setString(2, challengeId);
                u.executeUpdate();
            }
            CustomerMerges.Linked linked = merges.linkOrSuggest(c, known, address, actor,
                    known.channel() + " identity " + known.handle() + " proved " + addressChannel + " "
                            + addressHandle + " by code");
            return new ProofOutcome(linked.suggested() ? ProofOutcome.Result.SUGGESTED : ProofOutcome.Result.LINKED,
                    linked.customerId(), 0, address);
        });
    }

    boolean tryTake(String key, int limit, Duration window) {
        return jdbc.inTransaction("count a limited use", c -> take(c, key, limit, window, Instant.now()));
    }

    /**
     * Counts one use of {@code key} in its current window unless {@code limit} are counted: the window's row is
     * created if missing, then locked, so nodes counting at once count one after the other.
     */
    boolean take(Connection c, String key, int limit, Duration window, Instant now) throws SQLException {
        String bucket = bucket(key);
        long windowMillis = Math.max(1, window.toMillis());
        long start = now.toEpochMilli() / windowMillis;
        Instant expires = Instant.ofEpochMilli((start + 1) * windowMillis);
        int uses = -1;
        try (PreparedStatement q = c.prepareStatement("SELECT uses FROM rate_count WHERE bucket = ? AND window_start = ? "
                + "FOR UPDATE")) {
            q.setString(1, bucket);
            q.setLong(2, start);
            try (ResultSet rs = q.executeQuery()) {
                if (rs.next()) {
                    uses = rs.getInt(1);
                }
            }
        }
        if (uses < 0) {
            try (PreparedStatement purge = c.prepareStatement("DELETE FROM rate_count WHERE expires_at < ?")) {
                purge.setTimestamp(1, Jdbc.ts(now.minus(Duration.ofHours(1))));
                purge.executeUpdate();
            }
            try (PreparedStatement insert = c.prepareStatement(jdbc.postgresql()
                    ? "INSERT INTO rate_count (bucket, window_start, uses, expires_at) VALUES (?, ?, 0, ?) "
                    + "ON CONFLICT DO NOTHING"
                    : "MERGE INTO rate_count t USING (VALUES (CAST(? AS VARCHAR(64)), CAST(? AS BIGINT), "
                    + "CAST(? AS TIMESTAMP))) s (bucket, window_start, expires_at) ON t.bucket = s.bucket AND "
                    + "t.window_start = s.window_start WHEN NOT MATCHED THEN INSERT (bucket, window_start, uses, "
                    + "expires_at) VALUES (s.bucket, s.window_start, 0, s.expires_at)")) {
                insert.setString(1, bucket);
                insert.setLong(2, start);
                insert.setTimestamp(3, Jdbc.ts(expires));
                insert.executeUpdate();
            }
            try (PreparedStatement q = c.prepareStatement("SELECT uses FROM rate_count WHERE bucket = ? "
                    + "AND window_start = ? FOR UPDATE")) {
                q.setString(1, bucket);
                q.setLong(2, start);
                try (ResultSet rs = q.executeQuery()) {
                    rs.next();
                    uses = rs.getInt(1);
                }
            }
        }
        if (uses >= limit) {
            return false;
        }
        try (PreparedStatement u = c.prepareStatement("UPDATE rate_count SET uses = uses + 1 WHERE bucket = ? "
                + "AND window_start = ?")) {
            u.setString(1, bucket);
            u.setLong(2, start);
            u.executeUpdate();
        }
        return true;
    }

    static String bucket(String key) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    static byte[] hash(String code, byte[] salt) {
        try {
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256")
                    .generateSecret(new PBEKeySpec(code.toCharArray(), salt, ITERATIONS, 256)).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PBKDF2WithHmacSHA256 is missing from this JVM", e);
        }
    }
}
