package org.frontdoor.channel.api;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import org.frontdoor.api.ChannelHealth;
import org.frontdoor.api.Identity;
import org.frontdoor.api.OutboundReply;
import org.frontdoor.api.Visibility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The callback against a real local HTTP peer that checks the documented request. */
class CallbackSenderTest {

    private HttpServer peer;
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
        peer.start();
    }

    @AfterEach
    void stopPeer() {
        peer.stop(0);
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

    @Test
    void aNon2xxAnswerFailsWithTheStatusAndDegradesTheInstance() {
        answer = 500;
        ApiInstance demo = instance(url());

        assertThatThrownBy(() -> new CallbackSender(n -> demo).send(reply(2)))
                .isInstanceOf(CallbackSender.CallbackFailed.class).hasMessage("callback answered 500");
        assertThat(demo.health().status()).isEqualTo(ChannelHealth.Status.DEGRADED);
        assertThat(demo.health().reason()).isEqualTo("callback answered 500");
    }

    @Test
    void anUnreachablePeerFailsWithAReadableReason() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        ApiInstance demo = instance("http://127.0.0.1:" + closed + "/cb");

        assertThatThrownBy(() -> new CallbackSender(n -> demo).send(reply(1)))
                .hasMessage("callback unreachable: connection refused");
    }

    @Test
    void aReplyForAnUnconfiguredInstanceFailsAndWaits() {
        assertThatThrownBy(() -> new CallbackSender(n -> null).send(reply(1)))
                .hasMessage("channel instance demo is not configured");
    }
}
