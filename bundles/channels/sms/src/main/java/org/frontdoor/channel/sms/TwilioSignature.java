package org.frontdoor.channel.sms;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Twilio's request signature ({@code X-Twilio-Signature}): the base64 HMAC-SHA1, keyed with the account's Auth Token,
 * of the full URL Twilio called (with its query string) followed by each POST parameter, sorted by name (then by
 * value for a repeated name), as its name and its value with no separator.
 */
final class TwilioSignature {

    private TwilioSignature() {
    }

    /** The signature Twilio sends for this URL and these decoded POST parameters. */
    static String sign(byte[] authToken, String url, List<Map.Entry<String, String>> parameters) {
        StringBuilder data = new StringBuilder(url);
        parameters.stream()
                .sorted(Map.Entry.<String, String>comparingByKey().thenComparing(Map.Entry.comparingByValue()))
                .forEach(p -> data.append(p.getKey()).append(p.getValue()));
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(authToken, "HmacSHA1"));
            return Base64.getEncoder().encodeToString(mac.doFinal(data.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA1 is part of every Java runtime", e);
        }
    }

    /** Whether {@code header} is the signature of the request, compared in constant time. */
    static boolean matches(byte[] authToken, String url, List<Map.Entry<String, String>> parameters, String header) {
        if (header == null || header.isEmpty() || authToken == null) {
            return false;
        }
        byte[] expected = sign(authToken, url, parameters).getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(expected, header.trim().getBytes(StandardCharsets.US_ASCII));
    }
}
