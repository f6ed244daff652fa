package org.frontdoor.integration.webhook;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The signature the HTTP channel's callbacks use too: {@code X-Frontdoor-Signature: v1=<hex HMAC-SHA256(secret,
 * timestamp + "." + raw body)>}, {@code X-Frontdoor-Timestamp} in unix seconds.
 */
final class Signer {

    static final String TIMESTAMP_HEADER = "X-Frontdoor-Timestamp";
    static final String SIGNATURE_HEADER = "X-Frontdoor-Signature";

    private Signer() {
    }

    static String sign(String secret, long timestamp, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            mac.update((timestamp + ".").getBytes(StandardCharsets.US_ASCII));
            return "v1=" + HexFormat.of().formatHex(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }
}
