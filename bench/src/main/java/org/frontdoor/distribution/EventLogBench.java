package org.frontdoor.distribution;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.commons.dbcp2.BasicDataSource;
import org.eclipse.persistence.jpa.PersistenceProvider;
import org.frontdoor.api.Identity;
import org.frontdoor.api.Message;
import org.frontdoor.api.RoutingDecision;
import org.frontdoor.api.Scope;
import org.frontdoor.store.IngestLimits;
import org.frontdoor.store.PendingRoute;
import org.frontdoor.store.RouteResult;
import org.frontdoor.store.jpa.JpaStore;

/**
 * The ceiling of event-writing transactions on PostgreSQL. Every transaction that writes events takes its positions
 * from one counter row and holds its lock until it commits, so such transactions commit one at a time. Measured in one
 * run, at several numbers of concurrent writers, each for the same time after a warm-up:
 * <ol>
 * <li>the store's own agent change ({@code assign}: the conversation row, an event and an audit row, then the
 * summary read back), as an agent's REST call makes it;</li>
 * <li>the same conversation row update in plain JDBC with one event through the counter row (the store's statement);
 * </li>
 * <li>the same update in plain JDBC without an event: what the counter costs.</li>
 * </ol>
 * Knobs: {@code -Dfrontdoor.bench.seconds=10 -Dfrontdoor.bench.writers=1,4,16,64}. Run: see bench/RESULTS.md.
 */
public final class EventLogBench {

    private static final int CONVERSATIONS = 512;

    private EventLogBench() {
    }

    public static void main(String[] args) throws Exception {
        int seconds = Integer.getInteger("frontdoor.bench.seconds", 10);
        List<Integer> writers = new ArrayList<>();
        for (String w : System.getProperty("frontdoor.bench.writers", "1,4,16,64").split(",")) {
            writers.add(Integer.parseInt(w.trim()));
        }
        String admin = System.getProperty("frontdoor.test.pg.url", "jdbc:postgresql://127.0.0.1:5432/test");
        if (admin.isBlank()) {
            admin = "jdbc:postgresql://127.0.0.1:5432/test";
        }
        String name = "fd_bench_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection c = DriverManager.getConnection(admin, "postgres", ""); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        }
        String url = admin.replaceFirst("/[^/?]+(\\?|$)", "/" + name + "$1");
        String version;
        try (BasicDataSource pool = pool(url, writers.stream().mapToInt(Integer::intValue).max().orElse(1))) {
            var emf = new PersistenceProvider().createEntityManagerFactory("frontdoor",
                    Map.of("javax.persistence.nonJtaDataSource", pool));
            JpaStore store = new JpaStore(emf, pool);
            List<Long> conversations = seed(store);
            try (Connection c = pool.getConnection(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT version()")) {
                rs.next();
                version = rs.getString(1).replaceFirst(" on .*", "");
            }
            StringBuilder table = new StringBuilder("| Writers | store assign (tx/s) | JDBC update + event (tx/s) | "
                    + "JDBC update, no event (tx/s) |\n|---|---|---|---|\n");
            for (int w : writers) {
                double viaStore = run(w, seconds, conversations, (conversation, n) ->
                        store.assign(Scope.ALL, conversation, n % 2 == 0 ? "agent-a" : "agent-b", "bench"));
                double withEvent = run(w, seconds, conversations, (conversation, n) -> update(pool, conversation, true));
                double without = run(w, seconds, conversations, (conversation, n) -> update(pool, conversation, false));
                String row = String.format("| %d | %.0f | %.0f | %.0f |%n", w, viaStore, withEvent, without);
                System.out.print(row);
                table.append(row);
            }
            emf.close();
            String report = "\n## " + LocalDate.now() + " — event-writing transactions on " + version + "\n\n"
                    + "`EventLogBench`: " + CONVERSATIONS + " routed conversations, each writer changes a random one "
                    + "per transaction for " + seconds + " s after a " + Math.max(2, seconds / 3) + " s warm-up, the "
                    + "three kinds one after another at each number of writers, same run, same database. Machine: "
                    + Runtime.getRuntime().availableProcessors() + " cores, Java " + System.getProperty("java.version")
                    + ", PostgreSQL and the writers on the same machine.\n\n" + table;
            Path results = Path.of(System.getProperty("frontdoor.bench.results", "bench/RESULTS.md"));
            Files.writeString(results, report, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
            System.out.println("Appended to " + results.toAbsolutePath());
        } finally {
            try (Connection c = DriverManager.getConnection(admin, "postgres", ""); Statement s = c.createStatement()) {
                s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
            }
        }
    }

    private static BasicDataSource pool(String url, int size) {
        BasicDataSource pool = new BasicDataSource();
        pool.setDriverClassName("org.postgresql.Driver");
        pool.setUrl(url);
        pool.setUsername("postgres");
        pool.setMaxTotal(size + 4);
        pool.setMaxIdle(size + 4);
        return pool;
    }

    /** Conversations routed to a department, so agents may take them. */
    private static List<Long> seed(JpaStore store) {
        List<Long> conversations = new ArrayList<>();
        for (int i = 0; i < CONVERSATIONS; i++) {
            Message m = Message.inbound("api", "demo").externalId("seed-" + i)
                    .author(new Identity("api", "customer-" + i, "Customer " + i, null, null, 0))
                    .text("hello " + i).rawPayload("{}").build();
            conversations.add(store.ingest(List.of(m), new IngestLimits(30_000, 10_000)).get(0).receipt()
                    .conversationId());
        }
        List<PendingRoute> pending = store.claimConversationsToRoute("bench", Instant.now().plusSeconds(600),
                CONVERSATIONS);
        store.routed("bench", pending.stream().map(p -> new RouteResult(p.conversationId(),
                new RoutingDecision("support", 0, null, "bench"), Map.of(), 0)).toList());
        return conversations;
    }

    private static Void update(BasicDataSource pool, long conversation, boolean event) {
        try (Connection c = pool.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement u = c.prepareStatement(
                    "UPDATE conversation SET priority = priority + 1, version = version + 1 WHERE id = ?")) {
                u.setLong(1, conversation);
                u.executeUpdate();
            }
            if (event) {
                try (PreparedStatement e = c.prepareStatement("WITH head AS (UPDATE event_log_head SET position = "
                        + "position + 1 WHERE id = 1 RETURNING position) INSERT INTO conversation_event (position, "
                        + "event_type, conversation_id, channel, instance, department_id, item_id, actor, at, detail) "
                        + "SELECT head.position, 'ASSIGNED', ?, 'api', 'demo', 'support', 0, 'bench', now(), 'bench' "
                        + "FROM head")) {
                    e.setLong(1, conversation);
                    e.executeUpdate();
                }
            }
            c.commit();
            return null;
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @FunctionalInterface
    private interface Change {
        Object apply(long conversation, long n) throws Exception;
    }

    /** Transactions per second of {@code writers} threads doing {@code change}, after a warm-up. */
    private static double run(int writers, int seconds, List<Long> conversations, Change change) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            loop(pool, writers, Math.max(2, seconds / 3), conversations, change);
            long done = loop(pool, writers, seconds, conversations, change);
            return done / (double) seconds;
        } finally {
            pool.shutdownNow();
        }
    }

    private static long loop(ExecutorService pool, int writers, int seconds, List<Long> conversations, Change change)
            throws Exception {
        AtomicBoolean going = new AtomicBoolean(true);
        List<Future<Long>> counts = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            counts.add(pool.submit(() -> {
                long n = 0;
                while (going.get()) {
                    long conversation = conversations.get(ThreadLocalRandom.current().nextInt(conversations.size()));
                    try {
                        change.apply(conversation, n);
                        n++;
                    } catch (RuntimeException conflict) {
                        // two writers on one conversation: the loser's change is not counted
                    }
                }
                return n;
            }));
        }
        long until = System.nanoTime() + seconds * 1_000_000_000L;
        while (System.nanoTime() < until) {
            java.util.concurrent.locks.LockSupport.parkNanos(until - System.nanoTime());
        }
        going.set(false);
        long total = 0;
        for (Future<Long> f : counts) {
            total += f.get();
        }
        return total;
    }
}
