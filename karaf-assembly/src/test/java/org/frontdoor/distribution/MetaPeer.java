package org.frontdoor.distribution;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
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
 * A local stand-in for Meta's Graph API: {@code POST /v21.0/me/messages} (Messenger and Instagram, {@code recipient}
 * and {@code message.text}), {@code POST /v21.0/{comment-id}/comments} and {@code /replies} ({@code message}), and
 * {@code POST /v21.0/{phone-number-id}/messages} (WhatsApp, {@code messaging_product: whatsapp}, {@code to}, a text or
 * a template), each checked for its method, JSON body, no token in the URL and {@code Authorization: Bearer <the
 * token Meta takes now>}; it answers as Meta does, and 401 with error code 190 to any other token. A request that
 * fails a check is recorded as a rejection. It also signs deliveries as Meta does, with the App Secret.
 */
final class MetaPeer implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** A call Meta took: its path and body. */
    /** A request the peer took, and the id it answered with (WhatsApp's wamid, Messenger's mid, a comment's id). */
    record Sent(String path, JsonNode body, String id) {
        /** The text sent, wherever the call's shape puts it. */
        String text() {
            if (body.path("message").isTextual()) {
                return body.path("message").asText();
            }
            if (body.path("message").path("text").isTextual()) {
                return body.path("message").path("text").asText();
            }
            return body.path("text").path("body").asText();
        }
    }

    private final String appSecret;
    private final HttpServer server;
    private final List<Sent> sent = new CopyOnWriteArrayList<>();
    private final List<String> rejections = new CopyOnWriteArrayList<>();
    private final AtomicInteger ids = new AtomicInteger(7000);
    private volatile String token;
    private final java.util.Map<String, String[]> media = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * A WhatsApp media object the Graph API serves: {@code GET /v21.0/{id}} gives its url, mime_type and file_size,
     * {@code GET} of that url the content; both with the Bearer token. Returns the id a webhook names.
     */
    String media(String mimeType, String content) {
        String id = Long.toString(1_000_000_000_000L + ids.incrementAndGet());
        media.put(id, new String[] {mimeType, content});
        return id;
    }

    MetaPeer(String appSecret, String token) throws IOException {
        this.appSecret = appSecret;
        this.token = token;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** The access token Meta takes from now on (the old one has expired). */
    void token(String token) {
        this.token = token;
    }

    List<Sent> sent() {
        return List.copyOf(sent);
    }

    List<String> rejections() {
        return List.copyOf(rejections);
    }

    /** {@code sha256=} + hex HMAC-SHA256 of the raw body with the App Secret: X-Hub-Signature-256. */
    String sign(byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(appSecret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return "sha256=" + HexFormat.of().formatHex(mac.doFinal(data));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] raw = exchange.getRequestBody().readAllBytes();
            String path = exchange.getRequestURI().getRawPath();
            String query = exchange.getRequestURI().getRawQuery();
            if (query != null && query.contains("access_token")) {
                rejections.add("the access token in the URL of " + path);
                answer(exchange, 400, error(100, "token in URL"));
                return;
            }
            if (!("Bearer " + token).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                answer(exchange, 401, "{\"error\":{\"message\":\"Error validating access token: Session has expired "
                        + "on Friday, 04-Dec-26 09:00:00 PST.\",\"type\":\"OAuthException\",\"code\":190,"
                        + "\"error_subcode\":463,\"fbtrace_id\":\"AbCdEf\"}}");
                return;
            }
            if ("GET".equals(exchange.getRequestMethod())) {
                servedMedia(exchange, path, query);
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
            } else if (body == null) {
                problem = "no JSON body in " + path;
            } else if (path.equals("/v21.0/me/messages")) {
                if (!body.path("recipient").path("id").isTextual()
                        && !body.path("recipient").path("comment_id").isTextual()) {
                    problem = "no recipient";
                } else if (body.path("message").path("text").asText("").isBlank()) {
                    problem = "no message.text";
                }
            } else if (path.matches("/v21\\.0/[0-9_]+/(comments|replies)")) {
                if (body.path("message").asText("").isBlank()) {
                    problem = "no message in " + path;
                }
            } else if (path.matches("/v21\\.0/[0-9]+/messages")) {
                if (!"whatsapp".equals(body.path("messaging_product").asText())) {
                    problem = "messaging_product";
                } else if (!body.path("to").asText("").matches("[0-9]+")) {
                    problem = "no to";
                } else if (!("text".equals(body.path("type").asText())
                        && !body.path("text").path("body").asText("").isBlank()
                        || "template".equals(body.path("type").asText())
                        && !body.path("template").path("name").asText("").isBlank())) {
                    problem = "neither a text nor a template";
                }
            } else {
                problem = "path " + path;
            }
            if (problem != null) {
                rejections.add(problem);
                answer(exchange, 400, error(100, problem));
                return;
            }
            int id = ids.incrementAndGet();
            boolean comment = path.endsWith("/comments") || path.endsWith("/replies");
            boolean messenger = path.endsWith("/me/messages");
            String given = messenger ? "m_" + id : comment ? Integer.toString(id) : "wamid." + id;
            sent.add(new Sent(path, body, given));
            answer(exchange, 200, messenger
                    ? "{\"recipient_id\":\"1\",\"message_id\":\"" + given + "\"}"
                    : comment ? "{\"id\":\"" + given + "\"}"
                    : "{\"messaging_product\":\"whatsapp\",\"contacts\":[{\"input\":\"" + body.path("to").asText()
                            + "\",\"wa_id\":\"" + body.path("to").asText() + "\"}],\"messages\":[{\"id\":\""
                            + given + "\"}]}");
        }
    }

    /** A media object or its download, as the Graph API serves them; anything else GET is a rejection. */
    private void servedMedia(HttpExchange exchange, String path, String query) throws IOException {
        if (path.matches("/v21\\.0/[0-9]+") && media.containsKey(path.substring(7))) {
            String id = path.substring(7);
            String[] m = media.get(id);
            answer(exchange, 200, "{\"messaging_product\":\"whatsapp\",\"url\":\"" + baseUrl()
                    + "/whatsapp_business/attachments/?mid=" + id + "&ext=1700000000&hash=ATtZ\",\"mime_type\":\""
                    + m[0] + "\",\"file_size\":" + m[1].getBytes(StandardCharsets.UTF_8).length + ",\"id\":\"" + id
                    + "\"}");
            return;
        }
        String mid = query == null ? "" : query.replaceAll(".*\\bmid=([0-9]+).*", "$1");
        if (path.equals("/whatsapp_business/attachments/") && media.containsKey(mid)) {
            byte[] content = media.get(mid)[1].getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", media.get(mid)[0]);
            exchange.sendResponseHeaders(200, content.length);
            exchange.getResponseBody().write(content);
            return;
        }
        rejections.add("GET of " + path);
        answer(exchange, 400, error(100, "GET of " + path));
    }

    private static String error(int code, String message) {
        return "{\"error\":{\"message\":\"" + message.replace("\"", "'") + "\",\"type\":\"OAuthException\",\"code\":"
                + code + ",\"fbtrace_id\":\"AbCdEf\"}}";
    }

    private static void answer(HttpExchange exchange, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
