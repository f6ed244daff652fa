package org.frontdoor.channel.meta;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Meta's documented algorithm ("Validate payloads"): {@code X-Hub-Signature-256: sha256=} + hex HMAC-SHA256 of the raw
 * payload keyed with the App Secret. The vector was computed outside Java, with Python's
 * {@code hmac.new(secret, body, hashlib.sha256).hexdigest()}.
 */
class MetaSignaturesTest {

    private static final String SECRET = Instances.APP_SECRET;
    private static final byte[] BODY = "{\"object\":\"page\",\"entry\":[]}".getBytes(StandardCharsets.UTF_8);
    private static final String VECTOR = "sha256=9624fa9a87a9de68dfc565fa38c0802f8c1a72726968f9d32251ecc6a43a9cbd";

    @Test
    void signsAsMetaDocumentsIt() {
        assertThat(MetaSignatures.sign(SECRET, BODY)).isEqualTo(VECTOR);
        assertThat(MetaSignatures.verify(SECRET, VECTOR, BODY)).isNull();
    }

    @Test
    void takesTheHexInEitherCase() {
        assertThat(MetaSignatures.verify(SECRET, "sha256=" + VECTOR.substring(7).toUpperCase(), BODY)).isNull();
    }

    @Test
    void refusesAMissingForgedTruncatedOrSha1Signature() {
        assertThat(MetaSignatures.verify(SECRET, null, BODY)).startsWith("missing X-Hub-Signature-256");
        assertThat(MetaSignatures.verify(SECRET, " ", BODY)).startsWith("missing");
        assertThat(MetaSignatures.verify(SECRET, "sha256=" + "0".repeat(64), BODY)).isEqualTo("signature does not match");
        assertThat(MetaSignatures.verify(SECRET, VECTOR.substring(0, 40), BODY)).contains("must be sha256=");
        assertThat(MetaSignatures.verify(SECRET, "sha1=" + "0".repeat(40), BODY)).contains("must be sha256=");
        // one byte more in the body: the signature of the raw bytes no longer holds
        assertThat(MetaSignatures.verify(SECRET, VECTOR, "{\"object\":\"page\",\"entry\":[]} ".getBytes(
                StandardCharsets.UTF_8))).isEqualTo("signature does not match");
        // another app's secret
        assertThat(MetaSignatures.verify("another-secret", VECTOR, BODY)).isEqualTo("signature does not match");
    }

    @Test
    void comparesTheVerifyTokenExactly() {
        assertThat(MetaSignatures.tokenMatches("meatball", "meatball")).isTrue();
        assertThat(MetaSignatures.tokenMatches("meatball", "meatbal")).isFalse();
        assertThat(MetaSignatures.tokenMatches("meatball", null)).isFalse();
        assertThat(MetaSignatures.tokenMatches(null, "meatball")).isFalse();
    }
}
