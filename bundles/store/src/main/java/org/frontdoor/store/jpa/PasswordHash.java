package org.frontdoor.store.jpa;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * Argon2id password hashes (RFC 9106) by Bouncy Castle, in the PHC string form
 * {@code $argon2id$v=19$m=<KiB>,t=<passes>,p=<lanes>$<salt>$<hash>} (base64 without padding), so a hash says how it was
 * made and parameters can be raised later: {@link #needsRehash} tells a hash made with weaker ones. Each hash has its
 * own random 16-byte salt. A check compares in time that does not depend on where the bytes differ.
 */
final class PasswordHash {

    /** The cost of one hash: memory in KiB, passes, lanes. */
    record Parameters(int memoryKiB, int iterations, int parallelism) {
        Parameters {
            if (memoryKiB < 8 * parallelism || iterations < 1 || parallelism < 1) {
                throw new IllegalArgumentException("Argon2id needs m >= 8p, t >= 1, p >= 1: m=" + memoryKiB + ", t="
                        + iterations + ", p=" + parallelism);
            }
        }

        /** At least as costly as {@code other} in every dimension. */
        boolean covers(Parameters other) {
            return memoryKiB >= other.memoryKiB && iterations >= other.iterations && parallelism >= other.parallelism;
        }
    }

    /**
     * OWASP's recommended minimum for Argon2id (19 MiB, 2 passes, 1 lane): about 30-60 ms on a server core, which
     * bounds an online guesser by the login throttle and an offline one by memory.
     */
    static final Parameters DEFAULT = new Parameters(19 * 1024, 2, 1);

    private static final int SALT_BYTES = 16;
    private static final int HASH_BYTES = 32;
    private static final Pattern PHC = Pattern.compile(
            "\\$argon2id\\$v=19\\$m=(\\d{1,7}),t=(\\d{1,3}),p=(\\d{1,2})\\$([A-Za-z0-9+/]{11,64})\\$([A-Za-z0-9+/]{22,128})");
    private static final Base64.Encoder B64 = Base64.getEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getDecoder();

    private final Parameters current;
    private final SecureRandom random = new SecureRandom();
    /** Checked against when there is no account, so an unknown name costs as long as a wrong password. */
    private final String dummy;

    PasswordHash(Parameters current) {
        this.current = current;
        this.dummy = hash("not a password".toCharArray());
    }

    Parameters current() {
        return current;
    }

    /** A new hash of {@code password} with a fresh salt and the current parameters. */
    String hash(char[] password) {
        byte[] salt = new byte[SALT_BYTES];
        random.nextBytes(salt);
        byte[] hash = argon2id(utf8(password), salt, current, null, null, HASH_BYTES);
        return "$argon2id$v=19$m=" + current.memoryKiB() + ",t=" + current.iterations() + ",p="
                + current.parallelism() + "$" + B64.encodeToString(salt) + "$" + B64.encodeToString(hash);
    }

    /** True when {@code encoded} is a well-formed Argon2id hash of {@code password}; false for anything else. */
    boolean verify(char[] password, String encoded) {
        Matcher m = encoded == null ? null : PHC.matcher(encoded);
        if (m == null || !m.matches()) {
            verifyDummy(password);
            return false;
        }
        Parameters parameters;
        byte[] salt;
        byte[] expected;
        try {
            parameters = new Parameters(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
                    Integer.parseInt(m.group(3)));
            salt = B64D.decode(m.group(4));
            expected = B64D.decode(m.group(5));
        } catch (IllegalArgumentException malformed) {
            verifyDummy(password);
            return false;
        }
        byte[] actual = argon2id(utf8(password), salt, parameters, null, null, expected.length);
        return MessageDigest.isEqual(actual, expected);
    }

    /** Spends the time of one check, for a name without an account. */
    void verifyDummy(char[] password) {
        if (dummy != null) {
            verify(password, dummy);
        }
    }

    /** True when {@code encoded} is not an Argon2id hash made with at least the current parameters. */
    boolean needsRehash(String encoded) {
        Matcher m = encoded == null ? null : PHC.matcher(encoded);
        if (m == null || !m.matches()) {
            return true;
        }
        return !new Parameters(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
                Integer.parseInt(m.group(3))).covers(current);
    }

    /** Raw Argon2id (version 0x13), with RFC 9106's optional secret and associated data. */
    static byte[] argon2id(byte[] password, byte[] salt, Parameters parameters, byte[] secret, byte[] additional,
                           int length) {
        Argon2Parameters.Builder builder = new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                .withVersion(Argon2Parameters.ARGON2_VERSION_13).withSalt(salt)
                .withMemoryAsKB(parameters.memoryKiB()).withIterations(parameters.iterations())
                .withParallelism(parameters.parallelism());
        if (secret != null) {
            builder.withSecret(secret);
        }
        if (additional != null) {
            builder.withAdditional(additional);
        }
        Argon2BytesGenerator generator = new Argon2BytesGenerator();
        generator.init(builder.build());
        byte[] out = new byte[length];
        try {
            generator.generateBytes(password, out);
        } finally {
            Arrays.fill(password, (byte) 0);
        }
        return out;
    }

    private static byte[] utf8(char[] password) {
        ByteBuffer buffer = StandardCharsets.UTF_8.encode(CharBuffer.wrap(password));
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        if (buffer.hasArray()) {
            Arrays.fill(buffer.array(), (byte) 0);
        }
        return bytes;
    }
}
