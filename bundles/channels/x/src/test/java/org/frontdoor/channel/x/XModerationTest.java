package org.frontdoor.channel.x;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.frontdoor.api.ChannelHealth.Status;
import org.frontdoor.api.ChannelModeration;
import org.frontdoor.api.ModerationRefusedException;
import org.frontdoor.api.ModerationUnavailableException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Hiding replies through X's hide-replies endpoint against a local peer that checks each documented request
 * ({@code PUT /2/tweets/:id/hidden}, {@code {"hidden": bool}}, the user token) and answers as X does.
 */
class XModerationTest {

    /** The replies to the account's posts the peer knows; any other id is not the account's to hide. */
    private static final String REPLY = "1336950233925439489";
    private static final String STRANGER = "1336950233925439490";

    private HttpServer peer;
    private final ExecutorService peerThreads = Executors.newCachedThreadPool();
    private final List<String> calls = new CopyOnWriteArrayList<>();
    private final List<String> problems = new CopyOnWriteArrayList<>();
    private final Map<String, Boolean> hiddenOnX = new ConcurrentHashMap<>();
    private final AtomicReference<String> validToken = new AtomicReference<>("access-1");
    private final AtomicReference<Integer> nextFailure = new AtomicReference<>();

    @BeforeEach
    void startPeer() throws Exception {
        peer = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        peer.createContext("/2/", exchange -> {
            try (exchange) {
                answer(exchange);
            } catch (Exception e) {
                problems.add(e.toString());
            }
        });
        peer.setExecutor(peerThreads);
        peer.start();
    }

    private void answer(HttpExchange exchange) throws Exception {
        String path = exchange.getRequestURI().getRawPath();
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        calls.add(exchange.getRequestMethod() + " " + path + " " + body);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("/2/tweets/([0-9]+)/hidden").matcher(path);
        if (!"PUT".equals(exchange.getRequestMethod()) || !m.matches()) {
            problems.add(exchange.getRequestMethod() + " " + path);
            send(exchange, 404, "{\"title\":\"Not Found Error\"}");
            return;
        }
        if (!"application/json".equals(exchange.getRequestHeaders().getFirst("Content-Type"))) {
            problems.add("content type " + exchange.getRequestHeaders().getFirst("Content-Type"));
        }
        if (!("Bearer " + validToken.get()).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
            send(exchange, 401, "{\"title\":\"Unauthorized\",\"type\":\"about:blank\",\"status\":401,"
                    + "\"detail\":\"Unauthorized\"}");
            return;
        }
        Integer failure = nextFailure.getAndSet(null);
        if (failure != null) {
            if (failure == 429) {
                exchange.getResponseHeaders().add("x-rate-limit-remaining", "0");
                exchange.getResponseHeaders().add("x-rate-limit-reset",
                        Long.toString(java.time.Instant.now().getEpochSecond() + 600));
            }
            send(exchange, failure, "{\"title\":\"Too Many Requests\"}");
            return;
        }
        JsonNode json = XWebhookHandler.JSON.readTree(body);
        if (json == null || json.size() != 1 || !json.path("hidden").isBoolean()) {
            problems.add("body " + body);
            send(exchange, 400, "{\"title\":\"Invalid Request\"}");
            return;
        }
        if (!m.group(1).equals(REPLY)) {
            send(exchange, 403, "{\"detail\":\"You attempted to hide a Tweet that is not a reply to one of your "
                    + "conversations.\",\"title\":\"Forbidden\",\"type\":\"about:blank\",\"status\":403}");
            return;
        }
        hiddenOnX.put(m.group(1), json.path("hidden").asBoolean());
        send(exchange, 200, "{\"data\":{\"hidden\":" + json.path("hidden").asBoolean() + "}}");
    }

    private static void send(HttpExchange exchange, int status, String json) throws java.io.IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    @AfterEach
    void stopPeer() {
        peer.stop(0);
        peerThreads.shutdownNow();
        assertThat(problems).isEmpty();
    }

    private XInstance instance(Map<String, Object> more) {
        Map<String, Object> settings = new HashMap<>(Map.of("baseUrl", "http://127.0.0.1:"
                + peer.getAddress().getPort()));
        settings.putAll(more);
        return Instances.instance("demo", settings);
    }

    @Test
    void aReplyIsHiddenAndShownAgainWithTheUserToken() throws Exception {
        XInstance demo = instance(Map.of());
        assertThat(demo.moderationActions()).containsExactlyInAnyOrder(ChannelModeration.Action.HIDE,
                ChannelModeration.Action.UNHIDE);

        demo.setHidden(REPLY, true);
        assertThat(hiddenOnX).containsEntry(REPLY, true);
        demo.setHidden(REPLY, true); // a repeat after a lost answer is the same change
        demo.setHidden(REPLY, false);

        assertThat(hiddenOnX).containsEntry(REPLY, false);
        assertThat(calls).containsExactly("PUT /2/tweets/" + REPLY + "/hidden {\"hidden\":true}",
                "PUT /2/tweets/" + REPLY + "/hidden {\"hidden\":true}",
                "PUT /2/tweets/" + REPLY + "/hidden {\"hidden\":false}");
        assertThat(demo.health().status()).isEqualTo(Status.UP);
    }

    @Test
    void xRefusesAPostThatIsNotAReplyToTheAccountForGoodAndNoIdGoesIntoAPath() {
        XInstance demo = instance(Map.of());

        assertThatThrownBy(() -> demo.setHidden(STRANGER, true)).isInstanceOf(ModerationRefusedException.class)
                .hasMessageContaining("403").hasMessageContaining("not a reply to one of your conversations")
                .hasMessageContaining("tweet.moderate.write");
        assertThatThrownBy(() -> demo.setHidden("dm:954491830116155396", true))
                .isInstanceOf(ModerationRefusedException.class);
        assertThatThrownBy(() -> demo.setHidden("1/../../2/users", true))
                .isInstanceOf(ModerationRefusedException.class);
        assertThat(calls).hasSize(1);
        assertThat(hiddenOnX).isEmpty();
    }

    @Test
    void aRateLimitOrAnOutageIsPassingAndHoldsNoReplies() {
        XInstance demo = instance(Map.of());

        nextFailure.set(429);
        assertThatThrownBy(() -> demo.setHidden(REPLY, true)).isInstanceOf(ModerationUnavailableException.class)
                .hasMessageContaining("rate limit").hasMessageContaining("UTC");
        assertThat(demo.health().status()).as("X's limit for hiding is not the one for replies").isEqualTo(Status.UP);
        nextFailure.set(503);
        assertThatThrownBy(() -> demo.setHidden(REPLY, true)).isInstanceOf(ModerationUnavailableException.class)
                .hasMessageContaining("503");
        peer.stop(0);
        assertThatThrownBy(() -> demo.setHidden(REPLY, true)).isInstanceOf(ModerationUnavailableException.class)
                .hasMessageContaining("127.0.0.1").hasMessageNotContaining("access-1");
        assertThat(hiddenOnX).isEmpty();
    }

    @Test
    void aRefusedTokenIsRefreshedOnceElseTheDoorIsAuthExpired() throws Exception {
        validToken.set("access-2");
        XInstance demo = instance(Map.of());

        assertThatThrownBy(() -> demo.setHidden(REPLY, true)).isInstanceOf(ModerationUnavailableException.class)
                .hasMessageContaining("401").hasMessageNotContaining("access-1");
        assertThat(demo.health().status()).isEqualTo(Status.AUTH_EXPIRED);
        assertThat(hiddenOnX).isEmpty();

        XInstance fixed = instance(Map.of("accessToken", "access-2"));
        fixed.setHidden(REPLY, true);
        assertThat(hiddenOnX).containsEntry(REPLY, true);
    }
}
