package org.frontdoor.channel.api;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import javax.net.ssl.SSLHandshakeException;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import org.frontdoor.api.ChannelHealth;
import org.frontdoor.api.Identity;
import org.frontdoor.api.OutboundReply;
import org.frontdoor.api.ReplyRefusedException;
import org.frontdoor.api.Visibility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The callback against a real local HTTP peer that checks the documented request. */
class CallbackSenderTest {

    private HttpServer peer;
    private final ExecutorService peerThreads = Executors.newCachedThreadPool();
    private final List<String> problems = new CopyOnWriteArrayList<>();
    private final List<JsonNode> accepted = new CopyOnWriteArrayList<>();
    private volatile int answer = 204;

    @BeforeEach
    void startPeer() throws Exception {
        peer = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        peer.createContext("/cb", exchange -> {
            try (exchange) {
                byte[] body = exchange.getRequestBody().readAllBytes();
                String ts = exchange.getRequestHeaders().getFirst("X-Frontdoor-Timestamp");
                String sig = exchange.getRequestHeaders().getFirst("X-Frontdoor-Signature");
                JsonNode json = WebhookHandler.JSON.readTree(body);
                if (!"POST".equals(exchange.getRequestMethod())) {
                    problems.add("method");
                } else if (!"application/json".equals(exchange.getRequestHeaders().getFirst("Content-Type"))) {
                    problems.add("content type");
                } else if (ts == null || Math.abs(Instant.now().getEpochSecond() - Long.parseLong(ts)) > 300) {
                    problems.add("timestamp");
                } else if (!Signatures.sign("cb-secret", Long.parseLong(ts), body).equals(sig)) {
                    problems.add("signature");
                } else if (!json.path("replyId").asText().equals(exchange.getRequestHeaders().getFirst("X-Frontdoor-Reply-Id"))) {
                    problems.add("reply id");
                } else {
                    accepted.add(json);
                }
                exchange.sendResponseHeaders(problems.isEmpty() ? answer : 400, -1);
            }
        });
        // a slow answer holds its own thread, not the peer's
        peer.setExecutor(peerThreads);
        peer.start();
    }

    @AfterEach
    void stopPeer() {
        peer.stop(0);
        peerThreads.shutdownNow();
    }

    private ApiInstance instance(String url) {
        return Instances.instance("demo", "cb-secret", url);
    }

    private String url() {
        return "http://127.0.0.1:" + peer.getAddress().getPort() + "/cb";
    }

    private static OutboundReply reply(int attempt) {
        return new OutboundReply(42, 7, "api", "demo", new Identity("api", "cust-1", "Ann", null, null, 0), "t-9", "m-3",
                Visibility.PRIVATE, "It ships today", "jane", Instant.parse("2026-11-24T10:00:00Z"), attempt);
    }

    @Test
    void postsTheReplyAsSignedJson() throws Exception {
        ApiInstance demo = instance(url());

        new CallbackSender(n -> demo).send(reply(1));

        assertThat(problems).isEmpty();
        assertThat(accepted).hasSize(1);
        JsonNode json = accepted.get(0);
        assertThat(json.path("replyId").asLong()).isEqualTo(42);
        assertThat(json.path("conversationId").asLong()).isEqualTo(7);
        assertThat(json.path("to").asText()).isEqualTo("cust-1");
        assertThat(json.path("thread").asText()).isEqualTo("t-9");
        assertThat(json.path("inReplyTo").asText()).isEqualTo("m-3");
        assertThat(json.path("text").asText()).isEqualTo("It ships today");
        assertThat(json.path("author").asText()).isEqualTo("jane");
        assertThat(json.path("createdAt").asText()).isEqualTo("2026-11-24T10:00:00Z");
        assertThat(json.path("attempt").asInt()).isEqualTo(1);
        assertThat(demo.health().status()).isEqualTo(ChannelHealth.Status.UP);
    }

    @ParameterizedTest
    @ValueSource(ints = {408, 425, 429, 500, 502, 503, 504})
    void anAnswerThatMayChangeIsRetriedWithASentenceAndDegradesTheInstanceUntilASuccess(int status) throws Exception {
        answer = status;
        ApiInstance demo = instance(url());
        CallbackSender sender = new CallbackSender(n -> demo);

        assertThatThrownBy(() -> sender.send(reply(2))).isInstanceOf(CallbackSender.CallbackFailed.class)
                .hasMessageStartingWith("the callback peer ").hasMessageEndingWith(": it answered " + status);
        assertThat(demo.health().status()).isEqualTo(ChannelHealth.Status.DEGRADED);
        assertThat(demo.health().reason()).endsWith("it answered " + status);

        answer = 200;
        sender.send(reply(3));
        assertThat(demo.health().status()).isEqualTo(ChannelHealth.Status.UP);
    }

    @Test
    void aServerErrorSaysThePeerCouldNotTakeTheReplyNow() {
        answer = 503;
        ApiInstance demo = instance(url());

        assertThatThrownBy(() -> new CallbackSender(n -> demo).send(reply(1)))
                .hasMessage("the callback peer could not take the reply now: it answered 503");
    }

    @ParameterizedTest
    @ValueSource(ints = {401, 403})
    void aRefusedSignatureIsRetriedAndTheInstanceReportsAuthExpiredUntilASuccess(int status) throws Exception {
        answer = status;
        ApiInstance demo = instance(url());
        CallbackSender sender = new CallbackSender(n -> demo);

        assertThatThrownBy(() -> sender.send(reply(1))).isInstanceOf(CallbackSender.CallbackFailed.class)
                .hasMessage("the callback peer refused our signature (" + status + "): the reply waits until an "
                        + "admin checks the secret of channel instance demo");
        assertThat(demo.health().status()).isEqualTo(ChannelHealth.Status.AUTH_EXPIRED);
        assertThat(demo.health().reason()).startsWith("the callback peer refused our signature (" + status + "): "
                + "check that it verifies callbacks with the secret of channel instance demo (set in ");

        answer = 204;
        sender.send(reply(2));
        assertThat(demo.health().status()).isEqualTo(ChannelHealth.Status.UP);
    }

    @ParameterizedTest
    @ValueSource(ints = {400, 404, 405, 410, 413, 415, 422})
    void anyOtherClientErrorRefusesTheReplyForGoodAndLeavesTheInstanceUp(int status) {
        answer = status;
        ApiInstance demo = instance(url());

        assertThatThrownBy(() -> new CallbackSender(n -> demo).send(reply(1)))
                .isInstanceOf(ReplyRefusedException.class)
                .hasMessage("the callback peer refused the reply for good: it answered " + status);
        assertThat(demo.health().status()).isEqualTo(ChannelHealth.Status.UP);
    }

    @Test
    void aRedirectIsRetriedAndSaysToSetTheFinalAddress() {
        answer = 308;
        ApiInstance demo = instance(url());

        assertThatThrownBy(() -> new CallbackSender(n -> demo).send(reply(1)))
                .isInstanceOf(CallbackSender.CallbackFailed.class)
                .hasMessage("the callback peer answered 308, a redirect, and callbacks follow none: set callbackUrl "
                        + "of channel instance demo to the final address");
    }

    @Test
    void aPeerThatDoesNotAnswerInTimeIsRetried() {
        CountDownLatch release = new CountDownLatch(1);
        peer.createContext("/slow", exchange -> {
            try (exchange) {
                exchange.getRequestBody().readAllBytes();
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        ApiInstance demo = new ApiInstance(Instances.registeringOnly(),
                Instances.config("cb-secret", false, url().replace("/cb", "/slow"), 1024, 1),
                Map.of("service.pid", ApiInstance.FACTORY_PID + "~demo"));
        try {
            assertThatThrownBy(() -> new CallbackSender(n -> demo).send(reply(1)))
                    .isInstanceOf(CallbackSender.CallbackFailed.class)
                    .hasMessage("the callback peer did not answer within 1 s");
            assertThat(demo.health().status()).isEqualTo(ChannelHealth.Status.DEGRADED);
        } finally {
            release.countDown();
        }
    }

    @Test
    void aPeerThatClosesTheConnectionWithoutAnAnswerIsRetried() throws Exception {
        try (ServerSocket closing = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread peerThread = new Thread(() -> {
                try (Socket connection = closing.accept()) {
                    readRequest(connection.getInputStream());
                } catch (IOException ignored) {
                    // the test fails on the client's side if the peer misbehaves
                }
            }, "closing-peer");
            peerThread.start();
            ApiInstance demo = instance("http://127.0.0.1:" + closing.getLocalPort() + "/cb");

            assertThatThrownBy(() -> new CallbackSender(n -> demo).send(reply(1)))
                    .isInstanceOf(CallbackSender.CallbackFailed.class)
                    .hasMessage("the connection to the callback peer closed before it answered");
            peerThread.join();
        }
    }

    /** Reads one HTTP/1.1 request with a Content-Length body, so that closing sends no reset. */
    private static void readRequest(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                return;
            }
            head.append((char) b);
        }
        for (String line : head.toString().split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                in.readNBytes(Integer.parseInt(line.substring("content-length:".length()).trim()));
            }
        }
    }

    @Test
    void anUnreachablePeerIsRetriedNamingItsHostAndPortOnly() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        ApiInstance demo = instance("http://127.0.0.1:" + closed + "/cb?token=not-for-agents");

        assertThatThrownBy(() -> new CallbackSender(n -> demo).send(reply(1)))
                .isInstanceOf(CallbackSender.CallbackFailed.class)
                .hasMessage("could not connect to the callback peer at 127.0.0.1:" + closed
                        + ": nothing accepted the connection");
    }

    @Test
    void reasonsAreSentencesNeverExceptionClasses() {
        ApiInstance demo = instance("https://peer.example.org/cb");

        assertThat(CallbackSender.reason(new ConnectException(), demo)).isEqualTo(
                "could not connect to the callback peer at peer.example.org:443: nothing accepted the connection");
        assertThat(CallbackSender.reason(wrapped(new UnresolvedAddressException()), demo))
                .isEqualTo("the callback peer's host name peer.example.org does not resolve");
        assertThat(CallbackSender.reason(new IOException(new ClosedChannelException()), demo))
                .isEqualTo("the connection to the callback peer closed before it answered");
        assertThat(CallbackSender.reason(new IOException(new SSLHandshakeException("PKIX path building failed")), demo))
                .isEqualTo("the TLS handshake with the callback peer at peer.example.org:443 failed: check its "
                        + "certificate");
        assertThat(CallbackSender.reason(new IOException("java.lang.IllegalStateException"), demo))
                .isEqualTo("the connection to the callback peer failed before it answered");
    }

    private static IOException wrapped(RuntimeException cause) {
        ConnectException e = new ConnectException();
        e.initCause(cause);
        return e;
    }

    @Test
    void aReplyForAnUnconfiguredInstanceFailsAndWaits() {
        assertThatThrownBy(() -> new CallbackSender(n -> null).send(reply(1)))
                .hasMessage("channel instance demo is not configured");
    }
}
