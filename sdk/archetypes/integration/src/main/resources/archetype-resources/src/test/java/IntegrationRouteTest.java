package ${package};

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;

import org.apache.camel.impl.DefaultCamelContext;
import org.frontdoor.api.ConversationEvent;
import org.frontdoor.api.Frontdoor;
import org.frontdoor.testkit.Configs;
import org.frontdoor.testkit.StandInEvents;
import org.frontdoor.testkit.VendorPeer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The route on the test kit: core's {@code frontdoor:events} played by {@link StandInEvents} (in order, the position
 * moved only once the route returned, the same event again after a failure), the peer by a {@link VendorPeer}.
 */
class IntegrationRouteTest {

    private static final String CONSUMER = "${groupId}.${integrationName}-tickets";
    private final StandInEvents events = new StandInEvents();
    private VendorPeer peer;
    private DefaultCamelContext camel;
    private Integration integration;

    @BeforeEach
    void start() throws Exception {
        peer = new VendorPeer() {
            @Override
            protected String check(Received request) {
                if (!"POST".equals(request.method())) {
                    return "not a POST";
                }
                return request.header(Delivery.IDEMPOTENCY_KEY) == null ? "no Idempotency-Key" : null;
            }
        };
        camel = new DefaultCamelContext();
        camel.addComponent(Frontdoor.SCHEME, events);
        integration = new Integration(camel, Configs.of(IntegrationConfig.class,
                Map.of("url", peer.url("/events").toString(), "department", "support")),
                Map.of("felix.fileinstall.filename", "etc/${groupId}.integration.${integrationName}-tickets.cfg"));
    }

    @AfterEach
    void stop() throws Exception {
        integration.deactivate();
        peer.close();
    }

    @Test
    void eachEventReachesThePeerOnceItTakesIt() {
        peer.answer(503);
        events.append(ConversationEvent.Type.ROUTED, 1, "support", null, "hello");

        await().atMost(Duration.ofSeconds(30)).until(() -> events.position(CONSUMER) == 1);

        // refused once, taken the second time, with the same key both times
        assertThat(peer.received()).hasSize(2)
                .allSatisfy(r -> assertThat(r.header(Delivery.IDEMPOTENCY_KEY)).isEqualTo(CONSUMER + ":1"));
        assertThat(peer.accepted()).singleElement()
                .satisfies(r -> assertThat(r.json().path("conversationId").asLong()).isEqualTo(1));
    }
}
