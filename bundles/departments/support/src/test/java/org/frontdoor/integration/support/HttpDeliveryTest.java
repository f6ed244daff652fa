package org.frontdoor.integration.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

class HttpDeliveryTest {

    @Test
    void aClosedPortIsToldAsARefusedConnectionNamingHostPortAndTheConfigurationFile() throws Exception {
        int closed;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = socket.getLocalPort();
        }
        Tracker tracker = new Tracker("webhook-crm", "webhook", "integration-webhook-crm", null,
                "http://127.0.0.1:" + closed, Clock.systemUTC());
        HttpDelivery delivery = new HttpDelivery(URI.create("http://127.0.0.1:" + closed + "/hooks/s3cret?key=k"),
                Duration.ofSeconds(5), Duration.ofMinutes(5), tracker, Clock.systemUTC(), Set.of(),
                "etc/org.frontdoor.integration.webhook-crm.cfg");

        Throwable failed = catchThrowable(() -> delivery.post("d-1", "{}".getBytes(), (time, attempt) -> Map.of()));

        String expected = "connection refused by 127.0.0.1:" + closed + ": is the peer running? check url in "
                + "etc/org.frontdoor.integration.webhook-crm.cfg (delivery d-1, attempt 1)";
        assertThat(failed).isInstanceOf(DeliveryFailed.class).hasMessage(expected);
        assertThat(failed.getMessage()).doesNotContain("closed").doesNotContain("s3cret").doesNotContain("key=");
        assertThat(tracker.info().lastError()).isEqualTo(expected);
    }

    @Test
    void withoutASourceTheRefusalPointsAtTheIntegrationsConfiguration() throws Exception {
        int closed;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = socket.getLocalPort();
        }
        Tracker tracker = new Tracker("slack-ops", "slack", "integration-slack-ops", null, null, Clock.systemUTC());
        HttpDelivery delivery = new HttpDelivery(URI.create("http://127.0.0.1:" + closed + "/"),
                Duration.ofSeconds(5), Duration.ofMinutes(5), tracker, Clock.systemUTC());

        Throwable failed = catchThrowable(() -> delivery.post("d-2", "{}".getBytes(), (time, attempt) -> Map.of()));

        assertThat(failed).isInstanceOf(DeliveryFailed.class).hasMessage("connection refused by 127.0.0.1:" + closed
                + ": is the peer running? check url in the integration's configuration (delivery d-2, attempt 1)");
    }
}
