package org.frontdoor.distribution;

import org.frontdoor.testkit.Distribution;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A local Bot API for the distribution: checks each request as Telegram documents it ({@code POST /bot<token>/<method>},
 * a JSON body with the method's fields, no {@code parse_mode}) and answers as Telegram does: {@code ok: true} with a
 * result, or {@code 401 Unauthorized} for any token but the current one (a revoked token).
 */
final class TelegramApi implements AutoCloseable {

    record Call(String method, JsonNode body) {
    }

    private final HttpServer server;
    private volatile String token;
    final List<Call> calls = new CopyOnWriteArrayList<>();
    final List<String> problems = new CopyOnWriteArrayList<>();
    private final AtomicInteger messageIds = new AtomicInteger(500);

    TelegramApi(String token) throws IOException {
        this.token = token;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** @BotFather's /revoke: the old token is refused from now on. */
    void revokeTokenFor(String newToken) {
        token = newToken;
    }

    List<Call> calls(String method) {
        return calls.stream().filter(c -> c.method().equals(method)).toList();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            int slash = path.indexOf('/', 1);
            if (!path.startsWith("/bot") || slash < 0 || !"POST".equals(exchange.getRequestMethod())) {
                problems.add(exchange.getRequestMethod() + " of a path that is no Bot API method");
                answer(exchange, 404, "{\"ok\":false,\"error_code\":404,\"description\":\"Not Found\"}");
                return;
            }
            String method = path.substring(slash + 1);
            JsonNode body = Distribution.JSON.readTree(exchange.getRequestBody().readAllBytes());
            if (!String.valueOf(exchange.getRequestHeaders().getFirst("Content-Type")).startsWith("application/json")) {
                problems.add(method + " without Content-Type application/json");
            }
            switch (method) {
                case "sendMessage" -> {
                    if (!body.hasNonNull("chat_id") || !body.path("text").isTextual() || body.has("parse_mode")
                            || body.path("text").asText().length() > 4096) {
                        problems.add("sendMessage not as documented: " + body);
                    }
                }
                case "setWebhook" -> {
                    if (!body.path("url").isTextual() || !body.path("secret_token").isTextual()) {
                        problems.add("setWebhook without url or secret_token");
                    }
                }
                case "getMe", "deleteWebhook", "getFile" -> {
                }
                default -> problems.add("unknown method " + method);
            }
            calls.add(new Call(method, body));
            if (!path.substring(4, slash).equals(token)) {
                answer(exchange, 401, "{\"ok\":false,\"error_code\":401,\"description\":\"Unauthorized\"}");
                return;
            }
            String result = switch (method) {
                case "sendMessage" -> "{\"message_id\":" + messageIds.incrementAndGet() + ",\"date\":1700000000,"
                        + "\"chat\":{\"id\":" + body.path("chat_id").asText() + ",\"type\":\"private\"},\"text\":"
                        + body.path("text") + "}";
                case "getMe" -> "{\"id\":4242,\"is_bot\":true,\"first_name\":\"Shop\",\"username\":\"shop_bot\"}";
                default -> "true";
            };
            answer(exchange, 200, "{\"ok\":true,\"result\":" + result + "}");
        }
    }

    private static void answer(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
