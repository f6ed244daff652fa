package org.frontdoor.distribution;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.frontdoor.testkit.Database;
import org.frontdoor.testkit.Distribution;
import org.frontdoor.testkit.Signatures;

import static org.awaitility.Awaitility.await;

/**
 * Many web chat visitors on one node: {@code frontdoor.bench.visitors} WebSocket clients (the JDK's), each sending a
 * message every {@code frontdoor.bench.intervalMillis} for {@code frontdoor.bench.seconds}. Measures, per message, the
 * time from the send to its ack (stored) and to its {@code message-added} event on the REST event feed (what agents'
 * live views follow), and Karaf's heap per connected visitor (after a full GC, before and after they connect). Then
 * the same message rate through the generic HTTP channel's signed webhooks, in the same run, for comparison.
 */
public final class WebchatBench {

    private static final String ORIGIN = "http://bench.example";
    private static final Pattern USED = Pattern.compile("used (\\d+)K");

    private WebchatBench() {
    }

    public static void main(String[] args) throws Exception {
        int visitors = Integer.getInteger("frontdoor.bench.visitors", 1000);
        int intervalMillis = Integer.getInteger("frontdoor.bench.intervalMillis", 5000);
        int seconds = Integer.getInteger("frontdoor.bench.seconds", 60);
        String secret = "bench-" + UUID.randomUUID();
        try (Database database = Database.postgresql();
             Distribution frontdoor = new Distribution("webchat-bench", database, secret,
                     URI.create("http://127.0.0.1:9/unused")).start()) {
            frontdoor.writeEtc("org.frontdoor.channel.webchat-bench.cfg", "allowedOrigins = " + ORIGIN + "\n"
                    + "connectionsPerAddress = " + (visitors * 2) + "\nvisitorsPerAddressPerMinute = " + (visitors * 2)
                    + "\naddressMessagesPerMinute = 1000000\nmessagesPerMinute = 600\n");
            frontdoor.shell("feature:install frontdoor-channel-webchat");
            await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofSeconds(1)).ignoreExceptions()
                    .until(() -> frontdoor.shell("frontdoor:channel-list").contains("bench"));
            long pid = karafPid(frontdoor);
            long heapBefore = heapAfterGc(pid);

            MessageAddedLatencies.Feed feed = new MessageAddedLatencies.Feed(frontdoor);
            feed.skipToEnd();
            Visitors crowd = new Visitors(frontdoor, visitors);
            crowd.connect();
            long heapConnected = heapAfterGc(pid);
            Thread follower = new Thread(feed, "event-feed");
            follower.start();
            crowd.send(intervalMillis, seconds);
            feed.latencies.awaitAll(crowd.acked(), Duration.ofMinutes(2));
            feed.stop();
            follower.join();
            crowd.close();

            MessageAddedLatencies.Feed generic = new MessageAddedLatencies.Feed(frontdoor);
            generic.skipToEnd();
            Thread genericFollower = new Thread(generic, "event-feed-generic");
            genericFollower.start();
            Webhooks hooks = new Webhooks(frontdoor);
            hooks.send(visitors * 1000.0 / intervalMillis, seconds);
            generic.latencies.awaitAll(hooks.accepted(), Duration.ofMinutes(2));
            generic.stop();
            genericFollower.join();

            String section = report(visitors, intervalMillis, seconds, crowd, feed, hooks, generic, heapBefore,
                    heapConnected);
            System.out.println(section);
            String results = System.getProperty("frontdoor.bench.results");
            if (results != null) {
                Files.writeString(Path.of(results), section, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
            }
        }
    }

    private static String report(int visitors, int intervalMillis, int seconds, Visitors crowd, MessageAddedLatencies.Feed feed,
                                 Webhooks hooks, MessageAddedLatencies.Feed generic, long heapBefore, long heapConnected) {
        Runtime rt = Runtime.getRuntime();
        return "\n## " + LocalDate.now() + " — web chat: " + visitors + " WebSocket visitors on one node\n\n"
                + "Machine: " + rt.availableProcessors() + " cores, Java " + System.getProperty("java.version")
                + "; Frontdoor (PostgreSQL), the visitors' JVM and PostgreSQL on the same machine. Each visitor sends a "
                + "message every " + intervalMillis / 1000.0 + " s for " + seconds + " s ("
                + String.format("%.0f", visitors * 1000.0 / intervalMillis) + " messages/s in all); then the same rate "
                + "through the generic HTTP channel's signed webhooks, in the same run.\n\n"
                + "| Measure | Web chat (WebSocket) | Generic HTTP channel |\n|---|---|---|\n"
                + "| Messages sent / stored (acked) | " + crowd.sent() + " / " + crowd.acked().size() + " | "
                + hooks.sent() + " / " + hooks.accepted().size() + " |\n"
                + "| Refused or not answered | " + (crowd.sent() - crowd.acked().size()) + " | "
                + (hooks.sent() - hooks.accepted().size()) + " |\n"
                + "| Send to stored (ack / 202), p50 / p95 / p99 | " + percentiles(crowd.ackLatencies()) + " | "
                + percentiles(hooks.latencies()) + " |\n"
                + "| Send to visible on the REST event feed, p50 / p95 / p99 | " + percentiles(feed.latencies.latencies()) + " | "
                + percentiles(generic.latencies.latencies()) + " |\n"
                + "| Karaf heap after a full GC, before / with the visitors connected | "
                + heapBefore / 1024 + " MiB / " + heapConnected / 1024 + " MiB | |\n"
                + "| Heap per connected visitor | " + String.format("%.1f KiB", (heapConnected - heapBefore)
                / (double) visitors) + " | |\n\n"
                + "The event-feed figure includes the feed's polling (one GET /api/v1/events every 50 ms when idle).\n";
    }

    private static String percentiles(List<Long> nanos) {
        return MessageAddedLatencies.percentiles(nanos);
    }

    static long karafPid(Distribution frontdoor) {
        String home = frontdoor.home().toString();
        return ProcessHandle.allProcesses().filter(p -> p.info().commandLine()
                        .map(c -> c.contains(home) && c.contains("java")).orElse(false))
                .findFirst().orElseThrow(() -> new IllegalStateException("Karaf's JVM not found")).pid();
    }

    /** Karaf's used heap in KiB after a full GC, by jcmd. */
    static long heapAfterGc(long pid) throws Exception {
        jcmd(pid, "GC.run");
        Matcher m = USED.matcher(jcmd(pid, "GC.heap_info"));
        if (!m.find()) {
            throw new IllegalStateException("no heap figure from jcmd");
        }
        return Long.parseLong(m.group(1));
    }

    private static String jcmd(long pid, String command) throws Exception {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        Process p = new ProcessBuilder(jcmd.toString(), Long.toString(pid), command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(1, TimeUnit.MINUTES);
        return out;
    }

    /** The visitors: one WebSocket each. */
    static final class Visitors implements AutoCloseable {
        private final Distribution frontdoor;
        private final int count;
        private final HttpClient http = HttpClient.newHttpClient();
        private final List<WebSocket> sockets = Collections.synchronizedList(new ArrayList<>());
        private final Map<String, Long> pending = new ConcurrentHashMap<>();
        private final Map<Long, Long> acked = new ConcurrentHashMap<>();
        private final List<Long> ackLatencies = Collections.synchronizedList(new ArrayList<>());
        private final AtomicInteger sent = new AtomicInteger();
        private final AtomicLong ids = new AtomicLong();

        Visitors(Distribution frontdoor, int count) {
            this.frontdoor = frontdoor;
            this.count = count;
        }

        void connect() throws Exception {
            CountDownLatch welcomed = new CountDownLatch(count);
            URI uri = URI.create(frontdoor.url("/webchat/bench/ws").replaceFirst("^http", "ws"));
            for (int i = 0; i < count; i++) {
                WebSocket socket = http.newWebSocketBuilder().header("Origin", ORIGIN)
                        .buildAsync(uri, new Listener(welcomed)).get(30, TimeUnit.SECONDS);
                socket.sendText("{\"type\":\"hello\"}", true).get(30, TimeUnit.SECONDS);
                sockets.add(socket);
            }
            if (!welcomed.await(2, TimeUnit.MINUTES)) {
                throw new IllegalStateException("not every visitor was welcomed");
            }
        }

        void send(int intervalMillis, int seconds) throws InterruptedException {
            ScheduledExecutorService timer = Executors.newScheduledThreadPool(4);
            for (WebSocket socket : List.copyOf(sockets)) {
                timer.scheduleAtFixedRate(() -> {
                    String id = "b" + ids.incrementAndGet();
                    ObjectNode frame = Distribution.JSON.createObjectNode().put("type", "send").put("id", id)
                            .put("text", "Where is my order " + id + "?");
                    pending.put(id, System.nanoTime());
                    sent.incrementAndGet();
                    synchronized (socket) {
                        socket.sendText(frame.toString(), true).join();
                    }
                }, ThreadLocalRandom.current().nextLong(intervalMillis), intervalMillis, TimeUnit.MILLISECONDS);
            }
            Thread.sleep(seconds * 1000L);
            timer.shutdownNow();
            timer.awaitTermination(1, TimeUnit.MINUTES);
            await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(200))
                    .until(() -> acked.size() >= sent.get() || pending.isEmpty());
        }

        private final class Listener implements WebSocket.Listener {
            private final CountDownLatch welcomed;
            private final StringBuilder text = new StringBuilder();

            Listener(CountDownLatch welcomed) {
                this.welcomed = welcomed;
            }

            @Override
            public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
                text.append(data);
                if (last) {
                    long now = System.nanoTime();
                    try {
                        JsonNode frame = Distribution.JSON.readTree(text.toString());
                        switch (frame.path("type").asText()) {
                            case "welcome" -> welcomed.countDown();
                            case "ack" -> {
                                Long at = pending.remove(frame.path("id").asText());
                                if (at != null) {
                                    ackLatencies.add(now - at);
                                    acked.put(frame.path("message").asLong(), at);
                                }
                            }
                            default -> System.err.println("visitor got " + frame.path("type").asText() + ": "
                                    + frame.path("reason").asText(""));
                        }
                    } catch (Exception e) {
                        System.err.println("visitor: " + e);
                    }
                    text.setLength(0);
                }
                socket.request(1);
                return null;
            }
        }

        int sent() {
            return sent.get();
        }

        Map<Long, Long> acked() {
            return acked;
        }

        List<Long> ackLatencies() {
            return ackLatencies;
        }

        @Override
        public void close() {
            for (WebSocket socket : sockets) {
                socket.abort();
            }
        }
    }

    /** The same rate through the generic HTTP channel: signed webhooks to the demo instance. */
    static final class Webhooks {
        private final Distribution frontdoor;
        private final HttpClient http = HttpClient.newHttpClient();
        private final Map<Long, Long> accepted = new ConcurrentHashMap<>();
        private final List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
        private final AtomicInteger sent = new AtomicInteger();

        Webhooks(Distribution frontdoor) {
            this.frontdoor = frontdoor;
        }

        void send(double perSecond, int seconds) throws InterruptedException {
            ScheduledExecutorService timer = Executors.newScheduledThreadPool(4);
            long periodMicros = (long) (1_000_000 / perSecond);
            List<CompletableFuture<?>> all = Collections.synchronizedList(new ArrayList<>());
            timer.scheduleAtFixedRate(() -> {
                int n = sent.incrementAndGet();
                String body = Distribution.JSON.createObjectNode().put("id", "w-" + UUID.randomUUID())
                        .put("text", "Where is my order " + n + "?").put("thread", "t-" + (n % 1000))
                        .set("from", Distribution.JSON.createObjectNode().put("id", "u-" + (n % 1000))).toString();
                long ts = System.currentTimeMillis() / 1000;
                HttpRequest request = HttpRequest.newBuilder(URI.create(frontdoor.url(frontdoor.webhookPath("demo"))))
                        .header("Content-Type", "application/json").header("X-Frontdoor-Timestamp", Long.toString(ts))
                        .header("X-Frontdoor-Signature", Signatures.sign(frontdoor.secret(), ts,
                                body.getBytes(StandardCharsets.UTF_8)))
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build();
                long at = System.nanoTime();
                all.add(http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).thenAccept(r -> {
                    if (r.statusCode() == 202) {
                        latencies.add(System.nanoTime() - at);
                        try {
                            accepted.put(Distribution.JSON.readTree(r.body()).path("messageId").asLong(), at);
                        } catch (Exception e) {
                            System.err.println("webhook: " + e);
                        }
                    }
                }));
            }, 0, periodMicros, TimeUnit.MICROSECONDS);
            Thread.sleep(seconds * 1000L);
            timer.shutdownNow();
            timer.awaitTermination(1, TimeUnit.MINUTES);
            CompletableFuture.allOf(all.toArray(new CompletableFuture[0])).exceptionally(e -> null).join();
        }

        int sent() {
            return sent.get();
        }

        Map<Long, Long> accepted() {
            return accepted;
        }

        List<Long> latencies() {
            return latencies;
        }
    }
}
