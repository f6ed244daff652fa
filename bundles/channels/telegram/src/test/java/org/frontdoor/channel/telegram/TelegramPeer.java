package org.frontdoor.channel.telegram;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A local Bot API on a free port: checks each request as Telegram documents it ({@code POST /bot<token>/<method>}
 * with a JSON body and the method's required fields; {@code GET /file/bot<token>/<file_path>}) and answers as
 * Telegram does: {@code {"ok":true,"result":...}}, or a scripted error answer.
 */
final class TelegramPeer implements AutoCloseable {

    /** A request the peer took, with its method and JSON body. */
    record Call(String method, JsonNode body) {
    }

    private static final Map<String, List<String>> REQUIRED = Map.of(
            "sendMessage", List.of("chat_id", "text"),
            "setWebhook", List.of("url"),
            "getFile", List.of("file_id"),
            "getMe", List.of(),
            "deleteWebhook", List.of());

    private final HttpServer server;
    final String token;
    final List<Call> calls = new CopyOnWriteArrayList<>();
    final List<String> problems = new CopyOnWriteArrayList<>();
    /** Answers to give, by method, before the normal one: status and body. */
    private final Map<String, Queue<Object[]>> scripted = new ConcurrentHashMap<>();
    final Map<String, byte[]> files = new ConcurrentHashMap<>();
    /** While set and not counted down, a file download waits: a slow file server. */
    volatile java.util.concurrent.CountDownLatch holdFiles;
    /** File downloads served. */
    final java.util.concurrent.atomic.AtomicInteger served = new java.util.concurrent.atomic.AtomicInteger();
    private volatile int messageIds = 100;

    TelegramPeer(String token) throws IOException {
        this.token = token;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** The next call of {@code method} is answered with this status and body. */
    void answerNext(String method, int status, String body) {
        scripted.computeIfAbsent(method, m -> new ConcurrentLinkedQueue<>()).add(new Object[] {status, body});
    }

    List<Call> calls(String method) {
        return calls.stream().filter(c -> c.method().equals(method)).toList();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            if (path.startsWith("/file/bot")) {
                String rest = path.substring("/file/bot".length());
                if (!rest.startsWith(token + "/") || !"GET".equals(exchange.getRequestMethod())) {
                    problems.add("file download " + exchange.getRequestMethod() + " with a wrong token or method");
                    answer(exchange, 404, "{\"ok\":false,\"error_code\":404,\"description\":\"Not Found\"}");
                    return;
                }
                byte[] content = files.get(rest.substring(token.length() + 1));
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
                    }
                }
                exchange.sendResponseHeaders(200, content.length);
                exchange.getResponseBody().write(content);
                served.incrementAndGet();
                return;
            }
            if (!path.startsWith("/bot") || path.indexOf('/', 4) < 0) {
                problems.add("not a Bot API path");
                answer(exchange, 404, "{\"ok\":false,\"error_code\":404,\"description\":\"Not Found\"}");
                return;
            }
            String pathToken = path.substring(4, path.indexOf('/', 4));
            String method = path.substring(path.indexOf('/', 4) + 1);
            byte[] raw = exchange.getRequestBody().readAllBytes();
            if (!"POST".equals(exchange.getRequestMethod())) {
                problems.add(method + " by " + exchange.getRequestMethod());
            }
            if (!String.valueOf(exchange.getRequestHeaders().getFirst("Content-Type")).startsWith("application/json")) {
                problems.add(method + " without Content-Type application/json");
            }
            JsonNode body = TelegramUpdates.JSON.readTree(raw);
            if (!REQUIRED.containsKey(method)) {
                problems.add("unknown method " + method);
            } else {
                for (String field : REQUIRED.get(method)) {
                    if (!body.hasNonNull(field)) {
                        problems.add(method + " without " + field);
                    }
                }
            }
            if ("sendMessage".equals(method)) {
                int units = body.path("text").asText().length();
                if (units > 4096) {
                    problems.add("sendMessage with " + units + " UTF-16 units");
                }
                if (body.has("parse_mode")) {
                    problems.add("sendMessage with a parse_mode: agent text is no markup");
                }
            }
            calls.add(new Call(method, body));
            if (!pathToken.equals(token)) {
                // what Telegram answers for a revoked token
                answer(exchange, 401, "{\"ok\":false,\"error_code\":401,\"description\":\"Unauthorized\"}");
                return;
            }
            Queue<Object[]> next = scripted.get(method);
            Object[] canned = next == null ? null : next.poll();
            if (canned != null) {
                answer(exchange, (Integer) canned[0], (String) canned[1]);
                return;
            }
            answer(exchange, 200, "{\"ok\":true,\"result\":" + result(method, body) + "}");
        } catch (RuntimeException e) {
            problems.add(e.toString());
            throw e;
        }
    }

    private synchronized String result(String method, JsonNode body) {
        return switch (method) {
            case "sendMessage" -> "{\"message_id\":" + (++messageIds) + ",\"date\":1700000000,\"chat\":{\"id\":"
                    + body.path("chat_id").asText() + ",\"type\":\"private\"},\"text\":"
                    + body.path("text").toString() + "}";
            case "getMe" -> "{\"id\":4242,\"is_bot\":true,\"first_name\":\"Shop\",\"username\":\"shop_bot\"}";
            case "getFile" -> "{\"file_id\":" + body.path("file_id").toString()
                    + ",\"file_unique_id\":\"u1\",\"file_size\":3,\"file_path\":\"photos/file_1.jpg\"}";
            default -> "true";
        };
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
