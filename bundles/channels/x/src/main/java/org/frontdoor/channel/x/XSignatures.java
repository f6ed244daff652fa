package org.frontdoor.channel.x;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * X's webhook security (Account Activity API, "Securing webhooks"): the challenge-response check answers
 * {@code {"response_token": "sha256=" + base64(HMAC-SHA256(consumer secret, crc_token))}}, and each POST carries
 * {@code x-twitter-webhooks-signature: sha256=<base64 HMAC-SHA256(consumer secret, raw body)>}.
 */
final class XSignatures {

    static final String SIGNATURE_HEADER = "x-twitter-webhooks-signature";
    private static final String SCHEME = "sha256=";

    private XSignatures() {
    }

    static String sign(String consumerSecret, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(consumerSecret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return SCHEME + Base64.getEncoder().encodeToString(mac.doFinal(data));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    /** The CRC's response_token for a crc_token. */
    static String responseToken(String consumerSecret, String crcToken) {
        return sign(consumerSecret, crcToken.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Checks a delivery's signature over its raw bytes, in constant time.
     *
     * @return null when valid, else why not (names no secret)
     */
    static String verify(String consumerSecret, String header, byte[] body) {
        if (header == null || header.isBlank()) {
            return "missing " + SIGNATURE_HEADER + " header";
        }
        String given = header.trim();
        if (!given.startsWith(SCHEME)) {
            return SIGNATURE_HEADER + " must be sha256=<base64 HMAC-SHA256>";
        }
        byte[] expected = sign(consumerSecret, body).getBytes(StandardCharsets.US_ASCII);
        if (!MessageDigest.isEqual(expected, given.getBytes(StandardCharsets.US_ASCII))) {
            return "signature does not match";
        }
        return null;
    }
}
