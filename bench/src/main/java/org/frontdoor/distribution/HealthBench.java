package org.frontdoor.distribution;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.frontdoor.testkit.Database;
import org.frontdoor.testkit.Distribution;

/**
 * What a load balancer's probe of {@code GET /api/v1/health} (no login) costs, idle and under ingest load, in one
 * run on one distribution: {@code frontdoor.bench.probes} probes one after the other on the idle node, then the same
 * number while {@code frontdoor.bench.senders} concurrent senders post signed webhooks to the HTTP channel. Each probe
 * runs the database's health query unless another ran within the last second (PipelineStatus shares answers for a
 * second), so the probes are paced at {@code frontdoor.bench.probe.millis} apart (default 200 ms: about every fifth
 * one queries the database, as several load balancers probing every second would). Run: see bench/RESULTS.md.
 */
public final class HealthBench {

    private HealthBench() {
    }

    public static void main(String[] args) throws Exception {
        int probes = Integer.getInteger("frontdoor.bench.probes", 300);
        int senders = Integer.getInteger("frontdoor.bench.senders", 32);
        long paceMillis = Long.getLong("frontdoor.bench.probe.millis", 200);
        String secret = "bench-" + UUID.randomUUID();
        List<Double> idle;
        List<Double> loaded;
        long posted;
        long failures;
        double ingestSeconds;
        String loadIdle;
        String loadLoaded;
        try (Database database = Database.postgresql();
             Distribution frontdoor = new Distribution("HealthBench", database, secret,
                     URI.create("http://127.0.0.1:9/callback"))) {
            frontdoor.start();
            probe(frontdoor, 20, paceMillis); // warm-up: the servlet, the pool, the JIT
            idle = probe(frontdoor, probes, paceMillis);
            loadIdle = loadAverage();

            AtomicBoolean running = new AtomicBoolean(true);
            AtomicLong failed = new AtomicLong();
            AtomicInteger next = new AtomicInteger();
            ExecutorService pool = Executors.newFixedThreadPool(senders);
            List<Future<?>> load = new ArrayList<>();
            long start = System.nanoTime();
            for (int s = 0; s < senders; s++) {
                load.add(pool.submit(() -> {
                    while (running.get()) {
                        int i = next.getAndIncrement();
                        ObjectNode body = Distribution.JSON.createObjectNode();
                        body.put("id", "health-bench-" + i);
                        String customer = "customer-" + (i % 1250);
                        body.putObject("from").put("id", customer).put("name", "Customer " + customer);
                        body.put("text", "Order " + i + " has not arrived yet and the tracking page shows nothing.");
                        body.put("thread", "health-bench-" + i);
                        if (frontdoor.postSigned(body.toString()).status() != 202) {
                            failed.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            probe(frontdoor, 20, paceMillis); // the load under way
            loaded = probe(frontdoor, probes, paceMillis);
            loadLoaded = loadAverage();
            running.set(false);
            for (Future<?> f : load) {
                f.get();
            }
            ingestSeconds = (System.nanoTime() - start) / 1e9;
            pool.shutdown();
            posted = next.get();
            failures = failed.get();
        }
        String report = String.format(Locale.ROOT, """

                ## %s — health endpoint latency, idle and under ingest load (HealthBench)

                Machine: %d cores, Java %s; Frontdoor, the bench's senders and probe, and PostgreSQL on the same
                machine. `GET /api/v1/health` without a login, %d probes %d ms apart on the idle node, then %d more
                while %d concurrent senders posted signed webhooks to the HTTP channel (%d posted in %.1f s, %.0f/s,
                %d not answered 202). A probe queries the database when no other did within the last second.
                Load average (1, 5, 15 min, from /proc/loadavg) at the end of each phase: idle %s, under ingest
                load %s.

                | Probe | p50 | p95 | p99 | max |
                |---|---|---|---|---|
                | idle | %.1f ms | %.1f ms | %.1f ms | %.1f ms |
                | under ingest load | %.1f ms | %.1f ms | %.1f ms | %.1f ms |
                """, LocalDate.now(), Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"),
                probes, paceMillis, probes, senders, posted, ingestSeconds, posted / ingestSeconds, failures,
                loadIdle, loadLoaded,
                pct(idle, 50), pct(idle, 95), pct(idle, 99), pct(idle, 100),
                pct(loaded, 50), pct(loaded, 95), pct(loaded, 99), pct(loaded, 100));
        System.out.println(report);
        Path results = Path.of(System.getProperty("frontdoor.bench.results", "bench/RESULTS.md"));
        Files.writeString(results, report, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        System.out.println("Appended to " + results.toAbsolutePath());
    }

    /** The latencies of {@code count} probes, in ms; each must answer 200 (the node stays ready). */
    private static List<Double> probe(Distribution frontdoor, int count, long paceMillis) throws Exception {
        List<Double> millis = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            long start = System.nanoTime();
            Distribution.Response health = frontdoor.request("GET", "/api/v1/health", null, Map.of());
            long took = System.nanoTime() - start;
            if (health.status() != 200) {
                throw new IllegalStateException("not ready under load: " + health.raw().body());
            }
            millis.add(took / 1e6);
            long left = paceMillis - took / 1_000_000;
            if (left > 0) {
                // pacing a load generator, not waiting for a result: the bench is no test
                Thread.sleep(left);
            }
        }
        return millis;
    }

    /** The machine's load average (1, 5 and 15 minutes) as /proc/loadavg says, or "n/a" where there is none. */
    private static String loadAverage() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return fields[0] + " / " + fields[1] + " / " + fields[2];
        } catch (java.io.IOException | RuntimeException e) {
            return "n/a";
        }
    }

    private static double pct(List<Double> values, int percentile) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int index = (int) Math.ceil(percentile / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
    }
}
