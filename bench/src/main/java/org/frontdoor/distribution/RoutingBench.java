package org.frontdoor.distribution;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.frontdoor.testkit.CallbackPeer;
import org.frontdoor.testkit.Database;
import org.frontdoor.testkit.Distribution;

import static org.awaitility.Awaitility.await;

/**
 * What routing costs, in one run of the real distribution on PostgreSQL: the same burst of signed webhooks (each a new
 * conversation) posted first with routing alone (no rule, no classifier: every conversation to the default
 * department), then with 50 keyword rules and both shipped classifiers (language, sentiment) installed. For each, the
 * acknowledged ingest rate and the rate at which conversations are stored and routed. Then messages paced at half the
 * maximum ingest rate measured, with the rules and classifiers, and how long each conversation waited between being
 * created and being routed (p50, p99, max, from the database's own timestamps). Prints and appends to
 * bench/RESULTS.md.
 *
 * <p>System properties: {@code frontdoor.bench.messages} (default 6000), {@code frontdoor.bench.senders} (32),
 * {@code frontdoor.bench.rules} (50), {@code frontdoor.bench.paced.seconds} (20).
 */
public final class RoutingBench {

    private static final List<String> TEXTS = List.of(
            "Order %d has not arrived yet and the tracking page shows nothing since Monday.",
            "Bonjour, la commande %d n'est toujours pas arrivée, pouvez-vous vérifier ?",
            "This is the third time I write about order %d. Terrible service, I am really angry!",
            "Hallo, ich möchte die Rechnung für Bestellung %d als PDF bekommen, danke.",
            "Thanks a lot for the quick help with order %d, everything works now :)",
            "I want a refund for order %d, the item arrived broken.");

    private RoutingBench() {
    }

    /** One burst: acknowledged rate and the rate until every conversation was routed. */
    record Burst(int messages, double ackPerSecond, double p99AckMillis, double routedPerSecond, long failures) {
    }

    /** Paced messages and how long their conversations waited to be routed. */
    record Paced(double targetPerSecond, double perSecond, int conversations, double p50Millis, double p99Millis,
                 double maxMillis) {
    }

    public static void main(String[] args) throws Exception {
        int messages = Integer.getInteger("frontdoor.bench.messages", 6000);
        int senders = Integer.getInteger("frontdoor.bench.senders", 32);
        int rules = Integer.getInteger("frontdoor.bench.rules", 50);
        int pacedSeconds = Integer.getInteger("frontdoor.bench.paced.seconds", 20);
        String secret = "bench-" + UUID.randomUUID();
        List<Burst> alone = new ArrayList<>();
        List<Burst> routed = new ArrayList<>();
        Paced paced = null;
        Paced pacedAlone = null;
        String pgVersion;
        try (Database database = Database.postgresql();
             CallbackPeer peer = new CallbackPeer(secret);
             Distribution frontdoor = new Distribution("RoutingBench", database, secret, peer.url())) {
            frontdoor.start();
            burst(frontdoor, database, "warmup", messages / 3, senders);
            // alone and with rules, twice, alternated: the machine's load drifts over minutes, and one order would
            // favour whichever ran later (a warmer JIT, a busier or quieter neighbour)
            for (int round = 0; round < 2; round++) {
                IngestBench.vacuum(database);
                alone.add(burst(frontdoor, database, "alone" + round, messages, senders));
                if (round == 1) {
                    pacedAlone = paced(frontdoor, database, "paced-alone", mean(alone) / 2, pacedSeconds);
                }
                install(frontdoor, rules);
                burst(frontdoor, database, "warmup-rules" + round, messages / 6, senders);
                IngestBench.vacuum(database);
                routed.add(burst(frontdoor, database, "rules" + round, messages, senders));
                if (round == 1) {
                    paced = paced(frontdoor, database, "paced-rules", mean(alone) / 2, pacedSeconds);
                } else {
                    frontdoor.shell("feature:uninstall frontdoor-rule-keyword frontdoor-classifier-language "
                            + "frontdoor-classifier-sentiment");
                    await("no rule left").atMost(Duration.ofMinutes(2)).until(() -> frontdoor
                            .shell("frontdoor:rule-list").contains("No routing rule"));
                }
            }
            try (Connection c = connection(database)) {
                pgVersion = IngestBench.scalar(c, "SHOW server_version");
                System.out.println("Routed by rule (routed run): " + IngestBench.scalar(c, "SELECT string_agg(r || ' '"
                        + " || n, ', ') FROM (SELECT c.routed_rule r, count(*) n FROM conversation c JOIN message m ON "
                        + "m.conversation_id = c.id WHERE m.external_id LIKE 'rules1-%' GROUP BY c.routed_rule "
                        + "ORDER BY 2 DESC LIMIT 8) t"));
            }
        }
        String report = report(alone, routed, pacedAlone, paced, rules, pgVersion);
        System.out.println(report);
        Path results = Path.of(System.getProperty("frontdoor.bench.results", "bench/RESULTS.md"));
        Files.writeString(results, report, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        System.out.println("Appended to " + results.toAbsolutePath());
    }

    /** Installs the rule feature and both classifiers, writes the rules, and waits until all are in use. */
    private static void install(Distribution frontdoor, int rules) throws Exception {
        String language = "Classifier org.frontdoor.classifier.language added";
        String sentiment = "Classifier org.frontdoor.classifier.sentiment added";
        long languageBefore = count(frontdoor.log(), language);
        long sentimentBefore = count(frontdoor.log(), sentiment);
        frontdoor.shell("feature:install frontdoor-rule-keyword frontdoor-classifier-language "
                + "frontdoor-classifier-sentiment");
        for (int n = 0; n < rules; n++) {
            frontdoor.writeEtc("org.frontdoor.rule.keyword-bench" + n + ".cfg", rule(n));
        }
        await("the rules and classifiers").atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1))
                .until(() -> count(frontdoor.shell("frontdoor:rule-list"), "bench") >= rules
                        && count(frontdoor.log(), language) > languageBefore
                        && count(frontdoor.log(), sentiment) > sentimentBefore);
    }

    private static long count(String text, String part) {
        return text.split(java.util.regex.Pattern.quote(part), -1).length - 1;
    }

    private static double mean(List<Burst> bursts) {
        return bursts.stream().mapToDouble(Burst::ackPerSecond).average().orElseThrow();
    }

    /** Keyword rule n: two words of its own and a phrase; every tenth also needs sentiment=negative. */
    static String rule(int n) {
        String keywords = n == 7 ? "refund, money back" : "zork" + n + ", quux" + n + ", order number " + (1_000_000 + n);
        return "department = bench-" + (n % 5) + "\nkeywords = " + keywords + "\nservice.ranking = " + n + "\n"
                + (n % 10 == 3 ? "annotation = sentiment=negative\nmatch = conversation\n" : "");
    }

    private static String message(String id, int i) {
        ObjectNode body = Distribution.JSON.createObjectNode();
        body.put("id", id);
        String customer = id + "-c";
        body.putObject("from").put("id", customer).put("name", "Customer " + i).put("email", customer + "@example.org");
        body.put("text", String.format(Locale.ROOT, TEXTS.get(i % TEXTS.size()), i));
        body.put("thread", customer + "-thread");
        return body.toString();
    }

    private static Burst burst(Distribution frontdoor, Database database, String label, int messages, int senders)
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
                    String body = message(label + "-" + i, i);
                    long t0 = System.nanoTime();
                    if (frontdoor.postSigned(body).status() != 202) {
                        failures.incrementAndGet();
                    }
                    latencies[i] = System.nanoTime() - t0;
                }
                return null;
            });
        }
        for (Future<?> f : running) {
            f.get();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        pool.shutdown();
        IngestBench.awaitRouted(frontdoor);
        double routedSeconds = (System.nanoTime() - start) / 1e9;
        Arrays.sort(latencies);
        Burst b = new Burst(messages, messages / seconds,
                latencies[(int) Math.min(messages - 1, Math.ceil(messages * 0.99) - 1)] / 1e6,
                messages / routedSeconds, failures.get());
        System.out.printf(Locale.ROOT, "%s: %d messages, %.0f acknowledged/s (p99 %.1f ms), %.0f routed/s, %d failed%n",
                label, messages, b.ackPerSecond(), b.p99AckMillis(), b.routedPerSecond(), b.failures());
        return b;
    }

    /** Messages at a fixed rate for a while (each due at start + i / rate), then the routing wait per conversation. */
    private static Paced paced(Distribution frontdoor, Database database, String label, double perSecond,
                               int seconds) throws Exception {
        int messages = (int) Math.round(perSecond * seconds);
        int senders = 32;
        AtomicInteger next = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(senders);
        long start = System.nanoTime();
        long interval = Math.round(1e9 / perSecond);
        Future<?>[] running = new Future<?>[senders];
        for (int s = 0; s < senders; s++) {
            running[s] = pool.submit(() -> {
                for (int i; (i = next.getAndIncrement()) < messages; ) {
                    long due = start + i * interval;
                    for (long wait; (wait = due - System.nanoTime()) > 0; ) {
                        LockSupport.parkNanos(wait);
                    }
                    frontdoor.postSigned(message(label + "-" + i, i));
                }
                return null;
            });
        }
        for (Future<?> f : running) {
            f.get();
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        pool.shutdown();
        IngestBench.awaitRouted(frontdoor);
        try (Connection c = connection(database)) {
            String where = " FROM conversation c JOIN message m ON m.conversation_id = c.id WHERE m.external_id LIKE '"
                    + label + "-%' AND c.routed_at IS NOT NULL";
            String millis = "EXTRACT(EPOCH FROM (c.routed_at - c.created_at)) * 1000";
            int n = Integer.parseInt(IngestBench.scalar(c, "SELECT count(*)" + where));
            double p50 = Double.parseDouble(IngestBench.scalar(c, "SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY "
                    + millis + ")" + where));
            double p99 = Double.parseDouble(IngestBench.scalar(c, "SELECT percentile_cont(0.99) WITHIN GROUP (ORDER BY "
                    + millis + ")" + where));
            double max = Double.parseDouble(IngestBench.scalar(c, "SELECT max(" + millis + ")" + where));
            Paced p = new Paced(perSecond, messages / elapsed, n, p50, p99, max);
            System.out.printf(Locale.ROOT, "%s: %.0f messages/s (aim %.0f), %d conversations routed after p50 %.1f ms, "
                    + "p99 %.1f ms, max %.1f ms%n", label, p.perSecond(), perSecond, n, p50, p99, max);
            return p;
        }
    }

    private static Connection connection(Database database) throws Exception {
        return DriverManager.getConnection(database.environment().get("FRONTDOOR_DB_URL"), "postgres", "");
    }

    private static String report(List<Burst> alone, List<Burst> routed, Paced pacedAlone, Paced paced, int rules,
                                 String pg) throws Exception {
        String cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                .findFirst().map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse("unknown CPU");
        long cores = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("processor"))
                .count();
        String load = Files.readString(Path.of("/proc/loadavg")).trim();
        double ackAlone = mean(alone);
        double ackRules = mean(routed);
        double routedAlone = alone.stream().mapToDouble(Burst::routedPerSecond).average().orElseThrow();
        double routedRules = routed.stream().mapToDouble(Burst::routedPerSecond).average().orElseThrow();
        return String.format(Locale.ROOT, """

                ## %s — routing: %d keyword rules and both classifiers beside routing alone (RoutingBench)

                Machine: %d cores (%s), Java %s, PostgreSQL %s; Frontdoor, the Java senders and PostgreSQL on the same
                machine, shared with other builds (load average at the end: %s). Each message is a new conversation;
                the texts cycle through six (English, French, German; a refund, an angry one, a thankful one). Two
                rounds in one run, alternated: no rule and no classifier, then %d keyword rules
                (frontdoor-rule-keyword) with frontdoor-classifier-language and frontdoor-classifier-sentiment.

                | Measure | Routing alone | %d rules + language + sentiment | With / alone |
                |---|---|---|---|
                | Bursts of %d webhooks, 32 senders: acknowledged (durable), round 1, round 2 | %s messages/s | %s messages/s | %.0f%% (means) |
                | Same bursts: stored and routed | %s conversations/s | %s conversations/s | %.0f%% (means) |
                | Paced at %.0f messages/s (half the mean maximum acknowledged rate alone): created to routed, p50 / p99 / max | %.1f / %.1f / %.1f ms (%.0f messages/s, %d conversations) | %.1f / %.1f / %.1f ms (%.0f messages/s, %d conversations) | |
                """, LocalDate.now(), rules, cores, cpu, System.getProperty("java.version"), pg, load, rules, rules,
                alone.get(0).messages(), rates(alone, Burst::ackPerSecond), rates(routed, Burst::ackPerSecond),
                100 * ackRules / ackAlone, rates(alone, Burst::routedPerSecond), rates(routed, Burst::routedPerSecond),
                100 * routedRules / routedAlone, paced.targetPerSecond(), pacedAlone.p50Millis(),
                pacedAlone.p99Millis(), pacedAlone.maxMillis(), pacedAlone.perSecond(), pacedAlone.conversations(),
                paced.p50Millis(), paced.p99Millis(), paced.maxMillis(), paced.perSecond(), paced.conversations());
    }

    private static String rates(List<Burst> bursts, java.util.function.ToDoubleFunction<Burst> rate) {
        return bursts.stream().map(b -> String.format(Locale.ROOT, "%.0f", rate.applyAsDouble(b)))
                .collect(java.util.stream.Collectors.joining(", "));
    }
}
