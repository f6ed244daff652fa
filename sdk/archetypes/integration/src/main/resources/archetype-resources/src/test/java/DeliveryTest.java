package ${package};

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpServer;
import org.frontdoor.api.ConversationEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The delivery against a real local HTTP peer that records what it took and answers as told. */
class DeliveryTest {

    private final List<Map.Entry<String, String>> received = new CopyOnWriteArrayList<>();
    private final AtomicInteger status = new AtomicInteger(200);
    private HttpServer peer;
    private URI url;

    @BeforeEach
    void startPeer() throws IOException {
        peer = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        peer.createContext("/events", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            received.add(Map.entry(exchange.getRequestHeaders().getFirst(Delivery.IDEMPOTENCY_KEY), body));
            exchange.sendResponseHeaders(status.get(), -1);
            exchange.close();
        });
        peer.start();
        url = URI.create("http://127.0.0.1:" + peer.getAddress().getPort() + "/events");
    }

    @AfterEach
    void stopPeer() {
        peer.stop(0);
    }

    static ConversationEvent routed(long position, String department) {
        return new ConversationEvent(position, ConversationEvent.Type.ROUTED, 7L, "api", "demo", department, 0L,
                "customer", Instant.parse("2026-01-01T00:00:00Z"), null, null, false, 3L, "Ann \"A\"", "hello");
    }

    @Test
    void postsTheEventWithAKeyTheSameOnEveryAttempt() throws Exception {
        Delivery delivery = new Delivery(url, Duration.ofSeconds(5));

        delivery.post("com.example.test-one", routed(42, "support"));
        delivery.post("com.example.test-one", routed(42, "support"));

        assertThat(received).extracting(Map.Entry::getKey)
                .containsExactly("com.example.test-one:42", "com.example.test-one:42");
        assertThat(received.get(0).getValue()).contains("\"event\":\"routed\"", "\"position\":42",
                "\"conversationId\":7", "\"department\":\"support\"");
    }

    @Test
    void aRefusalFailsTheDeliverySoItIsTriedAgain() {
        status.set(503);
        Delivery delivery = new Delivery(url, Duration.ofSeconds(5));

        assertThatThrownBy(() -> delivery.post("c", routed(1, "support"))).isInstanceOf(IOException.class)
                .hasMessageContaining("503");
    }

    @Test
    void tooManyRequestsIsTriedAgainButABadRequestIsRefusedForGood() throws Exception {
        Delivery delivery = new Delivery(url, Duration.ofSeconds(5));
        status.set(429);
        assertThatThrownBy(() -> delivery.post("c", routed(1, "support"))).isInstanceOf(IOException.class)
                .hasMessageContaining("429");

        status.set(422);
        assertThat(delivery.post("c", routed(1, "support"))).as("refused for good: passed over").isFalse();
        status.set(200);
        assertThat(delivery.post("c", routed(1, "support"))).isTrue();
    }

    @Test
    void aPeerThatIsDownIsNamedAsRefusingTheConnection() {
        URI down = url;
        peer.stop(0);
        Delivery delivery = new Delivery(down, Duration.ofSeconds(5));

        assertThatThrownBy(() -> delivery.post("c", routed(1, "support"))).isInstanceOf(IOException.class)
                .hasMessageContaining("refused the connection");
    }

    @Test
    void customerTextIsEscapedAsData() {
        assertThat(Delivery.quote("a\"b\\c\n")).isEqualTo("\"a\\\"b\\\\c\\u000a\"");
    }

    @Test
    void theConsumerIsNamedAfterTheConfigurationFile() {
        assertThat(Integration.consumerName(Map.of("felix.fileinstall.filename",
                "file:/opt/frontdoor/etc/${groupId}.integration.${integrationName}-tickets.cfg")))
                .isEqualTo("${groupId}.${integrationName}-tickets");
        assertThat(Integration.eventsUri("c", "routed, resolved", "support"))
                .isEqualTo("frontdoor:events?consumer=c&types=routed,resolved&department=support");
    }
}
