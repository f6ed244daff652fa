package org.frontdoor.channel.api;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SignaturesTest {

    private static final String SECRET = "s3cret";
    private static final byte[] BODY = "{\"id\":\"1\"}".getBytes(StandardCharsets.UTF_8);
    private static final long NOW = 1_700_000_000L;

    @Test
    void hmacMatchesRfc4231TestCase2() {
        assertThat(Signatures.hmacHex("Jefe", "what do ya want for nothing?".getBytes(StandardCharsets.US_ASCII)))
                .isEqualTo("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    }

    @Test
    void signsTimestampDotBody() {
        assertThat(Signatures.sign(SECRET, NOW, BODY))
                .isEqualTo("v1=" + Signatures.hmacHex(SECRET, (NOW + "." + new String(BODY, StandardCharsets.UTF_8))
                        .getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void acceptsAFreshValidSignatureInEitherCase() {
        String signature = Signatures.sign(SECRET, NOW, BODY);
        assertThat(Signatures.verify(SECRET, Long.toString(NOW), signature, BODY, NOW + 299, 300)).isNull();
        assertThat(Signatures.verify(SECRET, Long.toString(NOW), signature.toUpperCase().replace("V1=", "v1="), BODY,
                NOW, 300)).isNull();
    }

    @Test
    void refusesATamperedBodyOrAnotherSecret() {
        String signature = Signatures.sign(SECRET, NOW, BODY);
        assertThat(Signatures.verify(SECRET, Long.toString(NOW), signature, "{\"id\":\"2\"}".getBytes(), NOW, 300))
                .isEqualTo("signature does not match");
        assertThat(Signatures.verify("other", Long.toString(NOW), signature, BODY, NOW, 300))
                .isEqualTo("signature does not match");
    }

    @Test
    void refusesStaleOrFutureTimestampsEvenWhenSigned() {
        assertThat(Signatures.verify(SECRET, Long.toString(NOW - 301), Signatures.sign(SECRET, NOW - 301, BODY), BODY,
                NOW, 300)).contains("more than 300 seconds");
        assertThat(Signatures.verify(SECRET, Long.toString(NOW + 301), Signatures.sign(SECRET, NOW + 301, BODY), BODY,
                NOW, 300)).contains("more than 300 seconds");
    }

    @Test
    void namesWhatIsMissingOrMalformed() {
        String signature = Signatures.sign(SECRET, NOW, BODY);
        assertThat(Signatures.verify(SECRET, null, signature, BODY, NOW, 300)).contains("X-Frontdoor-Timestamp");
        assertThat(Signatures.verify(SECRET, Long.toString(NOW), null, BODY, NOW, 300)).contains("X-Frontdoor-Signature");
        assertThat(Signatures.verify(SECRET, "yesterday", signature, BODY, NOW, 300)).contains("unix seconds");
        assertThat(Signatures.verify(SECRET, Long.toString(NOW), signature.substring(3), BODY, NOW, 300))
                .contains("v1=");
    }
}
