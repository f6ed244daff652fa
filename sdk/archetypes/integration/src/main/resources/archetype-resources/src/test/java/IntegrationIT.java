package ${package};

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;

import org.frontdoor.testkit.Database;
import org.frontdoor.testkit.Distribution;
import org.frontdoor.testkit.VendorPeer;
import org.junit.jupiter.api.Test;

/**
 * The integration as it ships, in a running Frontdoor: the test kit boots a copy of the distribution, adds this
 * project's feature repository and installs its feature (from target/, before install: see
 * {@code Distribution.withPluginUnderTest()}), with one instance {@code it} posting routed events to a local
 * {@link VendorPeer}. A message through the distribution's demo channel is routed; the peer receives that
 * conversation's event with the Idempotency-Key {@code <consumer>:<position>}.
 */
class IntegrationIT {

    private static final String CONSUMER = "${groupId}.${integrationName}-it";

    @Test
    void thePeerReceivesTheRoutedEventWithItsIdempotencyKey() throws Exception {
        try (VendorPeer peer = new VendorPeer() {
                    @Override
                    protected String check(Received request) {
                        if (!"POST".equals(request.method())) {
                            return "not a POST";
                        }
                        return request.header(Delivery.IDEMPOTENCY_KEY) == null ? "no Idempotency-Key" : null;
                    }
                };
             Distribution frontdoor = new Distribution("IntegrationIT", Database.h2())
                .withConfig(Integration.FACTORY_PID + "-it.cfg", "url = " + peer.url("/events") + "\ntypes = routed\n")
                .withPluginUnderTest()
                .start()) {
            Distribution.Response posted = frontdoor.postSigned(
                    Distribution.webhookMessage("it-1", "customer-1", "Ann", "Hello"));
            assertThat(posted.status()).as(posted.body()).isEqualTo(202);
            long conversation = posted.json().path("conversationId").asLong();

            await().atMost(Duration.ofMinutes(1)).until(() -> peer.accepted().stream()
                    .anyMatch(r -> r.json().path("conversationId").asLong() == conversation));

            assertThat(peer.rejections()).isEmpty();
            assertThat(peer.accepted()).filteredOn(r -> r.json().path("conversationId").asLong() == conversation)
                    .first().satisfies(r -> assertThat(r.header(Delivery.IDEMPOTENCY_KEY)).matches(
                            java.util.regex.Pattern.quote(CONSUMER) + ":[0-9]+"));
            assertThat(frontdoor.logProblems()).isEmpty();
        }
    }
}
