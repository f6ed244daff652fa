package org.frontdoor.channel.x;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * X's CRC and signature with the example consumer secret and crc_token of X's "Securing webhooks" samples; the
 * expected values were computed with {@code openssl dgst -sha256 -hmac <secret> -binary | base64}.
 */
class XSignaturesTest {

    private static final String SECRET = Instances.CONSUMER_SECRET;

    @Test
    void theCrcResponseTokenIsTheBase64HmacOfTheCrcToken() {
        assertThat(XSignatures.responseToken(SECRET, "9b4507b3-9040-4669-9ca3-6b94edb50553"))
                .isEqualTo("sha256=Cytd4Sq+NvEcV3MMrXxWJGJx5A+y/lXzzU2Maartkx8=");
    }

    @Test
    void aDeliveryIsSignedOverItsRawBytes() {
        byte[] body = "{\"for_user_id\":\"2244994945\",\"tweet_create_events\":[]}".getBytes(StandardCharsets.UTF_8);
        assertThat(XSignatures.sign(SECRET, body)).isEqualTo("sha256=CpOc2dZ+JrkFhzkAW3gWETdo1w8Mx1i/MpqTbkrylcw=");
        assertThat(XSignatures.verify(SECRET, "sha256=CpOc2dZ+JrkFhzkAW3gWETdo1w8Mx1i/MpqTbkrylcw=", body)).isNull();
    }

    @Test
    void aForgedMissingOrOtherSchemeSignatureIsRefusedWithoutNamingTheSecret() {
        byte[] body = "{\"for_user_id\":\"2244994945\"}".getBytes(StandardCharsets.UTF_8);
        String right = XSignatures.sign(SECRET, body);
        assertThat(XSignatures.verify(SECRET, right, body)).isNull();
        assertThat(XSignatures.verify(SECRET, XSignatures.sign("another secret", body), body))
                .isEqualTo("signature does not match");
        // one byte more in the body
        assertThat(XSignatures.verify(SECRET, right, "{\"for_user_id\":\"2244994945\"} ".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo("signature does not match");
        assertThat(XSignatures.verify(SECRET, null, body)).isEqualTo("missing x-twitter-webhooks-signature header");
        assertThat(XSignatures.verify(SECRET, " ", body)).isEqualTo("missing x-twitter-webhooks-signature header");
        assertThat(XSignatures.verify(SECRET, right.substring("sha256=".length()), body))
                .isEqualTo("x-twitter-webhooks-signature must be sha256=<base64 HMAC-SHA256>");
        assertThat(XSignatures.verify(SECRET, "sha256=", body)).doesNotContain(SECRET);
    }
}
