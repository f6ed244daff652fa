package org.frontdoor.integration.slack;

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
import org.frontdoor.testkit.Configs;
import org.frontdoor.testkit.StandInEvents;
import org.frontdoor.testkit.VendorPeer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A Slack instance against a local peer that reads what Slack would: the JSON payload. */
class SlackIntegrationTest {

    private static final String CONSUMER = "integration.slack-support";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final StandInEvents events = new StandInEvents();
    private final List<SlackIntegration> running = new ArrayList<>();
    private VendorPeer slack;

    @BeforeEach
    void peer() throws Exception {
        slack = new VendorPeer();
    }

    @AfterEach
    void stop() throws Exception {
        for (SlackIntegration s : running) {
            s.deactivate();
        }
        slack.close();
    }

    private SlackIntegration start(Map<String, Object> settings, Map<String, String> env) throws Exception {
        Map<String, Object> values = new HashMap<>(Map.of("start", "beginning", "department", "support"));
        values.putAll(settings);
        DefaultCamelContext camel = new DefaultCamelContext();
        camel.addComponent(Frontdoor.SCHEME, events);
        SlackIntegration s = new SlackIntegration(null, Configs.of(SlackConfig.class, values),
                Map.of("felix.fileinstall.filename", "/etc/org.frontdoor.integration.slack-support.cfg"), camel,
                env::get, Clock.systemUTC());
        running.add(s);
        return s;
    }

    private static JsonNode json(VendorPeer.Received r) {
        try {
            return JSON.readTree(r.body());
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void postsTextAndAMrkdwnSectionWithCustomerTextEscaped() throws Exception {
        start(Map.of("urlEnv", "SLACK_HOOK"), Map.of("SLACK_HOOK", slack.url("/services/T0/B0/xyz").toString()));
        events.append(Type.ROUTED, 5, "support", null, "<!channel> see <https://evil.example|here> & pay\nnow");
        events.append(Type.ROUTED, 6, "billing", null, "not ours");

        await().until(() -> events.position(CONSUMER) == 2);
        assertThat(slack.received()).hasSize(1);
        VendorPeer.Received r = slack.received().get(0);
        assertThat(r.path()).isEqualTo("/services/T0/B0/xyz");
        assertThat(r.header("Content-Type")).startsWith("application/json");
        JsonNode payload = json(r);
        assertThat(payload.get("text").asText()).isEqualTo("*Conversation 5* with Ada is new in *support*");
        JsonNode block = payload.get("blocks").get(0);
        assertThat(block.get("type").asText()).isEqualTo("section");
        assertThat(block.get("text").get("type").asText()).isEqualTo("mrkdwn");
        assertThat(block.get("text").get("text").asText()).isEqualTo("*Conversation 5* with Ada is new in *support*\n"
                + ">&lt;!channel&gt; see &lt;https://evil.example|here&gt; &amp; pay\n>now");
    }

    /**
     * Slack keeps no ids, so a notification may come twice (at least once); what must hold across an uninstall and a
     * reinstall is that none is lost and each delivery id reaches the peer in log order.
     */
    @Test
    void peerDownThenUpAcrossAnUninstallAndReinstallLosesNoNotification() throws Exception {
        slack.down();
        SlackIntegration first = start(Map.of("url", slack.url("/services/x").toString()), Map.of());
        for (int i = 1; i <= 3; i++) {
            events.append(Type.ROUTED, i, "support", null, "message " + i);
        }
        await().until(() -> first.status().info().lastError() != null);
        assertThat(first.status().info().lastError()).doesNotContain("/services/x");
        slack.up();
        await().until(() -> events.position(CONSUMER) >= 1);
        first.deactivate();
        running.remove(first);
        for (int i = 4; i <= 5; i++) {
            events.append(Type.ROUTED, i, "support", null, "message " + i);
        }
        start(Map.of("url", slack.url("/services/x").toString()), Map.of());
        await().until(() -> events.position(CONSUMER) == 5);

        List<String> ids = slack.received().stream().map(r -> r.header("X-Frontdoor-Delivery")).distinct().toList();
        assertThat(ids).containsExactly(CONSUMER + ":1", CONSUMER + ":2", CONSUMER + ":3", CONSUMER + ":4",
                CONSUMER + ":5");
    }

    @Test
    void escapesOnlyWhatSlackAsks() {
        assertThat(SlackText.escape("a & b < c > d \"e\" *f*")).isEqualTo("a &amp; b &lt; c &gt; d \"e\" *f*");
    }

    @Test
    void a429IsWaitedOutAsRetryAfterSaysAndARemovedWebhookHoldsTheEvents() throws Exception {
        slack.answer(429, Map.of("Retry-After", "1"));
        slack.answer(404);
        SlackIntegration s = start(Map.of("url", slack.url("/services/x").toString()), Map.of());
        events.append(Type.RESOLVED, 5, "support", null, null);

        await().until(() -> slack.received().size() == 3);
        List<VendorPeer.Received> got = slack.received();
        assertThat(Duration.between(got.get(0).at(), got.get(1).at())).isGreaterThanOrEqualTo(Duration.ofMillis(1000));
        assertThat(got).extracting(r -> r.header("X-Frontdoor-Delivery")).containsOnly(CONSUMER + ":1");
        await().until(() -> events.position(CONSUMER) == 1);
        assertThat(s.status().info().parked()).isZero();
        assertThat(s.status().info().delivered()).isEqualTo(1);
    }

    @Test
    void withoutAUrlItSaysSoAndTheUrlNeverShows() throws Exception {
        SlackIntegration none = start(Map.of(), Map.of());
        assertThat(none.status().info().lastError()).isEqualTo("no webhook URL: set urlFile, urlEnv or url in "
                + "/etc/org.frontdoor.integration.slack-support.cfg");
        running.remove(none);
        none.deactivate();
        SlackIntegration some = start(Map.of("url", slack.url("/services/T0/B0/secretpath").toString()), Map.of());
        assertThat(some.status().info().target()).doesNotContain("secretpath");
    }
}
