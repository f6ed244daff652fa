package org.frontdoor.distribution;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A local stand-in for X's API v2: {@code POST /2/tweets} (a reply must name {@code reply.in_reply_to_tweet_id})
 * and {@code POST /2/dm_conversations/with/:participant_id/messages}, each checked for its method, JSON body and
 * {@code Authorization: Bearer <the token X takes now>}; it answers 201 with {@code data.id} as X does, and 401
 * {@code {"title":"Unauthorized",...}} to any other token. A request that fails a check is recorded as a rejection.
 * It also signs deliveries and checks CRC answers as X does, with the app's consumer secret.
 */
final class XPeer implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** A post or direct message X took: its path and body. */
    record Sent(String path, JsonNode body, String id) {
        String text() {
            return body.path("text").asText();
        }
    }

    private final String consumerSecret;
    private final HttpServer server;
    private final List<Sent> sent = new CopyOnWriteArrayList<>();
    private final List<String> rejections = new CopyOnWriteArrayList<>();
    private final AtomicInteger ids = new AtomicInteger(5000);
    private volatile String token;
    private final java.util.concurrent.ExecutorService threads = java.util.concurrent.Executors.newCachedThreadPool();
    private final java.util.Map<String, byte[]> media = new java.util.concurrent.ConcurrentHashMap<>();
    /** While set and not counted down, a media download waits. */
    volatile java.util.concurrent.CountDownLatch holdMedia;
    final AtomicInteger mediaServed = new AtomicInteger();

    XPeer(String consumerSecret, String token) throws IOException {
        this.consumerSecret = consumerSecret;
        this.token = token;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/2/", this::handle);
        server.createContext("/media/", this::media);
        // a held media download must not hold the API calls
        server.setExecutor(threads);
        server.start();
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** The access token X takes from now on (the old one is revoked). */
    void token(String token) {
        this.token = token;
    }

    List<Sent> sent() {
        return List.copyOf(sent);
    }

    List<String> rejections() {
        return List.copyOf(rejections);
    }

    /** {@code sha256=} + base64 HMAC-SHA256 with the consumer secret: the CRC answer and the delivery signature. */
    String sign(byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(consumerSecret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return "sha256=" + Base64.getEncoder().encodeToString(mac.doFinal(data));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] raw = exchange.getRequestBody().readAllBytes();
            String path = exchange.getRequestURI().getRawPath();
            if (!("Bearer " + token).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                answer(exchange, 401, "{\"title\":\"Unauthorized\",\"type\":\"about:blank\",\"status\":401,"
                        + "\"detail\":\"Unauthorized\"}");
                return;
            }
            JsonNode body;
            try {
                body = JSON.readTree(raw);
            } catch (IOException e) {
                body = null;
            }
            String problem = null;
            if (!"POST".equals(exchange.getRequestMethod())) {
                problem = "method " + exchange.getRequestMethod();
            } else if (!"application/json".equals(exchange.getRequestHeaders().getFirst("Content-Type"))) {
                problem = "content type of " + path;
            } else if (body == null || !body.path("text").isTextual() || body.path("text").asText().isBlank()) {
                problem = "no text in " + path;
            } else if (path.equals("/2/tweets")) {
                if (!body.path("reply").path("in_reply_to_tweet_id").asText().matches("[0-9]+")) {
                    problem = "a reply without reply.in_reply_to_tweet_id";
                }
            } else if (!path.matches("/2/dm_conversations/with/[0-9]+/messages")) {
                problem = "path " + path;
            }
            if (problem != null) {
                rejections.add(problem);
                answer(exchange, 400, "{\"title\":\"Invalid Request\",\"detail\":\"" + problem + "\"}");
                return;
            }
            String id = Integer.toString(ids.incrementAndGet());
            sent.add(new Sent(path, body, id));
            answer(exchange, 201, path.equals("/2/tweets")
                    ? "{\"data\":{\"id\":\"" + id + "\",\"text\":" + JSON.writeValueAsString(body.path("text").asText())
                            + "}}"
                    : "{\"data\":{\"dm_conversation_id\":\"1-2\",\"dm_event_id\":\"" + id + "\"}}");
        }
    }

    /** Media X serves at {@code <baseUrl>/media/<name>}; the URL to put in a payload. */
    String media(String name, byte[] content) {
        media.put(name, content);
        return baseUrl() + "/media/" + name;
    }

    /** {@code GET /media/<name>} with the account's token as Bearer header, never in the URL. */
    private void media(HttpExchange exchange) throws IOException {
        try (exchange) {
            String name = exchange.getRequestURI().getRawPath().substring("/media/".length());
            if (!"GET".equals(exchange.getRequestMethod()) || exchange.getRequestURI().getRawQuery() != null) {
                rejections.add("media " + exchange.getRequestMethod() + " " + exchange.getRequestURI());
            }
            if (!("Bearer " + token).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                answer(exchange, 401, "{\"title\":\"Unauthorized\",\"status\":401}");
                return;
            }
            java.util.concurrent.CountDownLatch hold = holdMedia;
            if (hold != null) {
                hold.await();
            }
            byte[] content = media.get(name);
            if (content == null) {
                answer(exchange, 404, "{\"title\":\"Not Found Error\"}");
                return;
            }
            exchange.sendResponseHeaders(200, content.length);
            exchange.getResponseBody().write(content);
            mediaServed.incrementAndGet();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void answer(HttpExchange exchange, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    @Override
    public void close() {
        java.util.concurrent.CountDownLatch hold = holdMedia;
        if (hold != null) {
            hold.countDown();
        }
        server.stop(0);
        threads.shutdownNow();
    }
}
