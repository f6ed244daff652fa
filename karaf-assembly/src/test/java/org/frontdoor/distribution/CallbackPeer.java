package org.frontdoor.distribution;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A local HTTP peer standing in for the customer's system behind a {@code callbackUrl}. It checks every request
 * as the channel documents it (POST, JSON, fresh timestamp, valid signature, reply id header matching the body)
 * and keeps what it accepted; a request that fails a check is answered 400 and recorded as a rejection.
 */
final class CallbackPeer implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** A callback the peer accepted. */
    record Callback(String replyId, JsonNode body) {
    }

    private final String secret;
    private final HttpServer server;
    private final List<Callback> accepted = new CopyOnWriteArrayList<>();
    private final List<String> rejections = new CopyOnWriteArrayList<>();
    private volatile int answer = 200;

    CallbackPeer(String secret) throws IOException {
        this.secret = secret;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/frontdoor/callback", this::handle);
        server.start();
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/frontdoor/callback");
    }

    /** The status the peer answers to valid callbacks from now on. */
    void answer(int status) {
        this.answer = status;
    }

    List<Callback> accepted() {
        return List.copyOf(accepted);
    }

    List<String> rejections() {
        return List.copyOf(rejections);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange; InputStream in = exchange.getRequestBody()) {
            byte[] body = in.readAllBytes();
            String problem = check(exchange, body);
            if (problem != null) {
                rejections.add(problem);
                respond(exchange, 400);
                return;
            }
            int status = answer;
            if (status / 100 == 2) {
                accepted.add(new Callback(exchange.getRequestHeaders().getFirst("X-Frontdoor-Reply-Id"),
                        JSON.readTree(body)));
            }
            respond(exchange, status);
        }
    }

    private String check(HttpExchange exchange, byte[] body) {
        if (!exchange.getRequestMethod().equals("POST")) {
            return "method " + exchange.getRequestMethod();
        }
        String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
        if (contentType == null || !contentType.startsWith("application/json")) {
            return "content type " + contentType;
        }
        String timestamp = exchange.getRequestHeaders().getFirst("X-Frontdoor-Timestamp");
        String signature = exchange.getRequestHeaders().getFirst("X-Frontdoor-Signature");
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
        String expected = Signatures.sign(secret, ts, body);
        if (!MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
                signature.getBytes(StandardCharsets.US_ASCII))) {
            return "bad signature";
        }
        try {
            JsonNode json = JSON.readTree(body);
            String replyId = exchange.getRequestHeaders().getFirst("X-Frontdoor-Reply-Id");
            if (replyId == null || !replyId.equals(json.path("replyId").asText())) {
                return "reply id header " + replyId + " does not match the body";
            }
            if (json.path("text").asText().isEmpty() || json.path("to").asText().isEmpty()) {
                return "text or recipient missing";
            }
        } catch (IOException e) {
            return "malformed JSON: " + e.getMessage();
        }
        return null;
    }

    private static void respond(HttpExchange exchange, int status) throws IOException {
        exchange.sendResponseHeaders(status, -1);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
