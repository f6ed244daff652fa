package org.frontdoor.distribution;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.frontdoor.testkit.CallbackPeer;
import org.frontdoor.testkit.Database;
import org.frontdoor.testkit.Distribution;
import org.frontdoor.testkit.Signatures;

import static org.awaitility.Awaitility.await;

/**
 * Ingest through the real distribution on PostgreSQL: signed webhooks posted by concurrent senders, each answered
 * only once its message is durable; then the time until every conversation is routed. In the same run, the same
 * message rows are inserted with a raw JDBC batch, the ceiling the database allows. Prints both and appends them,
 * with the machine and the date, to bench/RESULTS.md.
 *
 * <p>System properties: {@code frontdoor.bench.messages} (default 20000), {@code frontdoor.bench.senders} (32),
 * {@code frontdoor.bench.customers} (messages / 4).
 */
public final class IngestBench {

    private IngestBench() {
    }

    record Ingest(int messages, int senders, double seconds, double perSecond, double p50Millis, double p99Millis,
                  double routedSeconds, long failures) {
    }

    /** The event log's delivery lag at a paced rate, as a frontdoor:events consumer saw it. */
    record Lag(double targetPerSecond, double perSecond, int events, double p50Millis, double p99Millis,
               double maxMillis) {
    }

    /** wrk at 128 connections on two builds, alternated, each on a fresh database: messages/s per round. */
    record Comparison(String baseline, List<Double> before, List<Double> after) {
    }

    public static void main(String[] args) throws Exception {
        int messages = Integer.getInteger("frontdoor.bench.messages", 20_000);
        int senders = Integer.getInteger("frontdoor.bench.senders", 32);
        int customers = Integer.getInteger("frontdoor.bench.customers", Math.max(1, messages / 4));
        int warmup = Math.min(2_000, messages / 10);
        String secret = "bench-" + UUID.randomUUID();
        Ingest ingest;
        List<Ingest> wrk;
        Lag lag = null;
        double raw;
        String pgVersion;
        try (Database database = Database.postgresql();
             CallbackPeer peer = new CallbackPeer(secret);
             Distribution frontdoor = new Distribution("IngestBench", database, secret, peer.url())) {
            frontdoor.start();
            run(frontdoor, "warmup", warmup, senders, customers);
            awaitRouted(frontdoor);
            vacuum(database);
            ingest = run(frontdoor, "bench", messages, senders, customers);
            wrk = wrk(frontdoor, database, secret, customers);
            if (!wrk.isEmpty()) {
                lag = eventLag(frontdoor, database, secret, customers,
                        wrk.stream().mapToDouble(Ingest::perSecond).max().orElseThrow());
            }
            frontdoor.stop();
            String url = database.environment().get("FRONTDOOR_DB_URL");
            try (Connection c = DriverManager.getConnection(url, "postgres", "")) {
                raw = rawBatchInsert(c, messages);
                pgVersion = scalar(c, "SHOW server_version");
            }
        }
        String baseline = System.getProperty("frontdoor.bench.baseline", "");
        Comparison comparison = baseline.isBlank() || wrk.isEmpty() ? null
                : compare(Path.of(baseline), secret, customers);
        String report = report(ingest, wrk, raw, pgVersion) + lagReport(lag) + comparisonReport(comparison);
        System.out.println(report);
        Path results = Path.of(System.getProperty("frontdoor.bench.results", "bench/RESULTS.md"));
        Files.writeString(results, report, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        System.out.println("Appended to " + results.toAbsolutePath());
    }

    /**
     * The delivery lag of the event log: the probe bundle (bench/lag-consumer), dropped into deploy/, consumes
     * message-added events and records for each how long after its transaction began it arrived. wrk then posts at
     * about half the maximum rate measured before (each connection pausing between requests) for the run's length.
     */
    private static Lag eventLag(Distribution frontdoor, Database database, String secret, int customers,
                                double maxPerSecond) throws Exception {
        Path probe = Path.of(System.getProperty("frontdoor.bench.lagProbe",
                "bench/lag-consumer/target/org.frontdoor.bench.lag-0.1.0-SNAPSHOT.jar"));
        if (!Files.exists(probe)) {
            System.out.println("No lag probe at " + probe + " (mvn -Pbench install builds it): no lag measured");
            return null;
        }
        Path lags = frontdoor.home().resolve("data/bench-lag.tsv");
        Files.copy(probe, frontdoor.home().resolve("deploy/" + probe.getFileName()));
        await("the lag probe consuming").atMost(Duration.ofMinutes(2)).until(() -> Files.exists(lags)
                && frontdoor.shell("frontdoor:event-consumer-list").contains("bench-lag"));
        double target = maxPerSecond / 2;
        int connections = 64;
        // each connection waits pause + latency between two requests; the latency at that load is measured in a short
        // run first, so the pause that gives half the maximum is known
        long pause = Math.max(1, Math.round(connections * 1000 / target));
        for (int trial = 1; trial <= 2; trial++) { // the latency grows with the rate: a second trial corrects the first
            String output = runWrk(frontdoor, secret, customers, "lag-trial-" + trial + "-", connections, 8, 100_000,
                    pause);
            double rate = Long.parseLong(find(output, "(\\d+) requests in"))
                    / Double.parseDouble(find(output, "requests in ([0-9.]+)s"));
            double latency = connections * 1000 / rate - pause;
            long next = Math.max(1, Math.round(connections * 1000 / target - latency));
            System.out.printf("paced trial %d: pause %d ms gave %.0f messages/s (latency %.1f ms): pausing %d ms%n",
                    trial, pause, rate, latency, next);
            pause = next;
        }
        long trialStored;
        try (Connection c = DriverManager.getConnection(database.environment().get("FRONTDOOR_DB_URL"), "postgres",
                "")) {
            trialStored = Long.parseLong(scalar(c, "SELECT count(*) FROM message WHERE external_id LIKE 'lag-trial-%'"));
        }
        await("the probe caught up with the trial").atMost(Duration.ofMinutes(5)).until(() -> lines(lags) >= trialStored);
        long skip = lines(lags); // the trial's events are not counted
        int seconds = Integer.getInteger("frontdoor.bench.wrk.seconds", 20);
        String output = runWrk(frontdoor, secret, customers, "lag-", connections, seconds,
                Integer.getInteger("frontdoor.bench.wrk.requests", 250_000), pause);
        long completed = Long.parseLong(find(output, "(\\d+) requests in"));
        double elapsed = Double.parseDouble(find(output, "requests in ([0-9.]+)s"));
        long stored;
        try (Connection c = DriverManager.getConnection(database.environment().get("FRONTDOOR_DB_URL"), "postgres",
                "")) {
            stored = Long.parseLong(scalar(c, "SELECT count(*) FROM message WHERE external_id LIKE 'lag-%' "
                    + "AND external_id NOT LIKE 'lag-trial-%'"));
        }
        await("the probe caught up").atMost(Duration.ofMinutes(5)).until(() -> lines(lags) >= skip + stored);
        long[] micros = Files.readAllLines(lags).stream().skip(skip)
                .mapToLong(l -> Long.parseLong(l.substring(l.indexOf('\t') + 1))).sorted().toArray();
        return new Lag(target, completed / elapsed, micros.length, micros[micros.length / 2] / 1000.0,
                micros[(int) Math.min(micros.length - 1, Math.ceil(micros.length * 0.99) - 1)] / 1000.0,
                micros[micros.length - 1] / 1000.0);
    }

    private static long lines(Path file) throws IOException {
        try (var l = Files.lines(file)) {
            return l.count();
        }
    }

    /**
     * The same wrk run (128 connections, after a warm-up run) on a baseline build and on this one, alternated twice,
     * each on a fresh database, so that both are measured in the same hour on the same machine.
     */
    private static Comparison compare(Path baseline, String secret, int customers) throws Exception {
        Path current = Path.of(System.getProperty("frontdoor.distribution", "karaf-assembly/target/assembly"));
        List<Double> before = new ArrayList<>();
        List<Double> after = new ArrayList<>();
        for (int round = 0; round < 2; round++) {
            for (Path build : List.of(baseline, current)) {
                try (Database database = Database.postgresql();
                     CallbackPeer peer = new CallbackPeer(secret);
                     Distribution frontdoor = new Distribution("IngestBench-" + (build == baseline ? "before" : "after"),
                             database, secret, peer.url(), build)) {
                    frontdoor.start();
                    String prefix = "cmp-" + round + "-";
                    runWrk(frontdoor, secret, customers, prefix + "warmup-", 128,
                            Integer.getInteger("frontdoor.bench.wrk.warmup", 30), 250_000, 0);
                    awaitRouted(frontdoor);
                    vacuum(database);
                    String output = runWrk(frontdoor, secret, customers, prefix, 128,
                            Integer.getInteger("frontdoor.bench.wrk.seconds", 20), 250_000, 0);
                    long completed = Long.parseLong(find(output, "(\\d+) requests in"));
                    long other = output.contains("Non-2xx or 3xx responses")
                            ? Long.parseLong(find(output, "Non-2xx or 3xx responses:\\s+(\\d+)")) : 0;
                    double rate = (completed - other) / Double.parseDouble(find(output, "requests in ([0-9.]+)s"));
                    (build == baseline ? before : after).add(rate);
                    System.out.printf("comparison round %d, %s: %.0f messages/s%n", round + 1,
                            build == baseline ? "before" : "after", rate);
                }
            }
        }
        return new Comparison(baseline.toString(), before, after);
    }

    private static String lagReport(Lag lag) {
        if (lag == null) {
            return "";
        }
        return String.format(java.util.Locale.ROOT, """
                | Event delivery lag (a frontdoor:events consumer, message-added) at %.0f messages/s, aiming at half the maximum (%.0f): p50 / p99 / max over %d events | %.1f ms / %.1f ms / %.1f ms |
                """, lag.perSecond(), lag.targetPerSecond(), lag.events(), lag.p50Millis(), lag.p99Millis(),
                lag.maxMillis());
    }

    private static String comparisonReport(Comparison c) {
        if (c == null) {
            return "";
        }
        double before = c.before().stream().mapToDouble(Double::doubleValue).average().orElse(0);
        double after = c.after().stream().mapToDouble(Double::doubleValue).average().orElse(0);
        return String.format(java.util.Locale.ROOT, """
                | Same run, wrk 128 connections, alternated on fresh databases: the baseline build (%s) | %s messages/s (mean %.0f) |
                | Same run: this build | %s messages/s (mean %.0f) |
                | This build / baseline | %.0f%% |
                """, c.baseline(), c.before().stream().map(r -> String.format(java.util.Locale.ROOT, "%.0f", r))
                        .collect(Collectors.joining(", ")), before,
                c.after().stream().map(r -> String.format(java.util.Locale.ROOT, "%.0f", r))
                        .collect(Collectors.joining(", ")), after, 100 * after / before);
    }

    private static Ingest run(Distribution frontdoor, String label, int messages, int senders, int customers)
            throws Exception {
        long[] latencies = new long[messages];
        AtomicInteger next = new AtomicInteger();
        AtomicLong failures = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(senders);
        long start = System.nanoTime();
        Future<?>[] running = new Future<?>[senders];
        for (int s = 0; s < senders; s++) {
            running[s] = pool.submit(() -> {
                for (int i; (i = next.getAndIncrement()) < messages; ) {
                    String body = message(label + "-" + i, "customer-" + (i % customers), i);
                    long t0 = System.nanoTime();
                    Distribution.Response answer = frontdoor.postSigned(body);
                    latencies[i] = System.nanoTime() - t0;
                    if (answer.status() != 202) {
                        failures.incrementAndGet();
                    }
                }
                return null;
            });
        }
        for (Future<?> f : running) {
            f.get();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        pool.shutdown();
        long routedStart = System.nanoTime();
        awaitRouted(frontdoor);
        double routedSeconds = seconds + (System.nanoTime() - routedStart) / 1e9;
        Arrays.sort(latencies);
        return new Ingest(messages, senders, seconds, messages / seconds, latencies[messages / 2] / 1e6,
                latencies[(int) Math.min(messages - 1, Math.ceil(messages * 0.99) - 1)] / 1e6, routedSeconds,
                failures.get());
    }

    /**
     * The same ingest driven by wrk, a load generator in C, so that less of the two cores goes to the senders:
     * requests are signed beforehand (their timestamps stay valid for the run), each is posted once. A first wrk
     * run, not recorded, lets the JIT compiler finish with the ingest path, so the recorded runs are the steady state.
     * One recorded run per number of connections ({@code frontdoor.bench.wrk.connections}, default 64,128): more
     * requests waiting means larger commit groups. Empty when wrk is not installed.
     */
    private static List<Ingest> wrk(Distribution frontdoor, Database database, String secret, int customers)
            throws Exception {
        int[] levels = Arrays.stream(System.getProperty("frontdoor.bench.wrk.connections", "64,128").split(","))
                .map(String::trim).mapToInt(Integer::parseInt).toArray();
        int seconds = Integer.getInteger("frontdoor.bench.wrk.seconds", 20);
        int warmupSeconds = Integer.getInteger("frontdoor.bench.wrk.warmup", 30);
        int prepared = Integer.getInteger("frontdoor.bench.wrk.requests", 250_000);
        try {
            new ProcessBuilder("wrk", "-v").redirectErrorStream(true).start().waitFor();
        } catch (IOException notInstalled) {
            System.out.println("wrk is not installed (apt-get install wrk): skipping the wrk runs");
            return List.of();
        }
        if (warmupSeconds > 0) {
            String output = runWrk(frontdoor, secret, customers, "wrk-warmup-", levels[0], warmupSeconds, prepared, 0);
            System.out.println("wrk warm-up (not recorded): " + find(output, "(Requests/sec:\\s+\\S+)"));
            awaitRouted(frontdoor);
        }
        List<Ingest> runs = new ArrayList<>();
        for (int connections : levels) {
            vacuum(database);
            String prefix = "wrk-" + connections + "-";
            String output = runWrk(frontdoor, secret, customers, prefix, connections, seconds, prepared, 0);
            long completed = Long.parseLong(find(output, "(\\d+) requests in"));
            long other = output.contains("Non-2xx or 3xx responses")
                    ? Long.parseLong(find(output, "Non-2xx or 3xx responses:\\s+(\\d+)")) : 0;
            if (completed >= prepared) {
                throw new IllegalStateException("wrk posted all " + prepared + " prepared requests before the end of "
                        + "the run: raise -Dfrontdoor.bench.wrk.requests");
            }
            double elapsed = Double.parseDouble(find(output, "requests in ([0-9.]+)s"));
            long routedStart = System.nanoTime();
            awaitRouted(frontdoor);
            double routed = elapsed + (System.nanoTime() - routedStart) / 1e9;
            // every request answered 2xx is stored once; requests still in flight when wrk stopped may be stored too
            long stored;
            try (Connection c = DriverManager.getConnection(database.environment().get("FRONTDOOR_DB_URL"),
                    "postgres", "")) {
                stored = Long.parseLong(scalar(c, "SELECT count(*) FROM message WHERE external_id LIKE '" + prefix
                        + "%'"));
            }
            if (stored < completed - other || stored > completed + connections) {
                throw new IllegalStateException("wrk completed " + completed + " requests (" + other + " not 2xx) but "
                        + stored + " messages are stored");
            }
            runs.add(new Ingest((int) (completed - other), connections, elapsed, (completed - other) / elapsed,
                    millis(find(output, "\\s50%\\s+(\\S+)")), millis(find(output, "\\s99%\\s+(\\S+)")), routed,
                    other));
        }
        return runs;
    }

    /**
     * One wrk run posting requests signed beforehand, with message ids that start with {@code prefix}; with a pause,
     * each connection waits that many milliseconds between two requests.
     */
    private static String runWrk(Distribution frontdoor, String secret, int customers, String prefix, int connections,
                                 int seconds, int prepared, long pauseMillis) throws Exception {
        int threads = 2;
        Path dir = Files.createTempDirectory("frontdoor-wrk-");
        Path data = dir.resolve("requests.tsv");
        Path script = dir.resolve("wrk-ingest.lua");
        try (var in = IngestBench.class.getResourceAsStream("/wrk-ingest.lua")) {
            Files.copy(in, script);
        }
        if (pauseMillis > 0) {
            Files.writeString(script, "\nfunction delay()\n  return " + pauseMillis + "\nend\n", StandardOpenOption.APPEND);
        }
        long now = Instant.now().getEpochSecond();
        try (var out = Files.newBufferedWriter(data, StandardCharsets.UTF_8)) {
            for (int i = 0; i < prepared; i++) {
                String body = message(prefix + i, "customer-" + (i % customers), i);
                out.write(now + "\t" + Signatures.sign(secret, now, body.getBytes(StandardCharsets.UTF_8)) + "\t" + body
                        + "\n");
            }
        }
        ProcessBuilder builder = new ProcessBuilder("wrk", "-t" + threads, "-c" + connections, "-d" + seconds + "s",
                "--latency", "--timeout", "30s", "-s", script.toString(), frontdoor.url(frontdoor.webhookPath("demo")),
                "--", data.toString(), Integer.toString(threads)).redirectErrorStream(true);
        try {
            Process wrk = builder.start();
            String output = new String(wrk.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            wrk.waitFor();
            System.out.println(output);
            return output;
        } finally {
            Files.deleteIfExists(data);
            Files.deleteIfExists(script);
            Files.deleteIfExists(dir);
        }
    }

    private static String find(String text, String regex) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile(regex).matcher(text);
        if (!m.find()) {
            throw new IllegalStateException("no " + regex + " in wrk's output:\n" + text);
        }
        return m.group(1);
    }

    /** wrk's durations: 850.00us, 12.34ms, 1.02s. */
    static double millis(String value) {
        if (value.endsWith("us")) {
            return Double.parseDouble(value.substring(0, value.length() - 2)) / 1000;
        }
        if (value.endsWith("ms")) {
            return Double.parseDouble(value.substring(0, value.length() - 2));
        }
        if (value.endsWith("m")) {
            return Double.parseDouble(value.substring(0, value.length() - 1)) * 60_000;
        }
        return Double.parseDouble(value.substring(0, value.length() - 1)) * 1000;
    }

    static void awaitRouted(Distribution frontdoor) {
        await("every conversation routed").atMost(Duration.ofMinutes(10)).pollInterval(Duration.ofMillis(100))
                .until(() -> frontdoor.get("/api/v1/conversations?status=NEW&limit=1").json().path("total").asLong() == 0);
    }

    private static String message(String id, String customer, int i) {
        ObjectNode body = Distribution.JSON.createObjectNode();
        body.put("id", id);
        body.putObject("from").put("id", customer).put("name", "Customer " + customer)
                .put("email", customer + "@example.org");
        body.put("text", "Order " + i + " has not arrived yet and the tracking page shows nothing since Monday.");
        // a thread of the customer's own (threads are door-wide since api 0.2: one shared by every customer would make
        // a few conversations of thousands of authors, not what the bench compares)
        body.put("thread", customer + "-order-" + (i % 3));
        return body.toString();
    }

    /**
     * The same message rows, inserted by one connection in JDBC batches of 1000, one commit per batch: a warm-up
     * round, then three rounds of at least 50000 rows into the emptied table, of which the median counts. The rows
     * are built before the clock starts, so the figure is the database's, not the JSON writer's. A single short
     * round moved between 38k and 57k rows/s from run to run on the same machine.
     */
    private static double rawBatchInsert(Connection c, int messages) throws Exception {
        int rows = Math.max(messages, 50_000);
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TABLE bench_raw_message (LIKE message INCLUDING ALL)");
        }
        String[] bodies = new String[rows];
        for (int i = 0; i < rows; i++) {
            bodies[i] = message("raw-" + i, "customer-" + i % Math.max(1, rows / 4), i);
        }
        c.setAutoCommit(false);
        double[] rates = new double[3];
        for (int round = -1; round < rates.length; round++) {
            try (Statement s = c.createStatement()) {
                s.execute("TRUNCATE bench_raw_message");
            }
            c.commit();
            double seconds = rawRound(c, bodies, round < 0 ? Math.min(rows, 10_000) : rows);
            if (round >= 0) {
                rates[round] = rows / seconds;
            }
        }
        c.setAutoCommit(true);
        Arrays.sort(rates);
        System.out.printf("raw JDBC rounds: %.0f, %.0f, %.0f rows/s%n", rates[0], rates[1], rates[2]);
        return rates[1];
    }

    private static double rawRound(Connection c, String[] bodies, int rows) throws Exception {
        String sql = "INSERT INTO bench_raw_message (id, conversation_id, customer_id, identity_id, channel, instance, "
                + "external_id, direction, visibility, thread_ref, body, raw_payload, received_at, stored_at) "
                + "VALUES (?, ?, ?, ?, 'api', 'demo', ?, 'INBOUND', 'PRIVATE', ?, ?, ?, ?, ?)";
        long start = System.nanoTime();
        try (PreparedStatement insert = c.prepareStatement(sql)) {
            for (int i = 0; i < rows; i++) {
                Timestamp now = Timestamp.from(Instant.now());
                insert.setLong(1, i + 1);
                insert.setLong(2, i / 4 + 1);
                insert.setLong(3, i / 4 + 1);
                insert.setLong(4, i / 4 + 1);
                insert.setString(5, "raw-" + i);
                insert.setString(6, "order-" + (i % 1000));
                insert.setString(7, "Order " + i + " has not arrived yet and the tracking page shows nothing since Monday.");
                insert.setString(8, bodies[i]);
                insert.setTimestamp(9, now);
                insert.setTimestamp(10, now);
                insert.addBatch();
                if ((i + 1) % 1000 == 0 || i == rows - 1) {
                    insert.executeBatch();
                    c.commit();
                }
            }
        }
        return (System.nanoTime() - start) / 1e9;
    }

    /**
     * What autovacuum does between two runs in a default PostgreSQL. The machine this bench was written on runs with
     * {@code autovacuum = off}: there, each message's conversation update leaves a dead row version in the table and
     * its indexes that nothing removes, and the rate of the next run falls as they pile up (7.6k against 8.3-8.6k
     * messages/s after a VACUUM, on a warm distribution).
     */
    static void vacuum(Database database) throws Exception {
        try (Connection c = DriverManager.getConnection(database.environment().get("FRONTDOOR_DB_URL"), "postgres", "");
             Statement s = c.createStatement()) {
            s.execute("VACUUM ANALYZE");
        }
    }

    static String scalar(Connection c, String sql) throws Exception {
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getString(1);
        }
    }

    private static String report(Ingest in, List<Ingest> wrk, double raw, String pgVersion) throws IOException {
        String cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                .findFirst().map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse("unknown CPU");
        String mem = Files.readAllLines(Path.of("/proc/meminfo")).stream().filter(l -> l.startsWith("MemTotal"))
                .findFirst().map(l -> l.replaceAll("\\D+", "")).map(kb -> Long.parseLong(kb) / 1024 / 1024 + " GiB")
                .orElse("?");
        return String.format(java.util.Locale.ROOT, """

                ## %s — ingest on PostgreSQL %s

                Machine: %d cores (%s), %s RAM, Java %s; Frontdoor, the senders and PostgreSQL on the same machine.

                | Measure | Value |
                |---|---|
                | Signed webhooks posted (%d concurrent senders, %d customers) | %d (%d not answered 202) |
                | End to end, acknowledged (durable) | **%.0f messages/s** |
                | Latency p50 / p99 | %.1f ms / %.1f ms |
                | All stored and routed after | %.2f s (%.0f messages/s) |
                | Raw JDBC batch insert of the same rows (batches of 1000, median of 3 rounds) | **%.0f rows/s** |
                | End to end / raw | %.0f%% |
                %s""", LocalDate.now(), pgVersion, Runtime.getRuntime().availableProcessors(), cpu, mem,
                System.getProperty("java.version"), in.senders(), Integer.getInteger("frontdoor.bench.customers",
                        Math.max(1, in.messages() / 4)), in.messages(), in.failures(), in.perSecond(), in.p50Millis(),
                in.p99Millis(), in.routedSeconds(), in.messages() / in.routedSeconds(), raw, 100 * in.perSecond() / raw,
                wrk.stream().map(w -> String.format(java.util.Locale.ROOT, """
                | With wrk, %d connections (%.0f s, after a %d s warm-up run): accepted | %d (%d other answers) |
                | With wrk, %d connections: end to end, acknowledged (durable) | **%.0f messages/s** |
                | With wrk, %d connections: latency p50 / p99 | %.1f ms / %.1f ms |
                | With wrk, %d connections: all stored and routed after | %.2f s |
                | With wrk, %d connections: end to end / raw | %.0f%% |
                """, w.senders(), w.seconds(), Integer.getInteger("frontdoor.bench.wrk.warmup", 30), w.messages(),
                        w.failures(), w.senders(), w.perSecond(), w.senders(), w.p50Millis(), w.p99Millis(), w.senders(),
                        w.routedSeconds(), w.senders(), 100 * w.perSecond() / raw)).collect(Collectors.joining()));
    }
}
