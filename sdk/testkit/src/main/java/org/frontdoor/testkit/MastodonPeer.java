package org.frontdoor.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A local Mastodon server for one account, on a free port of 127.0.0.1, as docs.joinmastodon.org documents it:
 *
 * <ul>
 *   <li>{@code GET /api/v2/instance}: the configuration ({@code statuses.max_characters}, {@code urls.streaming}).</li>
 *   <li>{@code GET /api/v1/streaming/user/notification}: Server-Sent Events, {@code event: notification} with the
 *       Notification JSON as {@code data:}, a {@code :thump} heartbeat on request; {@link #dropStreams()} cuts every
 *       open stream, {@link #refuseStreams(boolean)} answers new ones 503 (a server restarting).</li>
 *   <li>{@code GET /api/v1/notifications}: {@code types[]}, {@code since_id}, {@code max_id}, {@code limit}, newest
 *       first, with a {@code Link} header to the next (older) page.</li>
 *   <li>{@code POST /api/v1/statuses}: checks the JSON fields and the {@code Idempotency-Key}; the same key gives
 *       the same status and posts nothing new.</li>
 *   <li>Every request but the instance's needs {@code Authorization: Bearer <token>}: another token (or one in the
 *       URL) is answered 401 {@code {"error":"The access token is invalid"}}; {@link #rateLimitNextPost(Instant)}
 *       answers 429 with {@code X-RateLimit-Reset} as Mastodon does (an ISO 8601 time).</li>
 * </ul>
 *
 * What is not as documented lands in {@link #problems()}, which a test asserts empty.
 */
public final class MastodonPeer implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> VISIBILITIES = Set.of("public", "unlisted", "private", "direct");

    /** A status the account posted. */
    public record Posted(String id, JsonNode body, String idempotencyKey, String authorization) {
        public String text() {
            return body.path("status").asText();
        }
    }

    private final HttpServer server;
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "mastodon-peer");
        t.setDaemon(true);
        return t;
    });
    private final String account;
    private volatile String token;
    private volatile int maxCharacters = 500;
    private volatile boolean refuseStreams;
    private final AtomicLong ids = new AtomicLong(110_000_000_000_000_000L);
    private final AtomicLong notificationIds = new AtomicLong(34_975_000);
    private final List<ObjectNode> notifications = new CopyOnWriteArrayList<>();
    private final List<OutputStream> streams = new CopyOnWriteArrayList<>();
    private final List<Posted> posted = new CopyOnWriteArrayList<>();
    private final Map<String, Posted> byKey = new ConcurrentHashMap<>();
    private final Queue<Instant> rateLimits = new ConcurrentLinkedQueue<>();
    private final List<String> problems = new CopyOnWriteArrayList<>();
    private final List<String> notificationQueries = new CopyOnWriteArrayList<>();
    private final AtomicLong streamsOpened = new AtomicLong();

    /** A server where {@code account} (its user name) has the access token {@code token}. */
    public MastodonPeer(String account, String token) throws IOException {
        this.account = account;
        this.token = token;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(threads);
        server.createContext("/", this::handle);
        server.start();
    }

    /** The server's address, for {@code baseUrl}. */
    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** The account's token from now on: the old one is refused (401), as after a revocation. */
    public void token(String token) {
        this.token = token;
    }

    public void maxCharacters(int max) {
        this.maxCharacters = max;
    }

    /** New streams are answered 503 while true. */
    public void refuseStreams(boolean refuse) {
        this.refuseStreams = refuse;
    }

    /** Cuts every open stream, as a restarting streaming server does. */
    public void dropStreams() {
        for (OutputStream s : streams) {
            try {
                s.close();
            } catch (IOException ignored) {
                // gone either way
            }
        }
        streams.clear();
    }

    /** How many streams are open now. */
    public int openStreams() {
        return streams.size();
    }

    /** How many streams were opened so far. */
    public long streamsOpened() {
        return streamsOpened.get();
    }

    /** The next {@code POST /api/v1/statuses} is answered 429 with {@code X-RateLimit-Reset: until}. */
    public void rateLimitNextPost(Instant until) {
        rateLimits.add(until);
    }

    /**
     * A customer mentions the account: the documented Notification (type mention, with its status) is kept for
     * {@code GET /api/v1/notifications} and sent on every open stream.
     *
     * @param acct        the customer's acct ({@code alice} or {@code alice@other.example})
     * @param visibility  public, unlisted, private or direct
     * @param html        the status's content, as Mastodon renders it
     * @param inReplyToId the status answered, or null
     * @return the notification
     */
    public JsonNode mention(String acct, String visibility, String html, String inReplyToId) {
        ObjectNode n = notification(acct, visibility, html, inReplyToId);
        notifications.add(n);
        send(n);
        return n;
    }

    /** As {@link #mention} but sent on no stream (posted while none was open, say). */
    public JsonNode mentionUnstreamed(String acct, String visibility, String html, String inReplyToId) {
        ObjectNode n = notification(acct, visibility, html, inReplyToId);
        notifications.add(n);
        return n;
    }

    /** Any other notification (a favourite, a follow): streamed and listed, not of type mention. */
    public JsonNode other(String type, String acct) {
        ObjectNode n = JSON.createObjectNode();
        n.put("id", Long.toString(notificationIds.incrementAndGet()));
        n.put("type", type);
        n.put("created_at", Instant.now().toString());
        n.set("account", accountJson(acct));
        notifications.add(n);
        send(n);
        return n;
    }

    /** A heartbeat comment on every open stream. */
    public void heartbeat() {
        write(":thump\n");
    }

    private ObjectNode notification(String acct, String visibility, String html, String inReplyToId) {
        ObjectNode status = JSON.createObjectNode();
        String statusId = Long.toString(ids.addAndGet(1_000_000));
        Instant now = Instant.now();
        status.put("id", statusId);
        status.put("created_at", now.toString());
        if (inReplyToId == null) {
            status.putNull("in_reply_to_id");
            status.putNull("in_reply_to_account_id");
        } else {
            status.put("in_reply_to_id", inReplyToId);
            status.put("in_reply_to_account_id", "14715");
        }
        status.put("sensitive", false);
        status.put("spoiler_text", "");
        status.put("visibility", visibility);
        status.put("language", "en");
        String host = acct.contains("@") ? acct.substring(acct.indexOf('@') + 1) : "127.0.0.1";
        String user = acct.contains("@") ? acct.substring(0, acct.indexOf('@')) : acct;
        status.put("uri", "https://" + host + "/users/" + user + "/statuses/" + statusId);
        status.put("url", "https://" + host + "/@" + user + "/" + statusId);
        status.put("replies_count", 0);
        status.put("reblogs_count", 0);
        status.put("favourites_count", 0);
        status.put("content", html);
        status.putNull("reblog");
        status.set("account", accountJson(acct));
        status.set("media_attachments", JSON.createArrayNode());
        ObjectNode mention = JSON.createObjectNode();
        mention.put("id", "14715");
        mention.put("username", account);
        mention.put("url", url() + "/@" + account);
        mention.put("acct", account);
        status.set("mentions", JSON.createArrayNode().add(mention));
        status.set("tags", JSON.createArrayNode());
        status.set("emojis", JSON.createArrayNode());
        ObjectNode n = JSON.createObjectNode();
        n.put("id", Long.toString(notificationIds.incrementAndGet()));
        n.put("type", "mention");
        n.put("created_at", now.toString());
        n.set("account", accountJson(acct));
        n.set("status", status);
        return n;
    }

    private static ObjectNode accountJson(String acct) {
        String user = acct.contains("@") ? acct.substring(0, acct.indexOf('@')) : acct;
        ObjectNode a = JSON.createObjectNode();
        a.put("id", Integer.toString(Math.abs(acct.hashCode())));
        a.put("username", user);
        a.put("acct", acct);
        a.put("display_name", Character.toUpperCase(user.charAt(0)) + user.substring(1));
        a.put("locked", false);
        a.put("bot", false);
        a.put("followers_count", 12);
        return a;
    }

    private void send(JsonNode n) {
        write("event: notification\ndata: " + n + "\n\n");
    }

    private void write(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        for (OutputStream s : streams) {
            try {
                synchronized (s) {
                    s.write(bytes);
                    s.flush();
                }
            } catch (IOException e) {
                streams.remove(s);
            }
        }
    }

    /** The statuses the account posted, each once however often it was asked. */
    public List<Posted> posted() {
        return List.copyOf(posted);
    }

    /** The raw queries of {@code GET /api/v1/notifications}, in order. */
    public List<String> notificationQueries() {
        return List.copyOf(notificationQueries);
    }

    /** What was not as Mastodon documents it. */
    public List<String> problems() {
        return List.copyOf(problems);
    }

    private void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        String query = exchange.getRequestURI().getRawQuery();
        String method = exchange.getRequestMethod();
        byte[] body;
        try (InputStream in = exchange.getRequestBody()) {
            body = in.readAllBytes();
        }
        if (query != null && query.contains("access_token")) {
            problems.add(method + " " + path + " carries the token in its URL");
        }
        if ("GET".equals(method) && "/api/v2/instance".equals(path)) {
            answer(exchange, 200, Map.of(), "{\"domain\":\"127.0.0.1\",\"title\":\"Test\",\"version\":\"4.3.0\","
                    + "\"configuration\":{\"urls\":{\"streaming\":\"" + url().replace("http:", "ws:") + "\"},"
                    + "\"statuses\":{\"max_characters\":" + maxCharacters + ",\"max_media_attachments\":4,"
                    + "\"characters_reserved_per_url\":23}}}");
            return;
        }
        String auth = exchange.getRequestHeaders().getFirst("Authorization");
        if (auth == null || !auth.equals("Bearer " + token)) {
            answer(exchange, 401, Map.of(), "{\"error\":\"The access token is invalid\"}");
            return;
        }
        if ("GET".equals(method) && "/api/v1/streaming/user/notification".equals(path)) {
            stream(exchange);
            return;
        }
        if ("GET".equals(method) && "/api/v1/notifications".equals(path)) {
            list(exchange, query);
            return;
        }
        if ("POST".equals(method) && "/api/v1/statuses".equals(path)) {
            post(exchange, body, auth);
            return;
        }
        problems.add("no such endpoint: " + method + " " + path);
        answer(exchange, 404, Map.of(), "{\"error\":\"Record not found\"}");
    }

    private void stream(HttpExchange exchange) throws IOException {
        if (refuseStreams) {
            answer(exchange, 503, Map.of(), "{\"error\":\"Service Unavailable\"}");
            return;
        }
        String accept = exchange.getRequestHeaders().getFirst("Accept");
        if (accept != null && !accept.contains("text/event-stream") && !accept.contains("*/*")) {
            problems.add("the stream was asked with Accept: " + accept);
        }
        exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
        exchange.getResponseHeaders().add("Cache-Control", "no-store");
        exchange.sendResponseHeaders(200, 0);
        OutputStream out = exchange.getResponseBody();
        out.write(":)\n".getBytes(StandardCharsets.UTF_8));
        out.flush();
        streams.add(out);
        streamsOpened.incrementAndGet();
    }

    private void list(HttpExchange exchange, String query) throws IOException {
        notificationQueries.add(query == null ? "" : query);
        Map<String, List<String>> params = params(query);
        List<String> types = params.getOrDefault("types[]", List.of());
        String since = first(params, "since_id");
        String max = first(params, "max_id");
        int limit = Math.min(80, Integer.parseInt(first(params, "limit") == null ? "40" : first(params, "limit")));
        List<ObjectNode> page = new ArrayList<>();
        List<ObjectNode> all = new ArrayList<>(notifications);
        all.sort(Comparator.comparingLong((ObjectNode n) -> Long.parseLong(n.path("id").asText())).reversed());
        for (ObjectNode n : all) {
            long id = Long.parseLong(n.path("id").asText());
            if (!types.isEmpty() && !types.contains(n.path("type").asText())) {
                continue;
            }
            if (since != null && id <= Long.parseLong(since) || max != null && id >= Long.parseLong(max)) {
                continue;
            }
            if (page.size() == limit) {
                break;
            }
            page.add(n);
        }
        Map<String, String> headers = new LinkedHashMap<>();
        if (!page.isEmpty()) {
            String kept = types.isEmpty() ? "" : "&types%5B%5D=" + String.join("&types%5B%5D=", types);
            headers.put("Link", "<" + url() + "/api/v1/notifications?limit=" + limit + kept + "&max_id="
                    + page.get(page.size() - 1).path("id").asText() + ">; rel=\"next\", <" + url()
                    + "/api/v1/notifications?limit=" + limit + kept + "&min_id=" + page.get(0).path("id").asText()
                    + ">; rel=\"prev\"");
        }
        answer(exchange, 200, headers, JSON.writeValueAsString(page));
    }

    private void post(HttpExchange exchange, byte[] body, String auth) throws IOException {
        String type = exchange.getRequestHeaders().getFirst("Content-Type");
        JsonNode json;
        try {
            json = JSON.readTree(body);
        } catch (IOException e) {
            json = null;
        }
        String key = exchange.getRequestHeaders().getFirst("Idempotency-Key");
        List<String> wrong = new ArrayList<>();
        if (type == null || !type.startsWith("application/json")) {
            wrong.add("Content-Type " + type);
        }
        if (json == null || !json.isObject()) {
            wrong.add("a body that is not a JSON object");
        } else {
            if (!json.path("status").isTextual() || json.path("status").asText().isBlank()) {
                wrong.add("no status text");
            } else if (!json.path("status").asText().startsWith("@")) {
                wrong.add("a reply that does not start with the customer's @acct: " + json.path("status").asText());
            }
            if (!VISIBILITIES.contains(json.path("visibility").asText())) {
                wrong.add("visibility " + json.path("visibility"));
            }
            if (json.has("in_reply_to_id") && !json.path("in_reply_to_id").isTextual()) {
                wrong.add("in_reply_to_id that is not a string");
            }
        }
        if (key == null || key.isBlank()) {
            wrong.add("no Idempotency-Key");
        }
        if (!wrong.isEmpty()) {
            problems.add("POST /api/v1/statuses with " + String.join(", ", wrong));
            answer(exchange, 422, Map.of(), "{\"error\":\"Validation failed: " + String.join(", ", wrong) + "\"}");
            return;
        }
        Instant limited = rateLimits.poll();
        if (limited != null) {
            answer(exchange, 429, Map.of("X-RateLimit-Limit", "300", "X-RateLimit-Remaining", "0",
                    "X-RateLimit-Reset", limited.toString()), "{\"error\":\"Too many requests\"}");
            return;
        }
        String text = json.path("status").asText();
        int length = text.codePointCount(0, text.length());
        if (length > maxCharacters) {
            answer(exchange, 422, Map.of(), "{\"error\":\"Validation failed: Text character limit of "
                    + maxCharacters + " exceeded\"}");
            return;
        }
        JsonNode taken = json;
        Posted p = byKey.computeIfAbsent(key, k -> {
            Posted fresh = new Posted(Long.toString(ids.addAndGet(1_000_000)), taken, key, auth);
            posted.add(fresh);
            return fresh;
        });
        ObjectNode status = JSON.createObjectNode();
        status.put("id", p.id());
        status.put("created_at", Instant.now().toString());
        status.put("visibility", p.body().path("visibility").asText());
        status.put("content", "<p>" + p.text().replace("&", "&amp;").replace("<", "&lt;") + "</p>");
        status.set("in_reply_to_id", p.body().path("in_reply_to_id"));
        answer(exchange, 200, Map.of(), status.toString());
    }

    private static Map<String, List<String>> params(String query) {
        Map<String, List<String>> params = new LinkedHashMap<>();
        if (query == null || query.isEmpty()) {
            return params;
        }
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            params.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
        }
        return params;
    }

    private static String first(Map<String, List<String>> params, String name) {
        List<String> values = params.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    private static void answer(HttpExchange exchange, int status, Map<String, String> headers, String body)
            throws IOException {
        try (exchange) {
            headers.forEach(exchange.getResponseHeaders()::add);
            exchange.getResponseHeaders().add("Content-Type", "application/json; charset=utf-8");
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    @Override
    public void close() {
        dropStreams();
        server.stop(0);
        threads.shutdownNow();
    }
}
