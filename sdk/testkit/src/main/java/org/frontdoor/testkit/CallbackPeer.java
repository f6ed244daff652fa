package org.frontdoor.testkit;

import java.io.IOException;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The customer's system behind the generic HTTP channel's {@code callbackUrl}: a {@link VendorPeer} on
 * {@code /frontdoor/callback} that checks every callback as the channel documents it (POST, JSON, a timestamp within
 * five minutes, a valid {@link Signatures signature} with the instance's secret, an {@code X-Frontdoor-Reply-Id} header
 * matching the body's {@code replyId}, text and recipient present) and keeps what it accepted.
 */
public class CallbackPeer extends VendorPeer {

    /** The path callbacks arrive on. */
    public static final String PATH = "/frontdoor/callback";

    /** A callback the peer accepted: its reply id and JSON body. */
    public record Callback(String replyId, JsonNode body) {
    }

    private final String secret;
    private final List<Callback> callbacks = new CopyOnWriteArrayList<>();

    /** A peer checking signatures with the instance's {@code secret}. */
    public CallbackPeer(String secret) throws IOException {
        super(PATH);
        this.secret = secret;
    }

    /** The callback URL to configure ({@code callbackUrl}). */
    public URI url() {
        return url(PATH);
    }

    /** The callbacks accepted so far, in order. */
    public List<Callback> callbacks() {
        return List.copyOf(callbacks);
    }

    @Override
    protected void accepted(Received request) {
        callbacks.add(new Callback(request.header("X-Frontdoor-Reply-Id"), request.json()));
    }

    @Override
    protected String check(Received request) {
        if (!request.method().equals("POST")) {
            return "method " + request.method();
        }
        String contentType = request.header("Content-Type");
        if (contentType == null || !contentType.startsWith("application/json")) {
            return "content type " + contentType;
        }
        String timestamp = request.header(Signatures.TIMESTAMP_HEADER);
        String signature = request.header(Signatures.SIGNATURE_HEADER);
        if (timestamp == null || signature == null) {
            return "unsigned";
        }
        long ts;
        try {
            ts = Long.parseLong(timestamp);
        } catch (NumberFormatException e) {
            return "timestamp " + timestamp;
        }
        if (Math.abs(Instant.now().getEpochSecond() - ts) > 300) {
            return "stale timestamp " + timestamp;
        }
        if (!Signatures.verify(secret, ts, request.body(), signature)) {
            return "bad signature";
        }
        JsonNode json;
        try {
            json = JSON.readTree(request.body());
        } catch (IOException e) {
            return "malformed JSON: " + e.getMessage();
        }
        String replyId = request.header("X-Frontdoor-Reply-Id");
        if (replyId == null || !replyId.equals(json.path("replyId").asText())) {
            return "reply id header " + replyId + " does not match the body";
        }
        if (json.path("text").asText().isEmpty() || json.path("to").asText().isEmpty()) {
            return "text or recipient missing";
        }
        return null;
    }
}
