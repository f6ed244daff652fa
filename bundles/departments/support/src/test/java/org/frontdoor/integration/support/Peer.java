package org.frontdoor.integration.support;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpServer;

/**
 * A real HTTP peer on a free local port: it keeps every request it gets and answers with the statuses it was told to
 * (then 200). It can go down and come back on the same port.
 */
public final class Peer implements AutoCloseable {

    /** One request as it arrived. */
    public record Received(String path, Headers headers, byte[] body, Instant at) {
        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        public String header(String name) {
            return headers.getFirst(name);
        }
    }

    /** An answer to give once. */
    public record Answer(int status, Map<String, String> headers) {
    }

    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final ConcurrentLinkedQueue<Answer> answers = new ConcurrentLinkedQueue<>();
    private final int port;
    private HttpServer server;

    public Peer() throws IOException {
        server = start(0);
        port = server.getAddress().getPort();
    }

    private HttpServer start(int at) throws IOException {
        HttpServer s = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), at), 0);
        s.createContext("/", exchange -> {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            received.add(new Received(exchange.getRequestURI().getPath(), exchange.getRequestHeaders(), body,
                    Instant.now()));
            Answer answer = answers.poll();
            int status = answer == null ? 200 : answer.status();
            if (answer != null) {
                answer.headers().forEach(exchange.getResponseHeaders()::add);
            }
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        s.start();
        return s;
    }

    /** The next requests get these statuses, one each, in order. */
    public void answer(int status, Map<String, String> headers) {
        answers.add(new Answer(status, headers));
    }

    public void answer(int status) {
        answer(status, Map.of());
    }

    public URI url(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    public List<Received> received() {
        return List.copyOf(received);
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
            server = start(port);
        }
    }

    @Override
    public void close() {
        down();
    }
}
