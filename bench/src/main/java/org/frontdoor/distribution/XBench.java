package org.frontdoor.distribution;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.GeneralSecurityException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDate;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.fasterxml.jackson.databind.node.ObjectNode;

import static org.awaitility.Awaitility.await;
import org.frontdoor.testkit.Database;
import org.frontdoor.testkit.Distribution;

/**
 * Signed webhooks per second for the X door beside the generic HTTP channel, in the same run: {@code
 * frontdoor.bench.messages} (default 5000) Account Activity deliveries (one mention each, signed with the consumer
 * secret) from {@code frontdoor.bench.senders} concurrent senders to {@code /webhooks/x/bench}, until every one is
 * stored and routed; then as many signed webhooks to the HTTP channel's demo instance the same way. Run: see
 * bench/RESULTS.md.
 */
public final class XBench {

    private static final String ACCOUNT = "2244994945";

    private XBench() {
    }

    public static void main(String[] args) throws Exception {
        int messages = Integer.getInteger("frontdoor.bench.messages", 5_000);
        int senders = Integer.getInteger("frontdoor.bench.senders", 32);
        int warmup = Integer.getInteger("frontdoor.bench.warmup", 1_000);
        String secret = "bench-" + UUID.randomUUID();
        String consumerSecret = "x-bench-" + UUID.randomUUID();
        double xSeconds;
        double httpSeconds;
        long xFailures;
        long httpFailures;
        String pgVersion;
        try (Database database = Database.postgresql();
             Distribution frontdoor = new Distribution("XBench", database, secret,
                     URI.create("http://127.0.0.1:9/callback"))) {
            frontdoor.start();
            frontdoor.writeEtc("org.frontdoor.channel.x-bench.cfg", "accountId = " + ACCOUNT + "\nconsumerSecret = "
                    + consumerSecret + "\naccessToken = unused\nbaseUrl = http://127.0.0.1:9\n");
            frontdoor.shell("feature:install frontdoor-channel-x");
            await("the X door taking webhooks").atMost(Duration.ofMinutes(2)).until(() -> frontdoor.request("GET",
                    "/webhooks/x/bench?crc_token=warm", null, Map.of()).status() == 200);

            // warm-up, not measured: both doors run on a JIT-compiled ingest path, whichever goes first
            send(warmup, senders, new AtomicLong(), i -> {
                ObjectNode body = Distribution.JSON.createObjectNode();
                body.put("id", "warm-" + i);
                body.putObject("from").put("id", "warm-" + (i % 100));
                body.put("text", "warm-up " + i);
                return frontdoor.postSigned(body.toString()).status() == 202;
            });
            IngestBench.awaitRouted(frontdoor);

            AtomicLong failures = new AtomicLong();
            long start = System.nanoTime();
            send(messages, senders, failures, i -> {
                String body = mention(i);
                return frontdoor.request("POST", "/webhooks/x/bench", body, Map.of("Content-Type", "application/json",
                        "x-twitter-webhooks-signature", sign(consumerSecret, body))).status() == 200;
            });
            await("every mention stored").atMost(Duration.ofMinutes(30)).pollInterval(Duration.ofMillis(200))
                    .until(() -> frontdoor.get("/api/v1/conversations?channel=x&limit=1").json().path("total")
                            .asLong() >= messages - failures.get());
            IngestBench.awaitRouted(frontdoor);
            xSeconds = (System.nanoTime() - start) / 1e9;
            xFailures = failures.get();

            AtomicLong httpFailed = new AtomicLong();
            long httpStart = System.nanoTime();
            send(messages, senders, httpFailed, i -> {
                ObjectNode body = Distribution.JSON.createObjectNode();
                body.put("id", "http-" + i);
                String customer = "customer-" + (i % 1250);
                body.putObject("from").put("id", customer).put("name", "Customer " + customer);
                body.put("text", "@brand order " + i + " has not arrived yet and the tracking page shows nothing");
                body.put("thread", "http-" + i);
                return frontdoor.postSigned(body.toString()).status() == 202;
            });
            IngestBench.awaitRouted(frontdoor);
            httpSeconds = (System.nanoTime() - httpStart) / 1e9;
            httpFailures = httpFailed.get();
            try (Connection c = DriverManager.getConnection(database.environment().get("FRONTDOOR_DB_URL"),
                    "postgres", ""); Statement s = c.createStatement();
                 ResultSet r = s.executeQuery("SHOW server_version")) {
                r.next();
                pgVersion = r.getString(1);
            }
        }
        double xRate = messages / xSeconds;
        double httpRate = messages / httpSeconds;
        String report = String.format(Locale.ROOT, """

                ## %s — X door beside the HTTP channel (XBench), PostgreSQL %s

                Machine: %d cores, Java %s, load average %s at the end; Frontdoor, the senders and PostgreSQL on the same
                machine. After %d signed webhooks to the HTTP channel to warm up (not measured), %d Account Activity
                deliveries (one mention each, signed with the consumer secret) to
                `/webhooks/x/bench` from %d concurrent senders, until every one is stored and routed; then, in the same
                run, as many signed webhooks to the HTTP channel.

                | Measure | Value |
                |---|---|
                | X: %d deliveries stored and routed (%d not answered 200) | %.2f s, **%.0f messages/s** |
                | HTTP channel: %d webhooks stored and routed (%d not answered 202) | %.2f s, **%.0f messages/s** |
                | X / HTTP | %.0f%% |
                """, LocalDate.now(), pgVersion, Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"), loadAverage(), warmup, messages, senders, messages, xFailures, xSeconds,
                xRate, messages, httpFailures, httpSeconds, httpRate, 100 * xRate / httpRate);
        System.out.println(report);
        Path results = Path.of(System.getProperty("frontdoor.bench.results", "bench/RESULTS.md"));
        Files.writeString(results, report, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        System.out.println("Appended to " + results.toAbsolutePath());
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (Exception e) {
            return "unknown";
        }
    }

    /** A delivery with one mention, as X's Account Activity API sends it. */
    static String mention(int i) {
        ObjectNode root = Distribution.JSON.createObjectNode().put("for_user_id", ACCOUNT);
        ObjectNode tweet = root.putArray("tweet_create_events").addObject();
        String id = Long.toString(1_400_000_000_000_000_000L + i);
        tweet.put("created_at", "Mon Dec 07 09:12:44 +0000 2026").put("id_str", id)
                .put("text", "@brand order " + i + " has not arrived yet and the tracking page shows nothing")
                .putNull("in_reply_to_status_id_str").put("in_reply_to_user_id_str", ACCOUNT);
        String customer = Long.toString(3_000_000_000L + i % 1250);
        tweet.putObject("user").put("id_str", customer).put("name", "Customer " + customer)
                .put("screen_name", "customer" + customer).put("followers_count", 22);
        tweet.putObject("entities").putArray("user_mentions").addObject().put("screen_name", "brand")
                .put("id_str", ACCOUNT);
        return root.toString();
    }

    static String sign(String consumerSecret, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(consumerSecret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return "sha256=" + Base64.getEncoder().encodeToString(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    @FunctionalInterface
    private interface Send {
        boolean send(int i) throws Exception;
    }

    private static void send(int messages, int senders, AtomicLong failures, Send send) throws Exception {
        AtomicInteger next = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(senders);
        Future<?>[] running = new Future<?>[senders];
        for (int s = 0; s < senders; s++) {
            running[s] = pool.submit(() -> {
                for (int i; (i = next.getAndIncrement()) < messages; ) {
                    if (!send.send(i)) {
                        failures.incrementAndGet();
                    }
                }
                return null;
            });
        }
        for (Future<?> f : running) {
            f.get();
        }
        pool.shutdown();
    }
}
