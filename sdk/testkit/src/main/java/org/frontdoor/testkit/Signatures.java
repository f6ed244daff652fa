package org.frontdoor.testkit;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The documented signature of webhooks and callbacks: {@code v1=<hex HMAC-SHA256(secret, timestamp + "." + raw
 * body)>}, sent in {@code X-Frontdoor-Signature} beside {@code X-Frontdoor-Timestamp} (seconds since the epoch).
 */
public final class Signatures {

    /** The header holding the signature. */
    public static final String SIGNATURE_HEADER = "X-Frontdoor-Signature";
    /** The header holding the timestamp the signature covers. */
    public static final String TIMESTAMP_HEADER = "X-Frontdoor-Timestamp";

    private Signatures() {
    }

    /** The signature of {@code body} sent at {@code timestamp} (seconds since the epoch) with {@code secret}. */
    public static String sign(String secret, long timestamp, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            mac.update((timestamp + ".").getBytes(StandardCharsets.UTF_8));
            return "v1=" + HexFormat.of().formatHex(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The signature of a UTF-8 text body. */
    public static String sign(String secret, long timestamp, String body) {
        return sign(secret, timestamp, body.getBytes(StandardCharsets.UTF_8));
    }

    /** Whether {@code signature} is the one of {@code body} at {@code timestamp} (compared in constant time). */
    public static boolean verify(String secret, long timestamp, byte[] body, String signature) {
        return signature != null && MessageDigest.isEqual(sign(secret, timestamp, body).getBytes(StandardCharsets.US_ASCII),
                signature.getBytes(StandardCharsets.US_ASCII));
    }
}
