package org.frontdoor.distribution;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.frontdoor.testkit.CallbackPeer;
import org.frontdoor.testkit.Database;
import org.frontdoor.testkit.Distribution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The JVM killed with SIGKILL in the middle of a burst of signed webhooks, then started again: every message
 * that was answered 2xx is stored, exactly once, under the id it was acknowledged with, and the node comes back under
 * its name. The same boots carry a conversation through its first-response SLA across that kill and a clean restart
 * (SLA time moved by a {@link TestClock}): one warning before the kill, one breach, one escalation and one callback
 * task after it, and nothing again after the clean restart. Subclasses choose the database.
 */
abstract class CrashScenarios {

    private static final int SENDERS = 6;
    private static final int ACKNOWLEDGED_BEFORE_KILL = 300;

    /** A department with a short first-response target: warned at 30 minutes, breached at 60, then a callback. */
    private static final String URGENT = "org.frontdoor.department-urgent.cfg";
    private static final Duration PAST_WARNING = Duration.ofMinutes(40);
    private static final Duration PAST_BREACH = Duration.ofMinutes(90);
    /** Still short of support's own first warning (80 % of 240 minutes), which the burst's conversations run. */
    private static final Duration LATER_STILL = Duration.ofMinutes(150);

    abstract Database database() throws Exception;

    @Test
    void everyAcknowledgedMessageSurvivesAKillExactlyOnce() throws Exception {
        String secret = "it-secret-" + UUID.randomUUID();
        try (Database database = database();
             CallbackPeer peer = new CallbackPeer(secret);
             Distribution frontdoor = new Distribution(getClass().getSimpleName(), database, secret, peer.url())) {
            frontdoor.start();
            assertThat(frontdoor.log()).as("no test clock unless a test installs one")
                    .doesNotContain("SLA timers run on a test clock");
            TestClock clock = new TestClock(frontdoor);
            long sla = slaConversation(frontdoor, "sla-" + UUID.randomUUID());
            clock.ahead(PAST_WARNING);
            await("the SLA warning").atMost(Duration.ofMinutes(1)).until(() -> events(frontdoor, "sla-warning", sla) > 0);
            assertThat(events(frontdoor, "sla-warning", sla)).isEqualTo(1);
            assertThat(events(frontdoor, "sla-breached", sla)).isZero();

            Map<String, Long> acknowledged = new ConcurrentHashMap<>();
            Set<String> attempted = ConcurrentHashMap.newKeySet();
            AtomicBoolean stop = new AtomicBoolean();
            ExecutorService senders = Executors.newFixedThreadPool(SENDERS);
            List<Future<?>> running = new ArrayList<>();
            for (int s = 0; s < SENDERS; s++) {
                int sender = s;
                running.add(senders.submit(() -> {
                    for (int n = 0; !stop.get(); n++) {
                        String id = "burst-" + sender + "-" + n;
                        attempted.add(id);
                        try {
                            Distribution.Response answer = frontdoor.postSigned(message(id));
                            if (answer.status() / 100 == 2) {
                                acknowledged.put(id, answer.json().path("messageId").asLong());
                            }
                        } catch (Exception connectionLost) {
                            // killed under us: the message may or may not be stored; it was not acknowledged
                        }
                    }
                    return null;
                }));
            }
            await("a burst under way").atMost(Duration.ofMinutes(2))
                    .until(() -> acknowledged.size() >= ACKNOWLEDGED_BEFORE_KILL);

            Path nodeName = frontdoor.home().resolve("data").resolve("frontdoor").resolve("node-name");
            String node = Files.readString(nodeName).strip();
            frontdoor.kill();
            stop.set(true);
            senders.shutdown();
            assertThat(senders.awaitTermination(2, TimeUnit.MINUTES)).isTrue();
            for (Future<?> f : running) {
                f.get();
            }
            Map<String, Long> acked = Map.copyOf(acknowledged);
            System.out.printf("%s: killed with %d messages acknowledged of %d sent%n", getClass().getSimpleName(),
                    acked.size(), attempted.size());

            frontdoor.start();

            // the node keeps its name (so it takes its own reply claims back at once), in an owner-only file
            assertThat(Files.readString(nodeName).strip()).isEqualTo(node);
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(nodeName))).isEqualTo("rw-------");
            assertThat(frontdoor.log().split("Frontdoor pipeline started on node " + node + " ", -1)).hasSize(3);

            // each acknowledged message is there, with the id it was acknowledged with
            for (Map.Entry<String, Long> ack : acked.entrySet()) {
                Distribution.Response again = frontdoor.postSigned(message(ack.getKey()));
                assertThat(again.status()).as("repeat of acknowledged %s", ack.getKey()).isEqualTo(200);
                assertThat(again.json().path("messageId").asLong()).isEqualTo(ack.getValue());
            }
            // the ones in flight at the kill are stored now, at most once
            for (String id : attempted) {
                if (!acked.containsKey(id)) {
                    assertThat(frontdoor.postSigned(message(id)).status()).isIn(200, 202);
                }
            }
            // and the SLA conversation's one message
            assertThat(storedApiMessages(frontdoor)).as("messages stored for %d distinct ids", attempted.size())
                    .isEqualTo(attempted.size() + 1);

            // killed between the warning and the breach: past the deadline now, each step once
            clock.ahead(PAST_BREACH);
            await("the SLA breach").atMost(Duration.ofMinutes(1)).until(() -> callbacks(frontdoor, sla).size() > 0);
            assertSlaStepsOnce(frontdoor, sla);
            JsonNode task = callbacks(frontdoor, sla).get(0);
            assertThat(task.path("department").asText()).isEqualTo("urgent");
            assertThat(task.path("phone").isNull()).isTrue();
            assertThat(task.path("note").asText()).contains("no number known");

            // a clean stop and start, time moved on again: a conversation transferred now is breached at once, and
            // by the time its callback is there the worker has passed over the first one's timer on this clock too
            int taken = clock.taken(PAST_BREACH, frontdoor.log());
            frontdoor.stop();
            frontdoor.start();
            clock.awaitTaken(PAST_BREACH, taken);
            clock.ahead(LATER_STILL);
            long marker = slaConversation(frontdoor, "sla-marker-" + UUID.randomUUID());
            await("the marker's callback").atMost(Duration.ofMinutes(1))
                    .until(() -> callbacks(frontdoor, marker).size() > 0);
            assertSlaStepsOnce(frontdoor, marker);
            assertSlaStepsOnce(frontdoor, sla);
            assertThat(frontdoor.get("/api/v1/callbacks").json().path("callbacks")).as("callback tasks").hasSize(2);
        }
    }

    /**
     * Configures the urgent department, ingests a conversation from a customer on the API door (no phone number) and
     * transfers it there: its first-response timer starts at the transfer.
     */
    private static long slaConversation(Distribution frontdoor, String id) throws Exception {
        if (!Files.exists(frontdoor.etc().resolve(URGENT))) {
            frontdoor.writeEtc(URGENT, "name = Urgent\nbusinessHours = always\nfirstResponseMinutes = 60\n"
                    + "resolutionMinutes = 0\nwarnAtPercent = 50\nescalation = callback\n");
            await("urgent configured").atMost(Duration.ofMinutes(1)).until(() -> "CONFIGURED".equals(
                    frontdoor.get("/api/v1/departments/urgent").json().path("status").asText()));
        }
        long conversation = frontdoor.postSigned(message(id)).json().path("conversationId").asLong();
        await("routed").atMost(Duration.ofMinutes(1)).until(() -> !frontdoor.get("/api/v1/conversations/"
                + conversation).json().path("summary").path("department").isNull());
        assertThat(frontdoor.postJson("/api/v1/conversations/" + conversation + "/transfer",
                "{\"department\":\"urgent\"}").status()).isEqualTo(200);
        return conversation;
    }

    private static void assertSlaStepsOnce(Distribution frontdoor, long conversation) throws Exception {
        assertThat(events(frontdoor, "sla-warning", conversation)).as("warnings").isEqualTo(1);
        assertThat(events(frontdoor, "sla-breached", conversation)).as("breaches").isEqualTo(1);
        assertThat(events(frontdoor, "escalated", conversation)).as("escalations").isEqualTo(1);
        assertThat(callbacks(frontdoor, conversation)).as("callback tasks").hasSize(1);
    }

    /** How many events of a type the log holds for a conversation, over REST. */
    private static int events(Distribution frontdoor, String type, long conversation) throws Exception {
        int count = 0;
        long after = 0;
        while (true) {
            Distribution.Response page = frontdoor.get("/api/v1/events?types=" + type + "&limit=500&after=" + after);
            assertThat(page.status()).as(page.raw().body()).isEqualTo(200);
            for (JsonNode e : page.json().path("events")) {
                if (e.path("conversationId").asLong() == conversation) {
                    count++;
                }
            }
            long next = page.json().path("next").asLong();
            if (next <= after) {
                return count;
            }
            after = next;
        }
    }

    /** The callback tasks of a conversation, open or done, over REST. */
    private static List<JsonNode> callbacks(Distribution frontdoor, long conversation) throws Exception {
        Distribution.Response all = frontdoor.get("/api/v1/callbacks?all=true&limit=1000");
        assertThat(all.status()).as(all.raw().body()).isEqualTo(200);
        List<JsonNode> tasks = new ArrayList<>();
        for (JsonNode t : all.json().path("callbacks")) {
            if (t.path("conversationId").asLong() == conversation) {
                tasks.add(t);
            }
        }
        return tasks;
    }

    private static String message(String id) {
        ObjectNode body = Distribution.JSON.createObjectNode();
        body.put("id", id);
        body.putObject("from").put("id", "customer-" + id).put("name", "Customer " + id);
        body.put("text", "Message " + id);
        return body.toString();
    }

    private static long storedApiMessages(Distribution frontdoor) throws Exception {
        long messages = 0;
        long total;
        int offset = 0;
        do {
            Distribution.Response page = frontdoor.get("/api/v1/conversations?channel=api&limit=500&offset=" + offset);
            assertThat(page.status()).isEqualTo(200);
            total = page.json().path("total").asLong();
            for (JsonNode item : page.json().path("items")) {
                messages += item.path("messageCount").asLong();
                offset++;
            }
        } while (offset < total);
        return messages;
    }
}
