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
 *
 * <p>Hide replies: {@code PUT /2/tweets/:id/hidden} with exactly {@code {"hidden": true|false}} and the same token;
 * 200 {@code {"data":{"hidden":...}}} for a post registered with {@link #replyToAccount}, 403 with X's words for any
 * other post (X hides only replies to the account's own posts).
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
    private final java.util.Set<String> repliesToAccount = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final java.util.Map<String, Boolean> hidden = new java.util.concurrent.ConcurrentHashMap<>();
    private final List<String> hideCalls = new CopyOnWriteArrayList<>();

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

    /** A post that replies to one of the account's posts: X lets the account hide it. */
    void replyToAccount(String tweetId) {
        repliesToAccount.add(tweetId);
    }

    /** Whether X hides each post it was asked about now. */
    java.util.Map<String, Boolean> hidden() {
        return java.util.Map.copyOf(hidden);
    }

    /** Each hide-replies request X took: {@code PUT <path> <body>}. */
    List<String> hideCalls() {
        return List.copyOf(hideCalls);
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
            java.util.regex.Matcher hide = java.util.regex.Pattern.compile("/2/tweets/([0-9]+)/hidden").matcher(path);
            if (hide.matches()) {
                hide(exchange, hide.group(1), body, raw);
                return;
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

    private void hide(HttpExchange exchange, String tweetId, JsonNode body, byte[] raw) throws IOException {
        String problem = null;
        if (!"PUT".equals(exchange.getRequestMethod())) {
            problem = "method " + exchange.getRequestMethod() + " to hide a reply";
        } else if (!"application/json".equals(exchange.getRequestHeaders().getFirst("Content-Type"))) {
            problem = "content type of a hide";
        } else if (body == null || body.size() != 1 || !body.path("hidden").isBoolean()) {
            problem = "a hide without exactly {\"hidden\": bool}";
        }
        if (problem != null) {
            rejections.add(problem);
            answer(exchange, 400, "{\"title\":\"Invalid Request\",\"detail\":\"" + problem + "\"}");
            return;
        }
        hideCalls.add("PUT /2/tweets/" + tweetId + "/hidden " + new String(raw, StandardCharsets.UTF_8));
        if (!repliesToAccount.contains(tweetId)) {
            answer(exchange, 403, "{\"detail\":\"You attempted to hide a Tweet that is not a reply to one of your "
                    + "conversations.\",\"title\":\"Forbidden\",\"type\":\"about:blank\",\"status\":403}");
            return;
        }
        hidden.put(tweetId, body.path("hidden").asBoolean());
        answer(exchange, 200, "{\"data\":{\"hidden\":" + body.path("hidden").asBoolean() + "}}");
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
