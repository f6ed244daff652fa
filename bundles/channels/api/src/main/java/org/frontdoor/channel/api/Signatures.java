package org.frontdoor.channel.api;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The channel's signature scheme, both ways: {@code X-Frontdoor-Signature: v1=<hex HMAC-SHA256(secret,
 * timestamp + "." + raw body)>} with {@code X-Frontdoor-Timestamp} in unix seconds.
 */
final class Signatures {

    static final String TIMESTAMP_HEADER = "X-Frontdoor-Timestamp";
    static final String SIGNATURE_HEADER = "X-Frontdoor-Signature";
    private static final String SCHEME = "v1=";

    private Signatures() {
    }

    static String hmacHex(String secret, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(data));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    static String sign(String secret, long timestamp, byte[] body) {
        byte[] prefix = (timestamp + ".").getBytes(StandardCharsets.US_ASCII);
        byte[] signed = new byte[prefix.length + body.length];
        System.arraycopy(prefix, 0, signed, 0, prefix.length);
        System.arraycopy(body, 0, signed, prefix.length, body.length);
        return SCHEME + hmacHex(secret, signed);
    }

    /**
     * Checks a request's signature.
     *
     * @return null when valid, else why not (safe to show: it names no secret)
     */
    static String verify(String secret, String timestampHeader, String signatureHeader, byte[] body,
                         long nowSeconds, long maxSkewSeconds) {
        if (timestampHeader == null || timestampHeader.isBlank()) {
            return "missing " + TIMESTAMP_HEADER + " header";
        }
        if (signatureHeader == null || signatureHeader.isBlank()) {
            return "missing " + SIGNATURE_HEADER + " header";
        }
        long timestamp;
        try {
            timestamp = Long.parseLong(timestampHeader.trim());
        } catch (NumberFormatException e) {
            return TIMESTAMP_HEADER + " is not unix seconds";
        }
        if (Math.abs(nowSeconds - timestamp) > maxSkewSeconds) {
            return TIMESTAMP_HEADER + " is more than " + maxSkewSeconds + " seconds away from the server's clock";
        }
        String given = signatureHeader.trim();
        if (!given.startsWith(SCHEME)) {
            return SIGNATURE_HEADER + " must be v1=<hex HMAC-SHA256>";
        }
        byte[] expected = sign(secret, timestamp, body).getBytes(StandardCharsets.US_ASCII);
        if (!MessageDigest.isEqual(expected, given.toLowerCase(java.util.Locale.ROOT).getBytes(StandardCharsets.US_ASCII))) {
            return "signature does not match";
        }
        return null;
    }
}
