package ${package};

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.frontdoor.api.Identity;
import org.frontdoor.api.Message;

/**
 * The request's checks, apart from the servlet: the signature first
 * ({@code X-Frontdoor-Signature: v1=<hex HMAC-SHA256(secret, timestamp + "." + body)>}), then the JSON
 * {@code {"id", "from", "text"}}. Each refusal says why, and never names the secret.
 */
final class Webhook {

    static final String TIMESTAMP_HEADER = "X-Frontdoor-Timestamp";
    static final String SIGNATURE_HEADER = "X-Frontdoor-Signature";
    static final ObjectMapper JSON = new ObjectMapper();

    /** A refused request: its status and reason. */
    static final class Refused extends Exception {
        private static final long serialVersionUID = 1L;
        final int status;

        Refused(int status, String reason) {
            super(reason);
            this.status = status;
        }
    }

    private Webhook() {
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

    static void verify(String secret, String timestamp, String signature, byte[] body, long now, long maxSkew)
            throws Refused {
        if (timestamp == null || signature == null) {
            throw new Refused(401, "missing " + (timestamp == null ? TIMESTAMP_HEADER : SIGNATURE_HEADER) + " header");
        }
        long at;
        try {
            at = Long.parseLong(timestamp.trim());
        } catch (NumberFormatException e) {
            throw new Refused(401, TIMESTAMP_HEADER + " is not unix seconds");
        }
        if (Math.abs(now - at) > maxSkew) {
            throw new Refused(401, TIMESTAMP_HEADER + " is more than " + maxSkew + " seconds away from the server's clock");
        }
        byte[] expected = sign(secret, at, body).getBytes(StandardCharsets.US_ASCII);
        byte[] given = signature.trim().toLowerCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII);
        if (!MessageDigest.isEqual(expected, given)) {
            throw new Refused(401, "signature does not match");
        }
    }

    /** The message the body describes, for this channel instance. */
    static Message message(String channel, String instance, byte[] body) throws Refused {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (java.io.IOException e) {
            throw new Refused(400, "the body is not JSON");
        }
        if (root == null || !root.isObject()) {
            throw new Refused(400, "the body must be a JSON object");
        }
        String id = text(root, "id");
        String from = text(root, "from");
        String text = text(root, "text");
        return Message.inbound(channel, instance).externalId(id).author(Identity.of(channel, from)).text(text)
                .rawPayload(new String(body, StandardCharsets.UTF_8)).build();
    }

    private static String text(JsonNode root, String field) throws Refused {
        JsonNode node = root.get(field);
        if (node == null || !node.isTextual() || node.asText().isBlank()) {
            throw new Refused(400, "'" + field + "' must be a non-empty string");
        }
        return node.asText();
    }

    static String json(Map<String, ?> body) {
        try {
            return JSON.writeValueAsString(body);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
