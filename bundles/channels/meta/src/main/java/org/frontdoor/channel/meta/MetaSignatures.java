package org.frontdoor.channel.meta;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Locale;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Meta's webhook security (Graph API "Webhooks", "Validate payloads"): each POST carries
 * {@code X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the raw request bytes keyed with the App Secret>}; the GET
 * verification sends {@code hub.verify_token}, which must equal the token typed into the app's dashboard. Both are
 * compared in constant time.
 */
final class MetaSignatures {

    static final String SIGNATURE_HEADER = "X-Hub-Signature-256";
    private static final String SCHEME = "sha256=";

    private MetaSignatures() {
    }

    /** {@code sha256=} + lower-case hex HMAC-SHA256 of {@code data} keyed with the App Secret. */
    static String sign(String appSecret, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(appSecret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return SCHEME + HexFormat.of().formatHex(mac.doFinal(data));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    /**
     * Checks a delivery's signature over its raw bytes, in constant time.
     *
     * @return null when valid, else why not (names no secret)
     */
    static String verify(String appSecret, String header, byte[] body) {
        if (header == null || header.isBlank()) {
            return "missing " + SIGNATURE_HEADER + " header";
        }
        String given = header.trim().toLowerCase(Locale.ROOT);
        if (!given.startsWith(SCHEME) || given.length() != SCHEME.length() + 64) {
            return SIGNATURE_HEADER + " must be sha256=<hex HMAC-SHA256>";
        }
        byte[] expected = sign(appSecret, body).getBytes(StandardCharsets.US_ASCII);
        if (!MessageDigest.isEqual(expected, given.getBytes(StandardCharsets.US_ASCII))) {
            return "signature does not match";
        }
        return null;
    }

    /** Whether the verify token Meta sent is the configured one, in constant time. */
    static boolean tokenMatches(String configured, String given) {
        if (configured == null || given == null) {
            return false;
        }
        return MessageDigest.isEqual(configured.getBytes(StandardCharsets.UTF_8), given.getBytes(StandardCharsets.UTF_8));
    }
}
