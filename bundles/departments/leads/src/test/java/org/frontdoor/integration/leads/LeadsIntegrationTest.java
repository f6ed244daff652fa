package org.frontdoor.integration.leads;

import java.lang.reflect.Proxy;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.apache.camel.impl.DefaultCamelContext;
import org.frontdoor.api.Annotation;
import org.frontdoor.api.Caller;
import org.frontdoor.api.ConversationEvent.Type;
import org.frontdoor.api.Frontdoor;
import org.frontdoor.api.Visibility;
import org.frontdoor.api.inbox.ConversationDetail;
import org.frontdoor.api.inbox.ConversationStatus;
import org.frontdoor.api.inbox.ConversationSummary;
import org.frontdoor.api.inbox.Inbox;
import org.frontdoor.api.inbox.MessageView;
import org.frontdoor.testkit.Configs;
import org.frontdoor.testkit.StandInEvents;
import org.frontdoor.testkit.VendorPeer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The lead export against a local CRM peer, with conversations as the inbox gives them. */
class LeadsIntegrationTest {

    private static final String CONSUMER = "integration.leads-crm";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final StandInEvents events = new StandInEvents();
    private final Map<Long, ConversationDetail> conversations = new ConcurrentHashMap<>();
    private final List<Caller> askedBy = new ArrayList<>();
    private final List<LeadsIntegration> running = new ArrayList<>();
    private VendorPeer crm;

    /** Only what the export calls: {@code conversation(caller, id)}. */
    private final Inbox inbox = (Inbox) Proxy.newProxyInstance(Inbox.class.getClassLoader(),
            new Class<?>[] {Inbox.class}, (proxy, method, args) -> {
                if (method.getName().equals("conversation") && args.length == 2) {
                    askedBy.add((Caller) args[0]);
                    return Optional.ofNullable(conversations.get((Long) args[1]));
                }
                throw new UnsupportedOperationException(method.getName());
            });

    @BeforeEach
    void peer() throws Exception {
        crm = new VendorPeer();
    }

    @AfterEach
    void stop() throws Exception {
        for (LeadsIntegration l : running) {
            l.deactivate();
        }
        crm.close();
    }

    private LeadsIntegration start(Map<String, Object> settings) throws Exception {
        Map<String, Object> values = new HashMap<>(Map.of("url", crm.url("/leads").toString(), "start", "beginning",
                "tokenEnv", "CRM_TOKEN"));
        values.putAll(settings);
        DefaultCamelContext camel = new DefaultCamelContext();
        camel.addComponent(Frontdoor.SCHEME, events);
        LeadsIntegration l = new LeadsIntegration(null, Configs.of(LeadsConfig.class, values),
                Map.of("felix.fileinstall.filename", "/etc/org.frontdoor.integration.leads-crm.cfg"), camel, inbox,
                Map.of("CRM_TOKEN", "tok-123")::get, Clock.systemUTC());
        running.add(l);
        return l;
    }

    private void conversation(long id, List<Annotation> annotations) {
        ConversationSummary summary = new ConversationSummary(id, 7, "Ada", "api", "demo", null, "sales",
                ConversationStatus.QUEUED, null, 0, "hi", 1, Instant.parse("2026-12-01T10:00:00Z"),
                Instant.parse("2026-12-01T10:00:00Z"));
        MessageView message = new MessageView(id * 10, "ext-" + id, Visibility.PUBLIC, 7, "ada@example.com", "Ada",
                "We need 50 seats, \"asap\" <b>", Instant.parse("2026-12-01T10:00:00Z"), annotations);
        conversations.put(id, new ConversationDetail(summary, List.of(message), List.of()));
    }

    private static JsonNode json(VendorPeer.Received r) {
        try {
            return JSON.readTree(r.body());
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void postsEachAnnotatedConversationOnceAtItsFirstRouting() throws Exception {
        conversation(1, List.of(new Annotation("lead", "enterprise", 0.9)));
        conversation(2, List.of(new Annotation("sentiment", "positive", 0.9)));
        conversation(3, List.of(new Annotation("Lead", "smb", 0.3)));
        crm.answer(503);
        start(Map.of());
        events.append(Type.ROUTED, 1, "sales", null, null);
        events.append(Type.ROUTED, 2, "sales", null, null);
        events.append(Type.ROUTED, 3, "sales", null, null);
        events.append(Type.RESOLVED, 1, "sales", null, null);

        await().until(() -> events.position(CONSUMER) == 4);
        // the 503 made it come again; the CRM keeps one per Idempotency-Key
        assertThat(crm.received()).hasSize(2);
        VendorPeer.Received r = crm.received().get(1);
        assertThat(r.header("Idempotency-Key")).isEqualTo(CONSUMER + ":conversation-1");
        assertThat(r.header("X-Frontdoor-Delivery")).isEqualTo(CONSUMER + ":conversation-1");
        assertThat(r.header("Authorization")).isEqualTo("Bearer tok-123");
        JsonNode lead = json(r);
        assertThat(lead.get("lead").asText()).isEqualTo("enterprise");
        assertThat(lead.get("customerName").asText()).isEqualTo("Ada");
        assertThat(lead.get("handle").asText()).isEqualTo("ada@example.com");
        assertThat(lead.get("message").asText()).isEqualTo("We need 50 seats, \"asap\" <b>");
        assertThat(askedBy).allSatisfy(c -> assertThat(c.name()).isEqualTo(CONSUMER));
    }

    @Test
    void peerDownThenUpAcrossAnUninstallAndReinstallPostsEveryLeadOnceToACrmThatKeepsItsKeys() throws Exception {
        for (long id = 1; id <= 3; id++) {
            conversation(id, List.of(new Annotation("lead", "enterprise", 0.9)));
        }
        crm.down();
        LeadsIntegration first = start(Map.of());
        events.append(Type.ROUTED, 1, "sales", null, null);
        events.append(Type.ROUTED, 2, "sales", null, null);
        await().until(() -> first.status().info().lastError() != null);
        assertThat(first.status().info().lastError()).doesNotContain("tok-123");
        crm.up();
        await().until(() -> events.position(CONSUMER) >= 1);
        // uninstalled mid-stream: the position stays with core, the next instance goes on from it
        first.deactivate();
        running.remove(first);
        events.append(Type.ROUTED, 3, "sales", null, null);
        start(Map.of());
        await().until(() -> events.position(CONSUMER) == 3);

        List<String> keys = crm.received().stream().map(r -> r.header("Idempotency-Key")).distinct().toList();
        assertThat(keys).containsExactly(CONSUMER + ":conversation-1", CONSUMER + ":conversation-2",
                CONSUMER + ":conversation-3");
    }

    @Test
    void theAnnotationNameIsConfigurable() throws Exception {
        conversation(1, List.of(new Annotation("hot-prospect", "yes", 1.0)));
        start(Map.of("annotation", "hot-prospect"));
        events.append(Type.ROUTED, 1, "sales", null, null);
        await().until(() -> events.position(CONSUMER) == 1);
        assertThat(crm.received()).hasSize(1);
    }
}
