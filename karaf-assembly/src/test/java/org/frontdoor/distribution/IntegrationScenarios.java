package org.frontdoor.distribution;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.frontdoor.testkit.Database;
import org.frontdoor.testkit.Distribution;
import org.frontdoor.testkit.Signatures;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The webhook integration on the built distribution, installed as an admin would (a cfg in etc/, feature:install):
 * conversations come in while its peer is down, the peer comes up, the feature is uninstalled and installed again
 * while more come in, and the peer, keeping the delivery ids it has taken as a CRM would, gets every record once, in
 * order per conversation, each signed. Subclasses choose the database.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class IntegrationScenarios {

    private static final Duration DELIVERY = Duration.ofMinutes(2);
    private static final String CFG = "org.frontdoor.integration.webhook-crm.cfg";
    private static final String HOOK_SECRET = "hook-" + UUID.randomUUID();

    private Database database;
    private Distribution frontdoor;
    private String secret;
    private Crm crm;

    abstract Database database() throws Exception;

    /** A CRM: checks each request's signature, keeps the first of each delivery id, can be down. */
    static final class Crm implements AutoCloseable {
        record Taken(String deliveryId, JsonNode body) {
        }

        final List<Taken> taken = new CopyOnWriteArrayList<>();
        final List<String> rejected = new CopyOnWriteArrayList<>();
        final Map<String, Integer> requests = new java.util.concurrent.ConcurrentHashMap<>();
        private final int port;
        private HttpServer server;

        /** Down at first: a free port that nothing listens on yet. */
        Crm() throws IOException {
            try (java.net.ServerSocket probe = new java.net.ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
                port = probe.getLocalPort();
            }
        }

        URI url() {
            return URI.create("http://127.0.0.1:" + port + "/crm/events");
        }

        synchronized void up() throws IOException {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
            server.createContext("/crm/events", exchange -> {
                byte[] body;
                try (InputStream in = exchange.getRequestBody()) {
                    body = in.readAllBytes();
                }
                String ts = exchange.getRequestHeaders().getFirst("X-Frontdoor-Timestamp");
                String sig = exchange.getRequestHeaders().getFirst("X-Frontdoor-Signature");
                String id = exchange.getRequestHeaders().getFirst("X-Frontdoor-Delivery");
                if (ts == null || sig == null || id == null
                        || !sig.equals(Signatures.sign(HOOK_SECRET, Long.parseLong(ts), body))) {
                    rejected.add(id + " " + new String(body, StandardCharsets.UTF_8));
                    exchange.sendResponseHeaders(401, -1);
                    exchange.close();
                    return;
                }
                requests.merge(id, 1, Integer::sum);
                synchronized (taken) {
                    if (taken.stream().noneMatch(t -> t.deliveryId().equals(id))) {
                        taken.add(new Taken(id, Distribution.JSON.readTree(body)));
                    }
                }
                exchange.sendResponseHeaders(204, -1);
                exchange.close();
            });
            server.start();
        }

        @Override
        public synchronized void close() {
            if (server != null) {
                server.stop(0);
            }
        }
    }

    @BeforeAll
    void boot() throws Exception {
        database = database();
        crm = new Crm();
        secret = "it-secret-" + UUID.randomUUID();
        frontdoor = new Distribution(getClass().getSimpleName(), database, secret,
                URI.create("http://127.0.0.1:9/callback")).start();
    }

    @AfterAll
    void shutdown() throws Exception {
        try (Database db = database; Crm c = crm; Distribution d = frontdoor) {
            if (d != null) {
                assertThat(d.log()).as("no webhook secret in karaf.log").doesNotContain(HOOK_SECRET);
            }
        }
    }

    private long ingest(String customer, String text) throws Exception {
        ObjectNode body = Distribution.JSON.createObjectNode();
        body.put("id", "m-" + UUID.randomUUID());
        body.putObject("from").put("id", customer).put("name", customer);
        body.put("text", text);
        body.put("thread", "thread-" + customer);
        long now = Instant.now().getEpochSecond();
        Distribution.Response in = frontdoor.postWebhook(body.toString(), now,
                Signatures.sign(secret, now, body.toString().getBytes(StandardCharsets.UTF_8)));
        assertThat(in.status()).as(in.raw().body()).isEqualTo(202);
        return in.json().path("conversationId").asLong();
    }

    private void routed(long id) {
        await("conversation " + id + " routed").atMost(DELIVERY).until(() -> !frontdoor.get("/api/v1/conversations/"
                + id).json().path("summary").path("department").isNull());
    }

    private String integrations() throws Exception {
        return frontdoor.shell("frontdoor:integration-list");
    }

    @Test
    void everyRecordOnceInOrderAcrossPeerDownAndAReinstall() throws Exception {
        frontdoor.writeEtc(CFG, "url = " + crm.url() + "\nsecret = " + HOOK_SECRET
                + "\ntypes = routed,resolved\nstart = end\n");
        frontdoor.shell("feature:install frontdoor-department-webhook");
        await("the webhook's consumer").atMost(DELIVERY)
                .until(() -> frontdoor.shell("frontdoor:event-consumer-list").contains("integration.webhook-crm"));

        List<Long> conversations = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            conversations.add(ingest("hook-a" + i + "-" + UUID.randomUUID().toString().substring(0, 6),
                    "Quote for " + i + " seats please"));
        }
        conversations.forEach(this::routed);
        await("the peer down, shown").atMost(DELIVERY).until(() -> integrations().contains("connection refused by "
                + "127.0.0.1:"));
        assertThat(integrations()).contains("webhook-crm").contains("integration.webhook-crm");

        crm.up();
        await("a first delivery").atMost(DELIVERY).until(() -> !crm.taken.isEmpty());
        frontdoor.shell("feature:uninstall frontdoor-department-webhook");
        for (long id : conversations) {
            Distribution.Response resolved = frontdoor.postJson("/api/v1/conversations/" + id + "/resolve", "{}");
            assertThat(resolved.status()).as(resolved.raw().body()).isBetween(200, 204);
        }
        for (int i = 0; i < 2; i++) {
            long id = ingest("hook-b" + i + "-" + UUID.randomUUID().toString().substring(0, 6), "More seats " + i);
            routed(id);
            conversations.add(id);
        }
        frontdoor.shell("feature:install frontdoor-department-webhook");

        await("every record").atMost(DELIVERY).until(() -> crm.taken.size() >= 8);
        assertThat(crm.rejected).as("requests with a bad signature").isEmpty();
        Map<Long, List<String>> actions = new LinkedHashMap<>();
        List<Long> positions = new ArrayList<>();
        for (Crm.Taken t : crm.taken) {
            actions.computeIfAbsent(t.body().path("conversationId").asLong(), k -> new ArrayList<>())
                    .add(t.body().path("action").asText());
            positions.add(t.body().path("position").asLong());
            assertThat(t.deliveryId()).isEqualTo("integration.webhook-crm:" + t.body().path("position").asLong());
        }
        assertThat(crm.taken).hasSize(8);
        assertThat(positions).as("taken in the log's order").isSorted();
        for (int i = 0; i < 3; i++) {
            assertThat(actions.get(conversations.get(i))).containsExactly("open", "close");
        }
        for (int i = 3; i < 5; i++) {
            assertThat(actions.get(conversations.get(i))).containsExactly("open");
        }
        await("the backlog drained").atMost(DELIVERY).until(() -> integrations().lines()
                .anyMatch(l -> l.contains("webhook-crm") && !l.contains("connection refused")));
    }
}
