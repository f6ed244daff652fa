package org.frontdoor.core;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import org.frontdoor.api.ChannelHealth;
import org.frontdoor.store.Door;
import org.frontdoor.store.QueueDepths;

/**
 * What core's metrics cost on ingest: the recording {@code Pipeline.ingest} does for every message (a counter by
 * outcome and a latency histogram, labelled by door), timed on threads as the group commit's callbacks run them,
 * without a registry bound (frontdoor-metrics not installed) and with Micrometer's Prometheus registry bound, in
 * alternating rounds of one run; then the time of one scrape with those series. Appends a section to RESULTS.md.
 *
 * <p>{@code mvn -B -Pbench install -DskipTests && mvn -B -Pbench -pl bench compile exec:java@metrics}
 * (knobs: {@code -Dfrontdoor.bench.records=2000000 -Dfrontdoor.bench.threads=4 -Dfrontdoor.bench.rounds=5})
 */
public final class MetricsBench {

    private static final String[][] DOORS = {{"api", "demo"}, {"api", "shop"}, {"email", "support"},
            {"webchat", "site"}, {"xmpp", "chat"}};
    private static final String[] OUTCOMES = {"stored", "stored", "stored", "stored", "stored", "stored", "stored",
            "duplicate", "refused", "stored"};

    private MetricsBench() {
    }

    public static void main(String[] args) throws Exception {
        int records = Integer.getInteger("frontdoor.bench.records", 2_000_000);
        int threads = Integer.getInteger("frontdoor.bench.threads", 4);
        int rounds = Integer.getInteger("frontdoor.bench.rounds", 5);

        CoreMetrics without = metrics();
        CoreMetrics with = metrics();
        PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        with.bind(prometheus);

        // warm-up: the JIT sees both paths before anything is timed
        run(without, records / 4, threads);
        run(with, records / 4, threads);
        double[] bare = new double[rounds];
        double[] bound = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            bare[r] = run(without, records, threads);
            bound[r] = run(with, records, threads);
        }
        double bareNs = median(bare);
        double boundNs = median(bound);

        String text = prometheus.scrape();
        long scrapes = 200;
        long start = System.nanoTime();
        for (int i = 0; i < scrapes; i++) {
            text = prometheus.scrape();
        }
        double scrapeMs = (System.nanoTime() - start) / 1e6 / scrapes;
        long lines = text.lines().filter(l -> !l.startsWith("#")).count();

        String section = String.format(java.util.Locale.ROOT, """

                ## %s — the cost of metrics on ingest (MetricsBench)

                Machine: %d cores, Java %s. `CoreMetrics.ingested` as `Pipeline.ingest` calls it once per message (a
                counter by outcome, a latency histogram of 13 buckets, labelled by door: 5 doors, 3 outcomes), from %d
                threads at once, %d records a round, %d alternating rounds; the median round.

                | Measure | Value |
                |---|---|
                | Recording one ingest, no registry bound (frontdoor-metrics not installed) | %.0f ns |
                | Recording one ingest, Prometheus registry bound | %.0f ns |
                | Added by the registry, per message | %.0f ns |
                | Against 1 ms of CPU per ingested message (a low estimate: the best run above, 668 messages/s, used 2 cores between Karaf, PostgreSQL and the senders) | %.3f%% |
                | One scrape of these series (%d samples) | %.2f ms |
                """, LocalDate.now(), Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"),
                threads, records, rounds, bareNs, boundNs, boundNs - bareNs, 100 * (boundNs - bareNs) / 1_000_000.0, lines,
                scrapeMs);
        System.out.println(section);
        String results = System.getProperty("frontdoor.bench.results");
        if (results != null) {
            Files.writeString(Path.of(results), section, StandardOpenOption.APPEND);
        }
        with.close();
        without.close();
    }

    private static CoreMetrics metrics() {
        Map<Door, ChannelHealth.Status> doors = new HashMap<>();
        for (String[] d : DOORS) {
            doors.put(new Door(d[0], d[1]), ChannelHealth.Status.UP);
        }
        return new CoreMetrics(() -> new QueueDepths(Map.of(), 0, Map.of()), List::of, () -> doors);
    }

    /** Nanoseconds per record, wall time over all threads' records. */
    private static double run(CoreMetrics metrics, int records, int threads) throws InterruptedException {
        Thread[] workers = new Thread[threads];
        int each = records / threads;
        long start = System.nanoTime();
        for (int t = 0; t < threads; t++) {
            int seed = t;
            workers[t] = new Thread(() -> {
                for (int i = 0; i < each; i++) {
                    String[] door = DOORS[(i + seed) % DOORS.length];
                    metrics.ingested(door[0], door[1], OUTCOMES[i % OUTCOMES.length], 1_000_000L + (i & 0xFFFFF) * 50L);
                }
            });
            workers[t].start();
        }
        for (Thread w : workers) {
            w.join();
        }
        // per record of CPU: wall time times the threads that ran, over the records
        return (double) (System.nanoTime() - start) * Math.min(threads, Runtime.getRuntime().availableProcessors())
                / (each * (long) threads);
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        java.util.Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

}
