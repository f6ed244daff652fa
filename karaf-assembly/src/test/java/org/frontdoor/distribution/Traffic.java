package org.frontdoor.distribution;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.frontdoor.testkit.Distribution;

/**
 * Signed webhooks posted by a few senders until stopped, each message sent again after an answer other than 2xx (as a
 * vendor does), so a test can change the running distribution and then check that every message was answered and
 * stored once.
 */
final class Traffic implements AutoCloseable {

    /** What the senders saw: the last status per message id, and every status other than 2xx on the way. */
    record Outcome(Map<String, Integer> lastStatus, Map<String, Integer> refusals) {
    }

    private final Distribution frontdoor;
    private final ExecutorService senders;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Map<String, Integer> lastStatus = new ConcurrentHashMap<>();
    private final Map<String, Integer> refusals = new ConcurrentHashMap<>();
    private final List<Future<?>> work;
    private final String prefix = "traffic-" + UUID.randomUUID().toString().substring(0, 8);

    Traffic(Distribution frontdoor, int senders, String text) {
        this.frontdoor = frontdoor;
        this.senders = Executors.newFixedThreadPool(senders);
        this.work = java.util.stream.IntStream.range(0, senders).<Future<?>>mapToObj(s -> this.senders.submit(() -> {
            for (int i = 0; running.get(); i++) {
                String id = prefix + "-" + s + "-" + i;
                String body = body(id, prefix + "-author-" + s + "-" + (i % 5), text);
                int status;
                do {
                    status = frontdoor.postSigned(body).status();
                    if (status / 100 != 2) {
                        refusals.merge(id + " " + status, 1, Integer::sum);
                    }
                } while (status == 503 && running.get());
                lastStatus.put(id, status);
            }
            return null;
        })).toList();
    }

    private static String body(String id, String author, String text) {
        ObjectNode body = Distribution.JSON.createObjectNode();
        body.put("id", id);
        body.putObject("from").put("id", author).put("name", author);
        body.put("text", text);
        return body.toString();
    }

    int sent() {
        return lastStatus.size();
    }

    String prefix() {
        return prefix;
    }

    /** Stops the senders once each has its last answer. */
    Outcome stop() throws Exception {
        running.set(false);
        for (Future<?> f : work) {
            f.get(2, TimeUnit.MINUTES);
        }
        senders.shutdown();
        return new Outcome(Map.copyOf(lastStatus), Map.copyOf(refusals));
    }

    @Override
    public void close() throws Exception {
        running.set(false);
        senders.shutdownNow();
    }
}
