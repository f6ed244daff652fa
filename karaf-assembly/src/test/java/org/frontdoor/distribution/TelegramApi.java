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
    private final java.util.concurrent.ExecutorService threads = java.util.concurrent.Executors.newCachedThreadPool();
    private volatile String token;
    final List<Call> calls = new CopyOnWriteArrayList<>();
    final List<String> problems = new CopyOnWriteArrayList<>();
    private final AtomicInteger messageIds = new AtomicInteger(500);
    /** Files getFile knows, by file_id: served at {@code /file/bot<token>/photos/<file_id>.jpg}. */
    final java.util.Map<String, byte[]> files = new java.util.concurrent.ConcurrentHashMap<>();
    /** While set and not counted down, a file download waits: Telegram's file server is slow. */
    volatile java.util.concurrent.CountDownLatch holdFiles;
    final AtomicInteger served = new AtomicInteger();

    TelegramApi(String token) throws IOException {
        this.token = token;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        // a held download must not hold the Bot API calls
        server.setExecutor(threads);
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
            if (path.startsWith("/file/bot")) {
                download(exchange, path);
                return;
            }
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
                case "getFile" -> {
                    if (!body.path("file_id").isTextual()) {
                        problems.add("getFile without file_id");
                    }
                }
                case "getMe", "deleteWebhook" -> {
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
                case "getFile" -> {
                    String fileId = body.path("file_id").asText();
                    if (!files.containsKey(fileId)) {
                        answer(exchange, 400, "{\"ok\":false,\"error_code\":400,\"description\":\"Bad Request: "
                                + "invalid file_id\"}");
                        yield null;
                    }
                    yield "{\"file_id\":\"" + fileId + "\",\"file_unique_id\":\"u-" + fileId + "\",\"file_size\":"
                            + files.get(fileId).length + ",\"file_path\":\"photos/" + fileId + ".jpg\"}";
                }
                default -> "true";
            };
            if (result != null) {
                answer(exchange, 200, "{\"ok\":true,\"result\":" + result + "}");
            }
        }
    }

    /** {@code GET /file/bot<token>/<file_path>}, as Telegram's file server: the token in the path, nowhere else. */
    private void download(HttpExchange exchange, String path) throws IOException {
        String rest = path.substring("/file/bot".length());
        if (!"GET".equals(exchange.getRequestMethod()) || !rest.startsWith(token + "/photos/")) {
            problems.add("file download " + exchange.getRequestMethod() + " not as documented");
            answer(exchange, 404, "{\"ok\":false,\"error_code\":404,\"description\":\"Not Found\"}");
            return;
        }
        String fileId = rest.substring((token + "/photos/").length()).replaceFirst("\\.jpg$", "");
        byte[] content = files.get(fileId);
        if (content == null) {
            answer(exchange, 404, "{\"ok\":false,\"error_code\":404,\"description\":\"Not Found\"}");
            return;
        }
        java.util.concurrent.CountDownLatch hold = holdFiles;
        if (hold != null) {
            try {
                hold.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        exchange.sendResponseHeaders(200, content.length);
        exchange.getResponseBody().write(content);
        served.incrementAndGet();
    }

    private static void answer(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    @Override
    public void close() {
        java.util.concurrent.CountDownLatch hold = holdFiles;
        if (hold != null) {
            hold.countDown();
        }
        server.stop(0);
        threads.shutdownNow();
    }
}
