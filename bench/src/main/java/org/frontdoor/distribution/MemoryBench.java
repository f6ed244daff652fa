package org.frontdoor.distribution;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
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
 * The distribution's resident memory (VmRSS of the Karaf JVM), idle and under ingest load, with the memory settings
 * the shipped {@code bin/setenv} gives and with the JVM's own defaults ({@code FRONTDOOR_JAVA_MEMORY} set empty, glibc's
 * malloc arenas as they come), one after the other in one run on PostgreSQL. Each copy: boot, {@code
 * frontdoor.bench.settle.seconds} idle (sampled every second: the last and the highest), {@code
 * frontdoor.bench.load.seconds} of {@code frontdoor.bench.senders} concurrent senders posting signed webhooks to the
 * HTTP channel (the highest, and the ingest rate), then idle again. Run: {@code mvn -B -Pbench -pl bench compile
 * exec:java@memory}; the numbers are appended to bench/RESULTS.md.
 */
public final class MemoryBench {

    private static final double MB = 1024 * 1024;

    private MemoryBench() {
    }

    /** What one copy measured. */
    private record Run(String name, double bootSeconds, double idleLast, double idleMax, double loadMax,
                       double afterLoad, long posted, long failed, double rate) {
    }

    public static void main(String[] args) throws Exception {
        int settle = Integer.getInteger("frontdoor.bench.settle.seconds", 30);
        int load = Integer.getInteger("frontdoor.bench.load.seconds", 60);
        int senders = Integer.getInteger("frontdoor.bench.senders", 32);
        List<Run> runs = new ArrayList<>();
        runs.add(measure("shipped bin/setenv", null, settle, load, senders));
        runs.add(measure("JVM defaults (FRONTDOOR_JAVA_MEMORY empty)", "", settle, load, senders));

        StringBuilder table = new StringBuilder();
        for (Run r : runs) {
            table.append(String.format(Locale.ROOT, "| %s | %.0f s | %.0f MB | %.0f MB | %.0f MB (%.0f msg/s, %d of %d "
                    + "not 202) | %.0f MB |%n", r.name(), r.bootSeconds(), r.idleLast(), r.idleMax(), r.loadMax(),
                    r.rate(), r.failed(), r.posted(), r.afterLoad()));
        }
        String report = String.format(Locale.ROOT, """

                ## %s — resident memory, idle and under ingest load (MemoryBench)

                Machine: %d cores, Java %s; Frontdoor, the bench's senders and PostgreSQL on the same machine. VmRSS of
                the Karaf JVM sampled every second: %d s idle after the boot (the last sample and the highest), %d s
                while %d concurrent senders posted signed webhooks to the HTTP channel (the highest, and the rate the
                node acknowledged), then %d s idle again (the last). Aim (issue 19): under 400 MB idle with the shipped
                bin/setenv.

                | Settings | boot | idle (last) | idle (highest) | under load (highest) | idle after the load |
                |---|---|---|---|---|---|
                %s""", LocalDate.now(), Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"),
                settle, load, senders, settle, table);
        System.out.println(report);
        Path results = Path.of(System.getProperty("frontdoor.bench.results", "bench/RESULTS.md"));
        Files.writeString(results, report, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        System.out.println("Appended to " + results.toAbsolutePath());
    }

    private static Run measure(String name, String memory, int settle, int loadSeconds, int senders) throws Exception {
        String secret = "bench-" + UUID.randomUUID();
        try (Database database = Database.postgresql();
             Distribution frontdoor = new Distribution("MemoryBench", database, secret,
                     URI.create("http://127.0.0.1:9/callback"))) {
            if (memory != null) {
                frontdoor.withEnvironment("FRONTDOOR_JAVA_MEMORY", memory).withEnvironment("MALLOC_ARENA_MAX", "");
            }
            long bootStart = System.nanoTime();
            frontdoor.start();
            double boot = (System.nanoTime() - bootStart) / 1e9;
            List<Double> idle = sample(frontdoor, settle, null);

            AtomicBoolean running = new AtomicBoolean(true);
            AtomicLong failed = new AtomicLong();
            AtomicInteger next = new AtomicInteger();
            ExecutorService pool = Executors.newFixedThreadPool(senders);
            List<Future<?>> work = new ArrayList<>();
            long start = System.nanoTime();
            for (int s = 0; s < senders; s++) {
                work.add(pool.submit(() -> {
                    while (running.get()) {
                        int i = next.getAndIncrement();
                        ObjectNode body = Distribution.JSON.createObjectNode();
                        body.put("id", "memory-bench-" + i);
                        String customer = "customer-" + (i % 1250);
                        body.putObject("from").put("id", customer).put("name", "Customer " + customer);
                        body.put("text", "Order " + i + " has not arrived yet and the tracking page shows nothing.");
                        body.put("thread", "memory-bench-" + i);
                        if (frontdoor.postSigned(body.toString()).status() != 202) {
                            failed.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            List<Double> loaded = sample(frontdoor, loadSeconds, running);
            for (Future<?> f : work) {
                f.get();
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            pool.shutdown();
            List<Double> after = sample(frontdoor, settle, null);
            return new Run(name, boot, idle.get(idle.size() - 1), max(idle), max(loaded), after.get(after.size() - 1),
                    next.get(), failed.get(), next.get() / seconds);
        }
    }

    /** VmRSS in MB once a second for {@code seconds}; then clears {@code running} when given. */
    private static List<Double> sample(Distribution frontdoor, int seconds, AtomicBoolean running) throws Exception {
        List<Double> mb = new ArrayList<>();
        for (int i = 0; i < seconds; i++) {
            // pacing a sampler, not waiting for a result: the bench is no test
            Thread.sleep(1000);
            mb.add(frontdoor.residentBytes() / MB);
        }
        if (running != null) {
            running.set(false);
        }
        return mb;
    }

    private static double max(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).max().orElse(0);
    }
}
