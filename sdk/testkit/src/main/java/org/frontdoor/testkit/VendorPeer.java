package org.frontdoor.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A local HTTP peer standing in for a vendor's API (a CRM, a chat service, a customer's callback endpoint): a real
 * server on a free port of 127.0.0.1 that keeps every request it gets, checks each as the vendor documents it and
 * answers as the vendor does.
 *
 * <ul>
 *   <li><b>Checks</b>: override {@link #check(Received)} to return what is wrong with a request (method, content
 *       type, signature, body...); such a request is answered {@code 400} and its problem kept in
 *       {@link #rejections()}, which a test asserts empty at its end.</li>
 *   <li><b>Scripted answers</b>: {@link #answer(int)} and {@link #answer(int, Map)} queue an answer for the next
 *       request each, in order ({@link #tooManyRequests(Duration)} for a 429 with {@code Retry-After},
 *       {@link #unauthorized()} for a 401); when none is queued the peer answers {@link #answerFromNow(int)}'s status
 *       (200 at first) with {@link #body(Received)}.</li>
 *   <li><b>Outages</b>: {@link #down()} refuses connections, {@link #up()} listens again on the same port.</li>
 * </ul>
 *
 * <pre>{@code
 * try (VendorPeer crm = new VendorPeer()) {
 *     crm.tooManyRequests(Duration.ofSeconds(1));           // the first lead is throttled, then taken
 *     // ... configure the plugin with crm.url("/leads") ...
 *     await().until(() -> crm.accepted().size() == 1);
 *     assertThat(crm.accepted().get(0).header("Idempotency-Key")).isEqualTo("...");
 *     assertThat(crm.rejections()).isEmpty();
 * }
 * }</pre>
 */
public class VendorPeer implements AutoCloseable {

    /** JSON as the peers read and write it. */
    protected static final ObjectMapper JSON = new ObjectMapper();

    /** One request as it arrived. */
    public record Received(String method, String path, String query, Headers headers, byte[] body, Instant at) {

        /** The body as UTF-8 text. */
        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        /** The body as JSON; an {@link UncheckedIOException} when it is not JSON. */
        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** The first value of a request header, or {@code null}. */
        public String header(String name) {
            return headers.getFirst(name);
        }
    }

    /** An answer to give once: status, headers and a body ({@code null} for none). */
    public record Answer(int status, Map<String, String> headers, String body) {
        public Answer {
            headers = Map.copyOf(headers);
        }
    }

    private final String context;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final List<Received> accepted = new CopyOnWriteArrayList<>();
    private final List<String> rejections = new CopyOnWriteArrayList<>();
    private final ConcurrentLinkedQueue<Answer> answers = new ConcurrentLinkedQueue<>();
    private final int port;
    private volatile int status = 200;
    private HttpServer server;

    /** A peer answering every path. */
    public VendorPeer() throws IOException {
        this("/");
    }

    /** A peer answering the paths under {@code context} (others get 404 and are not recorded). */
    public VendorPeer(String context) throws IOException {
        this.context = context;
        server = listen(0);
        port = server.getAddress().getPort();
    }

    private HttpServer listen(int at) throws IOException {
        HttpServer s = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), at), 0);
        s.createContext(context, this::handle);
        s.start();
        return s;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange; InputStream in = exchange.getRequestBody()) {
            byte[] body = in.readAllBytes();
            Received request = new Received(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                    exchange.getRequestURI().getRawQuery(), exchange.getRequestHeaders(), body, Instant.now());
            received.add(request);
            String problem;
            try {
                problem = check(request);
            } catch (RuntimeException e) {
                problem = "check failed: " + e;
            }
            if (problem != null) {
                rejections.add(problem);
                respond(exchange, new Answer(400, Map.of("Content-Type", "text/plain"), problem));
                return;
            }
            Answer answer = answers.poll();
            if (answer == null) {
                answer = answerFor(request);
            }
            if (answer == null) {
                int fromNow = status;
                String text = fromNow / 100 == 2 ? body(request) : null;
                answer = new Answer(fromNow, text == null ? Map.of() : Map.of("Content-Type", "application/json"), text);
            }
            if (answer.status() / 100 == 2) {
                accepted.add(request);
                accepted(request);
            }
            respond(exchange, answer);
        }
    }

    private static void respond(HttpExchange exchange, Answer answer) throws IOException {
        answer.headers().forEach(exchange.getResponseHeaders()::add);
        if (answer.body() == null) {
            exchange.sendResponseHeaders(answer.status(), -1);
            return;
        }
        byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(answer.status(), bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    /**
     * What is wrong with a request as the vendor documents it, or {@code null} when it is fine. The base peer
     * takes everything; a request it rejects is answered 400 with the problem as its body.
     */
    protected String check(Received request) {
        return null;
    }

    /**
     * The body of a 2xx answer that was not scripted, or {@code null} for none (the base peer's). Override to answer as
     * the vendor does (for example {@code {"ok":true}}); it is sent as {@code application/json}.
     */
    protected String body(Received request) {
        return null;
    }

    /**
     * The answer to a request that passed {@link #check} and found no scripted one, or {@code null} for the status
     * from now on with {@link #body} (the base peer's). Override for requests answered otherwise (a file, a redirect).
     */
    protected Answer answerFor(Received request) {
        return null;
    }

    /** Called for each request that passed {@link #check} and was answered 2xx (the base peer does nothing). */
    protected void accepted(Received request) {
    }

    /** The next request gets this status (then the one after the next queued, and so on). */
    public void answer(int status) {
        answer(status, Map.of());
    }

    /** The next request gets this status and these headers. */
    public void answer(int status, Map<String, String> headers) {
        answers.add(new Answer(status, headers, null));
    }

    /** The next request gets this answer. */
    public void answer(Answer answer) {
        answers.add(answer);
    }

    /** The next request gets {@code 429 Too Many Requests} with {@code Retry-After} in whole seconds. */
    public void tooManyRequests(Duration retryAfter) {
        answer(429, Map.of("Retry-After", Long.toString(retryAfter.toSeconds())));
    }

    /** The next request gets {@code 401 Unauthorized}, as for a revoked or wrong token. */
    public void unauthorized() {
        answer(401, Map.of("WWW-Authenticate", "Bearer"));
    }

    /** The status for requests that find no scripted answer, from now on (200 at first). */
    public void answerFromNow(int status) {
        this.status = status;
    }

    /** The full URL of a path on this peer. */
    public URI url(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    /** The port the peer listens on (the same after {@link #down()} and {@link #up()}). */
    public int port() {
        return port;
    }

    /** Every request the peer got, in order, rejected ones included. */
    public List<Received> received() {
        return List.copyOf(received);
    }

    /** The requests that passed the checks and were answered 2xx, in order. */
    public List<Received> accepted() {
        return List.copyOf(accepted);
    }

    /** Why requests were rejected (answered 400), in order. */
    public List<String> rejections() {
        return List.copyOf(rejections);
    }

    /** The headers of all requests, first value each, for assertions on one request: {@code headers(0)}. */
    public Map<String, String> headers(int request) {
        Map<String, String> first = new LinkedHashMap<>();
        received.get(request).headers().forEach((name, values) -> first.put(name, values.get(0)));
        return first;
    }

    /** Stops listening: connections are refused. */
    public synchronized void down() {
        if (server != null) {
            server.stop(0);
            server = null;
        }
    }

    /** Listens again on the same port. */
    public synchronized void up() throws IOException {
        if (server == null) {
            server = listen(port);
        }
    }

    @Override
    public void close() {
        down();
    }
}
