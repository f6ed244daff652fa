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

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The JVM killed with SIGKILL in the middle of a burst of signed webhooks, then started again: every message
 * that was answered 2xx is stored, exactly once, under the id it was acknowledged with, and the node comes back under
 * its name. Subclasses choose the database.
 */
abstract class CrashScenarios {

    private static final int SENDERS = 6;
    private static final int ACKNOWLEDGED_BEFORE_KILL = 300;

    abstract Database database() throws Exception;

    @Test
    void everyAcknowledgedMessageSurvivesAKillExactlyOnce() throws Exception {
        String secret = "it-secret-" + UUID.randomUUID();
        try (Database database = database();
             CallbackPeer peer = new CallbackPeer(secret);
             Distribution frontdoor = new Distribution(getClass().getSimpleName(), database, secret, peer.url())) {
            frontdoor.start();
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
            assertThat(storedApiMessages(frontdoor)).as("messages stored for %d distinct ids", attempted.size())
                    .isEqualTo(attempted.size());
        }
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
