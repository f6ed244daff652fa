package org.frontdoor.distribution;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

import com.fasterxml.jackson.databind.JsonNode;
import org.frontdoor.testkit.Distribution;

import static org.awaitility.Awaitility.await;

/**
 * From sending a message until its {@code message-added} event is read: the loop the console and web chat benches
 * share. A sender says when it sent each message it got an id for ({@link #expect}); a reader hands over every event
 * it reads ({@link #read}); whichever comes second counts the latency. Both are synchronized, so an event read between
 * the send and the sender's {@code expect} is neither lost nor counted twice. Two readers: {@link Stream}, {@code GET
 * /api/v1/events/stream} (server-sent events, what the console follows), and {@link Feed}, {@code GET
 * /api/v1/events?after=} polled (what an integration follows).
 */
final class MessageAddedLatencies {

    /** Sent, not yet read: message id to when it was sent (nanoTime). */
    private final Map<Long, Long> awaited = new HashMap<>();
    /** Read before its sender said it sent it: message id to when it was read. */
    private final Map<Long, Long> early = new HashMap<>();
    private final List<Long> latencies = Collections.synchronizedList(new ArrayList<>());

    /** A message acknowledged with this id, sent at {@code sentAt} (nanoTime); counted when (or if already) read. */
    synchronized void expect(long messageId, long sentAt) {
        Long readAt = early.remove(messageId);
        if (readAt != null) {
            latencies.add(readAt - sentAt);
        } else {
            awaited.put(messageId, sentAt);
        }
    }

    /** An event read at {@code readAt} (nanoTime): a {@code message-added} one counts its message. */
    synchronized void read(JsonNode event, long readAt) {
        if (!"message-added".equals(event.path("type").asText())) {
            return;
        }
        long id = event.path("itemId").asLong();
        Long sentAt = awaited.remove(id);
        if (sentAt != null) {
            latencies.add(readAt - sentAt);
        } else {
            early.put(id, readAt);
        }
    }

    /** Latencies counted so far, in nanoseconds. */
    List<Long> latencies() {
        synchronized (latencies) {
            return new ArrayList<>(latencies);
        }
    }

    int counted() {
        return latencies.size();
    }

    /** Expects every stored message (id to sentAt) and waits until each one's event was read. */
    void awaitAll(Map<Long, Long> stored, Duration atMost) {
        stored.forEach(this::expect);
        awaitCounted(stored.size(), atMost);
    }

    void awaitCounted(int count, Duration atMost) {
        await("message-added events read").atMost(atMost).pollInterval(Duration.ofMillis(200))
                .until(() -> latencies.size() >= count);
    }

    /** p50 / p95 / p99 in milliseconds, "n/a" for none. */
    static String percentiles(List<Long> nanos) {
        if (nanos.isEmpty()) {
            return "n/a";
        }
        List<Long> sorted = new ArrayList<>(nanos);
        Collections.sort(sorted);
        return String.format(Locale.ROOT, "%.1f / %.1f / %.1f ms", at(sorted, 0.50), at(sorted, 0.95),
                at(sorted, 0.99));
    }

    private static double at(List<Long> sorted, double q) {
        return sorted.get((int) Math.min(sorted.size() - 1, Math.ceil(sorted.size() * q) - 1)) / 1e6;
    }

    /**
     * {@code GET /api/v1/events/stream} as admin (every department: a message into a resolved conversation reopens it,
     * and it is routed anew), read line by line on a thread of its own.
     */
    static final class Stream implements AutoCloseable {
        final MessageAddedLatencies latencies = new MessageAddedLatencies();
        private final AtomicBoolean ready = new AtomicBoolean();
        private final AtomicBoolean closed = new AtomicBoolean();
        private final CompletableFuture<HttpResponse<java.util.stream.Stream<String>>> response;

        Stream(Distribution frontdoor) {
            HttpRequest request = HttpRequest.newBuilder(URI.create(frontdoor.url("/api/v1/events/stream?after=now")))
                    .header("Authorization", Distribution.basic("admin", frontdoor.adminPassword()))
                    .header("Accept", "text/event-stream").build();
            response = HttpClient.newHttpClient().sendAsync(request, HttpResponse.BodyHandlers.ofLines());
            Thread reader = new Thread(this::follow, "event-stream-reader");
            reader.setDaemon(true);
            reader.start();
        }

        private void follow() {
            try (java.util.stream.Stream<String> lines = response.get().body()) {
                String event = "message";
                for (String line : (Iterable<String>) lines::iterator) {
                    long now = System.nanoTime();
                    if (line.startsWith("event:")) {
                        event = line.substring(6).trim();
                        if (event.equals("ready")) {
                            ready.set(true);
                        }
                    } else if (line.startsWith("data:") && event.equals("message")) {
                        latencies.read(Distribution.JSON.readTree(line.substring(5).trim()), now);
                    } else if (line.isEmpty()) {
                        event = "message";
                    }
                }
            } catch (Exception e) {
                if (!closed.get()) {
                    System.err.println("event stream: " + e);
                }
            }
        }

        void awaitReady() {
            await("the event stream").atMost(Duration.ofMinutes(1)).untilTrue(ready);
        }

        @Override
        public void close() {
            closed.set(true);
            response.cancel(true);
            response.thenAccept(r -> r.body().close());
        }
    }

    /** {@code GET /api/v1/events?after=} polled on a thread of its own, every 50 ms when there is nothing new. */
    static final class Feed implements Runnable {
        final MessageAddedLatencies latencies = new MessageAddedLatencies();
        private final Distribution frontdoor;
        private final AtomicBoolean running = new AtomicBoolean(true);
        private long after;

        Feed(Distribution frontdoor) {
            this.frontdoor = frontdoor;
        }

        /** Starts after the events already in the log. */
        void skipToEnd() throws Exception {
            while (true) {
                JsonNode page = frontdoor.get("/api/v1/events?after=" + after + "&limit=500").json();
                long next = page.path("next").asLong();
                if (next == after) {
                    return;
                }
                after = next;
            }
        }

        @Override
        public void run() {
            while (running.get()) {
                try {
                    JsonNode page = frontdoor.get("/api/v1/events?after=" + after + "&limit=500").json();
                    long now = System.nanoTime();
                    for (JsonNode e : page.path("events")) {
                        latencies.read(e, now);
                    }
                    long next = page.path("next").asLong();
                    if (next == after) {
                        Thread.sleep(50); // the feed's polling interval when idle
                    }
                    after = next;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                } catch (Exception e) {
                    System.err.println("event feed: " + e);
                }
            }
        }

        void stop() {
            running.set(false);
        }
    }
}
