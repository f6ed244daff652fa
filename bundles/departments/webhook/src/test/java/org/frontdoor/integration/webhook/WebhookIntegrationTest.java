package org.frontdoor.integration.webhook;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.apache.camel.impl.DefaultCamelContext;
import org.frontdoor.api.ConversationEvent.Type;
import org.frontdoor.api.Frontdoor;
import org.frontdoor.api.admin.IntegrationInfo;
import org.frontdoor.testkit.Configs;
import org.frontdoor.testkit.StandInEvents;
import org.frontdoor.testkit.VendorPeer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A webhook instance against a real HTTP peer that checks what arrives, and a stand-in for core's events. */
class WebhookIntegrationTest {

    private static final String SECRET = "s3cret-for-tests";
    private static final String CONSUMER = "integration.webhook-crm";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final StandInEvents events = new StandInEvents();
    private final List<WebhookIntegration> running = new ArrayList<>();
    private VendorPeer peer;

    @AfterEach
    void stop() throws Exception {
        for (WebhookIntegration w : running) {
            w.deactivate();
        }
        if (peer != null) {
            peer.close();
        }
    }

    private WebhookIntegration start(Map<String, Object> settings, Map<String, String> env) throws Exception {
        Map<String, Object> values = new HashMap<>(Map.of("url", peer.url("/hooks/frontdoor?key=k").toString(),
                "secret", SECRET, "start", "beginning"));
        values.putAll(settings);
        DefaultCamelContext camel = new DefaultCamelContext();
        camel.addComponent(Frontdoor.SCHEME, events);
        WebhookIntegration w = new WebhookIntegration(null, Configs.of(WebhookConfig.class, values),
                Map.of("felix.fileinstall.filename", "/etc/org.frontdoor.integration.webhook-crm.cfg"), camel,
                env::get, Clock.systemUTC());
        running.add(w);
        return w;
    }

    private WebhookIntegration start() throws Exception {
        return start(Map.of(), Map.of());
    }

    /** The peer's own check: the signature over timestamp + "." + body with the shared secret. */
    private static void assertSigned(VendorPeer.Received r, String secret) {
        long timestamp = Long.parseLong(r.header("X-Frontdoor-Timestamp"));
        assertThat(r.header("X-Frontdoor-Signature")).isEqualTo(Signer.sign(secret, timestamp, r.body()));
        assertThat(r.header("Content-Type")).startsWith("application/json");
    }

    /** The delivery ids the peer accepted (answered 2xx), once each, in the order they were accepted. */
    private static List<String> acceptedOnce(List<VendorPeer.Received> received, int failedFirst) {
        List<String> ids = new ArrayList<>();
        for (VendorPeer.Received r : received.subList(failedFirst, received.size())) {
            if (!ids.contains(r.header("X-Frontdoor-Delivery"))) {
                ids.add(r.header("X-Frontdoor-Delivery"));
            }
        }
        return ids;
    }

    @Test
    void postsEachEventSignedWithItsDeliveryIdAndWhatToDoWithTheRecord() throws Exception {
        peer = new VendorPeer();
        start();
        events.append(Type.ROUTED, 11, "sales", null, "I want <b>50</b> seats & a quote");
        events.append(Type.TRANSFERRED, 11, "billing", "sales", null);
        events.append(Type.RESOLVED, 11, "billing", null, null);

        await().until(() -> peer.received().size() == 3);
        List<VendorPeer.Received> got = peer.received();
        for (VendorPeer.Received r : got) {
            assertSigned(r, SECRET);
            assertThat(r.path()).isEqualTo("/hooks/frontdoor");
            assertThat(r.header("X-Frontdoor-Attempt")).isEqualTo("1");
            assertThat(r.header("X-Frontdoor-Lease-Generation")).isEqualTo("1");
        }
        assertThat(got).extracting(r -> r.header("X-Frontdoor-Delivery"))
                .containsExactly(CONSUMER + ":1", CONSUMER + ":2", CONSUMER + ":3");
        assertThat(got).extracting(r -> json(r).get("action").asText()).containsExactly("open", "move", "close");
        JsonNode first = json(got.get(0));
        assertThat(first.get("deliveryId").asText()).isEqualTo(CONSUMER + ":1");
        assertThat(first.get("conversationId").asLong()).isEqualTo(11);
        // customer text travels as data: a JSON string, exactly as written
        assertThat(first.get("preview").asText()).isEqualTo("I want <b>50</b> seats & a quote");
        assertThat(json(got.get(1)).get("previousDepartment").asText()).isEqualTo("sales");
        await().until(() -> events.position(CONSUMER) == 3);
        IntegrationInfo info = running.get(0).status().info();
        assertThat(info.delivered()).isEqualTo(3);
        assertThat(info.target()).isEqualTo(peer.url("").toString().replaceAll("/$", ""));
        assertThat(info.lastError()).isNull();
    }

    @Test
    void aPeerThat500sGetsTheSameDeliveryAgainAndNothingAfterItMeanwhile() throws Exception {
        peer = new VendorPeer();
        peer.answer(500);
        peer.answer(503);
        WebhookIntegration w = start();
        events.append(Type.ROUTED, 1, "sales", null, null);
        events.append(Type.RESOLVED, 1, "sales", null, null);

        await().until(() -> peer.received().size() == 4);
        assertThat(peer.received()).extracting(r -> r.header("X-Frontdoor-Delivery"))
                .containsExactly(CONSUMER + ":1", CONSUMER + ":1", CONSUMER + ":1", CONSUMER + ":2");
        assertThat(peer.received()).extracting(r -> r.header("X-Frontdoor-Attempt"))
                .containsExactly("1", "2", "3", "1");
        peer.received().forEach(r -> assertSigned(r, SECRET));
        await().until(() -> events.position(CONSUMER) == 2);
        assertThat(w.status().info().lastError()).isNull();
        assertThat(w.status().info().parked()).isZero();
    }

    @Test
    void retryAfterIsHonouredBeforeTheNextAttempt() throws Exception {
        peer = new VendorPeer();
        peer.answer(429, Map.of("Retry-After", "2"));
        WebhookIntegration w = start();
        events.append(Type.ROUTED, 1, "sales", null, null);

        await().until(() -> w.status().info().lastError() != null);
        assertThat(w.status().info().lastError()).contains("429").contains("wait 2 s");
        await().until(() -> peer.received().size() == 2);
        List<VendorPeer.Received> got = peer.received();
        // the stand-in delivers the event again every 200 ms at most; no request left before the 2 s were over
        assertThat(Duration.between(got.get(0).at(), got.get(1).at())).isGreaterThanOrEqualTo(Duration.ofMillis(1000));
        assertThat(got.get(1).header("X-Frontdoor-Delivery")).isEqualTo(CONSUMER + ":1");
        await().until(() -> w.status().info().lastError() == null);
    }

    @Test
    void aDeliveryRefusedForGoodIsParkedAndShownAndTheNextGoes() throws Exception {
        peer = new VendorPeer();
        peer.answer(422);
        WebhookIntegration w = start();
        events.append(Type.ROUTED, 1, "sales", null, null);
        events.append(Type.ROUTED, 2, "sales", null, null);

        await().until(() -> events.position(CONSUMER) == 2);
        assertThat(peer.received()).extracting(r -> r.header("X-Frontdoor-Delivery"))
                .containsExactly(CONSUMER + ":1", CONSUMER + ":2");
        IntegrationInfo info = w.status().info();
        assertThat(info.parked()).isEqualTo(1);
        assertThat(info.delivered()).isEqualTo(1);
        // the parked one stays counted; the delivery that went through after it ended the last error
        assertThat(info.lastError()).isNull();
    }

    @Test
    void aWrongSignatureAnswer401WaitsRatherThanLosingEvents() throws Exception {
        peer = new VendorPeer();
        peer.answer(401);
        WebhookIntegration w = start();
        events.append(Type.ROUTED, 1, "sales", null, null);
        await().until(() -> peer.received().size() == 2);
        assertThat(peer.received()).extracting(r -> r.header("X-Frontdoor-Delivery"))
                .containsExactly(CONSUMER + ":1", CONSUMER + ":1");
        assertThat(w.status().info().parked()).isZero();
    }

    @Test
    void onlyItsDepartmentAndTransfersOutOfIt() throws Exception {
        peer = new VendorPeer();
        start(Map.of("department", "sales"), Map.of());
        events.append(Type.ROUTED, 1, "billing", null, null);
        events.append(Type.ROUTED, 2, "sales", null, null);
        events.append(Type.TRANSFERRED, 2, "billing", "sales", null);
        events.append(Type.RESOLVED, 1, "billing", null, null);
        events.append(Type.ROUTED, 3, "sales", null, null);

        await().until(() -> peer.received().size() == 3);
        await().until(() -> events.position(CONSUMER) == 5);
        assertThat(peer.received()).extracting(r -> json(r).get("conversationId").asLong()).containsExactly(2L, 2L, 3L);
    }

    @Test
    void peerDownThenUpAcrossAnUninstallAndReinstallGetsEveryRecordOnceInOrder() throws Exception {
        peer = new VendorPeer();
        peer.down();
        WebhookIntegration first = start();
        for (int i = 1; i <= 3; i++) {
            events.append(Type.ROUTED, i, "sales", null, null);
        }
        await().until(() -> first.status().info().lastError() != null);
        assertThat(first.status().info().lastError()).contains("could not connect").doesNotContain("/hooks")
                .doesNotContain(SECRET);
        peer.up();
        await().until(() -> events.position(CONSUMER) >= 1);
        // uninstalled mid-stream: the position stays with core, the next instance goes on from it
        first.deactivate();
        running.remove(first);
        for (int i = 1; i <= 3; i++) {
            events.append(Type.RESOLVED, i, "sales", null, null);
        }
        start();
        await().until(() -> events.position(CONSUMER) == 6);

        List<String> ids = acceptedOnce(peer.received(), 0);
        assertThat(ids).containsExactly(CONSUMER + ":1", CONSUMER + ":2", CONSUMER + ":3", CONSUMER + ":4",
                CONSUMER + ":5", CONSUMER + ":6");
        for (long conversation = 1; conversation <= 3; conversation++) {
            long c = conversation;
            List<String> actions = new ArrayList<>();
            List<String> seen = new ArrayList<>();
            for (VendorPeer.Received r : peer.received()) {
                JsonNode j = json(r);
                if (j.get("conversationId").asLong() == c && !seen.contains(j.get("deliveryId").asText())) {
                    seen.add(j.get("deliveryId").asText());
                    actions.add(j.get("action").asText());
                }
            }
            assertThat(actions).containsExactly("open", "close");
        }
    }

    @Test
    void theSecretComesFromAFileOrTheEnvironmentAndWithoutOneNothingRuns(@TempDir Path dir) throws Exception {
        peer = new VendorPeer();
        Path file = dir.resolve("webhook.secret");
        Files.writeString(file, "from-a-file\n");
        start(Map.of("secret", "", "secretFile", file.toString()), Map.of());
        events.append(Type.ROUTED, 1, "sales", null, null);
        await().until(() -> peer.received().size() == 1);
        assertSigned(peer.received().get(0), "from-a-file");
        running.remove(0).deactivate();

        start(Map.of("secret", "", "secretEnv", "CRM_HOOK_KEY"), Map.of("CRM_HOOK_KEY", "from-env"));
        events.append(Type.ROUTED, 2, "sales", null, null);
        await().until(() -> peer.received().size() == 2);
        assertSigned(peer.received().get(1), "from-env");
        running.remove(0).deactivate();

        WebhookIntegration none = start(Map.of("secret", "", "secretEnv", "UNSET_VARIABLE"), Map.of());
        assertThat(none.status().info().lastError()).isEqualTo("the environment variable UNSET_VARIABLE named by "
                + "secretEnv in /etc/org.frontdoor.integration.webhook-crm.cfg is not set");
        assertThat(none.status().info().consumer()).isEqualTo(CONSUMER);
    }

    private static JsonNode json(Object r) {
        try {
            return JSON.readTree(((VendorPeer.Received) r).body());
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
