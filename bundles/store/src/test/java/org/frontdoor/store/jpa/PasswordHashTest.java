package org.frontdoor.store.jpa;

import java.util.Arrays;
import java.util.HexFormat;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Argon2id hashes: the RFC's test vector, the self-describing form, salts, and when a hash is due for renewal. */
class PasswordHashTest {

    private static final PasswordHash.Parameters CHEAP = new PasswordHash.Parameters(64, 1, 1);

    @Test
    void argon2idGivesTheTagOfRfc9106TestVector() {
        // RFC 9106 section 5.3: password 32 x 0x01, salt 16 x 0x02, secret 8 x 0x03, associated data 12 x 0x04,
        // 32 KiB, 3 passes, 4 lanes, 32-byte tag
        byte[] tag = PasswordHash.argon2id(filled(32, 1), filled(16, 2), new PasswordHash.Parameters(32, 3, 4),
                filled(8, 3), filled(12, 4), 32);

        assertThat(HexFormat.of().formatHex(tag))
                .isEqualTo("0d640df58d78766c08c037a34a8b53c9d01ef0452d75b65eb52520e96b01e659");
    }

    @Test
    void aHashNamesItsParametersHasItsOwnSaltAndChecksOnlyItsPassword() {
        PasswordHash hashes = new PasswordHash(CHEAP);

        String one = hashes.hash("correct horse".toCharArray());
        String two = hashes.hash("correct horse".toCharArray());

        assertThat(one).startsWith("$argon2id$v=19$m=64,t=1,p=1$").isNotEqualTo(two);
        assertThat(hashes.verify("correct horse".toCharArray(), one)).isTrue();
        assertThat(hashes.verify("correct horse".toCharArray(), two)).isTrue();
        assertThat(hashes.verify("correct hors".toCharArray(), one)).isFalse();
        assertThat(hashes.verify("".toCharArray(), one)).isFalse();
        assertThat(hashes.verify("correct horse".toCharArray(), "{CRYPT}abc{CRYPT}")).isFalse();
        assertThat(hashes.verify("correct horse".toCharArray(), one.replace("t=1", "t=2"))).isFalse();
        assertThat(hashes.verify("pässwörd ✓".toCharArray(), hashes.hash("pässwörd ✓".toCharArray()))).isTrue();
    }

    @Test
    void aHashMadeWithWeakerParametersIsDueForRenewalAndStillChecks() {
        String old = new PasswordHash(CHEAP).hash("correct horse".toCharArray());
        PasswordHash stronger = new PasswordHash(new PasswordHash.Parameters(128, 2, 1));

        assertThat(stronger.verify("correct horse".toCharArray(), old)).isTrue();
        assertThat(stronger.needsRehash(old)).isTrue();
        assertThat(stronger.needsRehash(stronger.hash("correct horse".toCharArray()))).isFalse();
        assertThat(stronger.needsRehash("0c5f2e4b")).as("an unsalted SHA-256 hex").isTrue();
        assertThat(new PasswordHash(CHEAP).needsRehash(stronger.hash("x".toCharArray())))
                .as("stronger than current: kept").isFalse();
    }

    @Test
    void theDefaultParametersAreOwaspsArgon2idMinimum() {
        assertThat(PasswordHash.DEFAULT).isEqualTo(new PasswordHash.Parameters(19 * 1024, 2, 1));
    }

    private static byte[] filled(int length, int value) {
        byte[] bytes = new byte[length];
        Arrays.fill(bytes, (byte) value);
        return bytes;
    }
}
