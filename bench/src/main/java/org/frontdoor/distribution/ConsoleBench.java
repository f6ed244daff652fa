package org.frontdoor.distribution;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.frontdoor.store.jpa.Migrations;
import org.frontdoor.testkit.Database;
import org.frontdoor.testkit.Distribution;
import org.openqa.selenium.By;
import org.postgresql.ds.PGSimpleDataSource;

import static org.awaitility.Awaitility.await;

/**
 * The console at scale (issue 19), in one run of the real distribution on PostgreSQL: {@code
 * frontdoor.bench.conversations} conversations of {@code frontdoor.bench.messagesPerConversation} messages each are
 * written with {@code generate_series} into a database the store's own {@link Migrations} (what the distribution runs
 * when it boots) has just brought up to date; then the distribution boots on it and the bench measures:
 * <ol>
 * <li>{@code GET /api/v1/conversations} (first page, its total included), as an admin and as an agent of one
 * department, without a filter and with {@code ?status=} and {@code ?department=}: p50 / p95 / p99 over
 * {@code frontdoor.bench.requests} requests each, with the V25 inbox indexes, then (at the end of the run, on the
 * same rows) without them; and EXPLAIN ANALYZE of the same queries both ways;</li>
 * <li>in headless Chromium: from pressing "Log in" until the inbox's first page is rendered, and from a reload
 * (session kept) until it is rendered again;</li>
 * <li>every script and stylesheet Chromium loaded for the inbox and a conversation (its resource timing entries), as
 * sent and over the wire;</li>
 * <li>the maximum ingest rate of signed webhooks into existing conversations, then half of it for {@code
 * frontdoor.bench.paced.seconds} while an agent's console is connected in the browser and the bench reads {@code
 * /api/v1/events/stream} as admin: from sending each message until its {@code message-added} event is
 * read, p50 / p99 / max;</li>
 * <li>the Karaf JVM's resident memory idle (shipped bin/setenv) and under that load.</li>
 * </ol>
 * The machine's load average is sampled throughout. Run: {@code mvn -B -Pbench -pl bench compile exec:java@console};
 * the section is appended to bench/RESULTS.md.
 */
public final class ConsoleBench {

    /** The departments conversations are spread over, evenly; the agent works in {@link #AGENT_DEPARTMENT}. */
    static final List<String> DEPARTMENTS = List.of("support", "sales", "billing", "returns", "shipping", "technical",
            "accounts", "partners");

    static final String AGENT_DEPARTMENT = "billing";

    /** Customers: conversations cycle over them, so most have one or two. */
    private static final int CUSTOMERS = 60_000;

    private static final String AGENT = "bench-agent";
    private static final String AGENT_PASSWORD = "bench-agent-password-" + UUID.randomUUID();

    /** The indexes V25 adds, dropped at the end of the run to measure the inbox without them. */
    private static final List<String> V25_INDEXES = List.of("ix_conversation_department_activity",
            "ix_conversation_status_department");

    private static final double MB = 1024 * 1024;

    private ConsoleBench() {
    }

    /** One kind of inbox request: who asks, and with which query. */
    record Ask(String label, String user, String password, String query) {
    }

    /** Latencies of one kind of request, and the total the server reported. */
    record Timed(Ask ask, long total, List<Long> nanos) {
    }

    public static void main(String[] args) throws Exception {
        int conversations = Integer.getInteger("frontdoor.bench.conversations", 100_000);
        int perConversation = Integer.getInteger("frontdoor.bench.messagesPerConversation", 10);
        int requests = Integer.getInteger("frontdoor.bench.requests", 200);
        int reloads = Integer.getInteger("frontdoor.bench.reloads", 10);
        int burst = Integer.getInteger("frontdoor.bench.burst", 3000);
        int pacedSeconds = Integer.getInteger("frontdoor.bench.paced.seconds", 30);
        int settle = Integer.getInteger("frontdoor.bench.settle.seconds", 30);
        LoadAverage loadAverage = new LoadAverage();
        loadAverage.start();
        StringBuilder report = new StringBuilder();
        String secret = "bench-" + UUID.randomUUID();
        try (Database database = Database.postgresql()) {
            PGSimpleDataSource source = new PGSimpleDataSource();
            source.setURL(database.jdbcUrl());
            source.setUser("postgres");
            int migrations = new Migrations(source).migrate();
            long loadStart = System.nanoTime();
            load(database, conversations, perConversation);
            double loadSeconds = (System.nanoTime() - loadStart) / 1e9;
            String counts;
            String pgVersion;
            try (Connection c = database.connect()) {
                counts = IngestBench.scalar(c, "SELECT (SELECT count(*) FROM conversation) || ' conversations, ' || "
                        + "(SELECT count(*) FROM message) || ' messages, ' || (SELECT count(*) FROM customer) || "
                        + "' customers'");
                pgVersion = IngestBench.scalar(c, "SHOW server_version");
            }
            System.out.printf(Locale.ROOT, "Loaded %s in %.0f s (after %d migrations)%n", counts, loadSeconds,
                    migrations);

            try (Distribution frontdoor = new Distribution("ConsoleBench", database, secret,
                    URI.create("http://127.0.0.1:9/unused"))) {
                for (String d : DEPARTMENTS) {
                    if (!d.equals("support")) {
                        frontdoor.writeEtc("org.frontdoor.department-" + d + ".cfg", "name = " + d + "\n"
                                + "businessHours = always\n");
                    }
                }
                long bootStart = System.nanoTime();
                frontdoor.start();
                double bootSeconds = (System.nanoTime() - bootStart) / 1e9;
                addAgent(frontdoor);
                List<Double> idle = sample(frontdoor, settle);

                List<Ask> asks = asks(frontdoor);
                vacuum(database);
                Map<String, String> plansWith = explain(database, false);
                List<Timed> with = inbox(frontdoor, asks, requests);

                Console.Timings browser = Console.measure(frontdoor, reloads);

                Ingest ingest = ingest(frontdoor, burst, pacedSeconds);
                List<Double> after = sample(frontdoor, settle);

                vacuum(database);
                Map<String, String> plansWithout = explain(database, true);
                dropV25(database);
                vacuum(database);
                List<Timed> without = inbox(frontdoor, asks, requests);

                report.append(report(counts, loadSeconds, pgVersion, bootSeconds, requests, with, without, plansWith,
                        plansWithout, browser, ingest, idle, after, loadAverage));
            }
        } finally {
            loadAverage.stop();
        }
        System.out.println(report);
        Path results = Path.of(System.getProperty("frontdoor.bench.results", "bench/RESULTS.md"));
        Files.writeString(results, report, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        System.out.println("Appended to " + results.toAbsolutePath());
    }

    // ------------------------------------------------------------------------------------------------ the rows

    /**
     * The departments, customers (one identity each on the HTTP channel {@code api:demo}), conversations spread evenly
     * over the departments with a year of activity (75% resolved, 13% queued, 12% assigned), and their messages, each
     * conversation's numbered 1..n as the store numbers them; then the id sequences moved past them and ANALYZE.
     */
    static void load(Database database, int conversations, int perConversation) throws Exception {
        String departments = "ARRAY['" + String.join("','", DEPARTMENTS) + "']";
        try (Connection c = database.connect(); Statement s = c.createStatement()) {
            s.execute("INSERT INTO department (id, name, created_at) SELECT d, d, now() FROM unnest(" + departments
                    + ") d ON CONFLICT (id) DO NOTHING");
            s.execute("INSERT INTO customer (id, display_name, created_at) SELECT n, 'Customer ' || n, now() - "
                    + "interval '400 days' FROM generate_series(1, " + CUSTOMERS + ") n");
            s.execute("INSERT INTO customer_identity (id, customer_id, channel, handle, display_name, email, reach, "
                    + "created_at) SELECT n, n, 'api', 'bench-c-' || n, 'Customer ' || n, 'c' || n || "
                    + "'@example.org', 0, now() - interval '400 days' FROM generate_series(1, " + CUSTOMERS + ") n");
            s.execute("INSERT INTO conversation (id, customer_id, channel, instance, thread_ref, status, department_id, "
                    + "priority, message_count, preview, created_at, last_activity_at, routed_at, version, identity_id, "
                    + "conversation_key, assignee, item_seq, classified_seq, assigned_at) "
                    + "SELECT n, 1 + (n - 1) % " + CUSTOMERS + ", 'api', 'demo', 'bench-t-' || n, "
                    + "CASE WHEN r < 0.75 THEN 'RESOLVED' WHEN r < 0.88 THEN 'QUEUED' ELSE 'ASSIGNED' END, "
                    + "(" + departments + ")[1 + n % " + DEPARTMENTS.size() + "], CASE WHEN n % 10 = 0 THEN 1 ELSE 0 END, "
                    + perConversation + ", 'Order ' || n || ' has not arrived yet and the tracking page shows nothing "
                    + "since Monday.', t - interval '10 minutes', t, t - interval '9 minutes', 1, "
                    + "1 + (n - 1) % " + CUSTOMERS + ", 'thread:bench-t-' || n, "
                    + "CASE WHEN r >= 0.88 THEN 'bench-agent-' || (n % 20) END, " + perConversation + ", "
                    + perConversation + ", CASE WHEN r >= 0.88 THEN t END "
                    + "FROM (SELECT n, (hashint4(n)::bigint + 2147483648) / 4294967296.0 AS r, "
                    + "now() - (" + (conversations + 1) + " - n) * interval '5 minutes' "
                    + "- (hashint4(n * 7) % 240) * interval '1 second' AS t "
                    + "FROM generate_series(1, " + conversations + ") n) g");
            s.execute("INSERT INTO message (id, conversation_id, customer_id, identity_id, channel, instance, "
                    + "external_id, direction, visibility, thread_ref, body, received_at, stored_at, seq) "
                    + "SELECT (c.id - 1) * " + perConversation + " + k, c.id, c.customer_id, c.identity_id, 'api', "
                    + "'demo', 'bench-m-' || ((c.id - 1) * " + perConversation + " + k), 'INBOUND', 'PUBLIC', "
                    + "c.thread_ref, 'Message ' || k || ' about order ' || c.id || ': it has not arrived yet and the "
                    + "tracking page shows nothing since Monday.', c.created_at + k * interval '1 minute', "
                    + "c.created_at + k * interval '1 minute', k "
                    + "FROM conversation c CROSS JOIN generate_series(1, " + perConversation + ") k");
            // EclipseLink takes each sequence value as the last id of a block of 50
            for (String seq : List.of("customer_seq", "identity_seq", "conversation_seq", "message_seq")) {
                s.execute("SELECT setval('" + seq + "', " + (((long) conversations * perConversation + 1000) / 50 * 50
                        + 100_000) + ")");
            }
            s.execute("ANALYZE");
        }
    }

    /** VACUUM ANALYZE of the conversation table: index-only scans need its visibility map. */
    private static void vacuum(Database database) throws Exception {
        try (Connection c = database.connect(); Statement s = c.createStatement()) {
            s.execute("VACUUM ANALYZE conversation");
        }
    }

    private static void dropV25(Database database) throws Exception {
        try (Connection c = database.connect(); Statement s = c.createStatement()) {
            for (String index : V25_INDEXES) {
                s.execute("DROP INDEX " + index);
            }
        }
    }

    /**
     * EXPLAIN ANALYZE of the inbox's two statements (page and total) as the store writes them, for each kind of
     * request: the plan's top node and the execution time, the fastest of three. {@code withoutV25}: in a
     * transaction that drops the V25 indexes and is rolled back.
     */
    private static Map<String, String> explain(Database database, boolean withoutV25) throws Exception {
        Map<String, String> where = new LinkedHashMap<>();
        String order = " ORDER BY last_activity_at DESC, id DESC LIMIT 50";
        where.put("admin, all", "");
        where.put("admin, ?status=QUEUED", " WHERE status = 'QUEUED'");
        where.put("admin, ?department=" + AGENT_DEPARTMENT, " WHERE department_id = '" + AGENT_DEPARTMENT + "'");
        where.put("agent (" + AGENT_DEPARTMENT + "), all", " WHERE department_id IN ('" + AGENT_DEPARTMENT + "')");
        where.put("agent (" + AGENT_DEPARTMENT + "), ?status=QUEUED", " WHERE department_id IN ('" + AGENT_DEPARTMENT
                + "') AND status = 'QUEUED'");
        Map<String, String> plans = new LinkedHashMap<>();
        try (Connection c = database.connect(); Statement s = c.createStatement()) {
            c.setAutoCommit(false);
            if (withoutV25) {
                for (String index : V25_INDEXES) {
                    s.execute("DROP INDEX " + index);
                }
            }
            for (Map.Entry<String, String> e : where.entrySet()) {
                String page = plan(s, "SELECT * FROM conversation" + e.getValue() + order);
                String total = plan(s, "SELECT COUNT(id) FROM conversation" + e.getValue());
                plans.put(e.getKey(), "page: " + page + "; total: " + total);
            }
            c.rollback();
        }
        return plans;
    }

    /** The plan's first scan node and the fastest execution time of three runs. */
    private static String plan(Statement s, String sql) throws Exception {
        double best = Double.MAX_VALUE;
        String scan = "";
        for (int run = 0; run < 3; run++) {
            List<String> lines = new ArrayList<>();
            try (ResultSet rs = s.executeQuery("EXPLAIN (ANALYZE, TIMING OFF) " + sql)) {
                while (rs.next()) {
                    lines.add(rs.getString(1));
                }
            }
            for (String line : lines) {
                if (line.trim().startsWith("Execution Time:")) {
                    best = Math.min(best, Double.parseDouble(line.replaceAll("[^0-9.]", "")));
                }
            }
            scan = lines.stream().map(String::trim).map(l -> l.startsWith("->") ? l.substring(2).trim() : l)
                    .filter(l -> l.contains(" Scan ") || l.startsWith("Seq Scan") || l.startsWith("Index"))
                    .map(l -> l.replaceAll("\\s*\\(cost=.*", "")).findFirst().orElse(lines.get(0));
        }
        return String.format(Locale.ROOT, "%s, %.1f ms", scan, best);
    }

    // ------------------------------------------------------------------------------------------------ REST

    /** An agent of {@link #AGENT_DEPARTMENT} with a login, and the agent's scope in effect. */
    private static void addAgent(Distribution frontdoor) throws Exception {
        Distribution.Response added = frontdoor.postJson("/api/v1/users", "{\"name\": \"" + AGENT + "\", "
                + "\"password\": \"" + AGENT_PASSWORD + "\", \"roles\": [\"agent\"]}");
        if (added.status() != 201) {
            throw new IllegalStateException("adding the agent: " + added.status() + " " + added.body());
        }
        frontdoor.shell("frontdoor:agent-add --departments " + AGENT_DEPARTMENT + " " + AGENT);
        await("the agent's scope").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1))
                .ignoreExceptions().until(() -> {
                    Distribution.Response r = frontdoor.request("GET", "/api/v1/conversations?limit=1", null,
                            Map.of("Authorization", Distribution.basic(AGENT, AGENT_PASSWORD)));
                    return r.status() == 200 && r.json().path("total").asLong() > 0;
                });
    }

    private static List<Ask> asks(Distribution frontdoor) {
        String admin = frontdoor.adminPassword();
        return List.of(
                new Ask("admin, all", "admin", admin, ""),
                new Ask("admin, ?status=QUEUED", "admin", admin, "?status=QUEUED"),
                new Ask("admin, ?department=" + AGENT_DEPARTMENT, "admin", admin, "?department=" + AGENT_DEPARTMENT),
                new Ask("agent (" + AGENT_DEPARTMENT + "), all", AGENT, AGENT_PASSWORD, ""),
                new Ask("agent (" + AGENT_DEPARTMENT + "), ?status=QUEUED&department=" + AGENT_DEPARTMENT, AGENT,
                        AGENT_PASSWORD, "?status=QUEUED&department=" + AGENT_DEPARTMENT),
                new Ask("admin, console's page (?limit=200)", "admin", admin, "?limit=200"));
    }

    /** Each kind of request {@code requests} times, one at a time, after 20 unmeasured; kinds interleaved. */
    private static List<Timed> inbox(Distribution frontdoor, List<Ask> asks, int requests) throws Exception {
        Map<Ask, List<Long>> nanos = new LinkedHashMap<>();
        Map<Ask, Long> totals = new LinkedHashMap<>();
        for (Ask ask : asks) {
            nanos.put(ask, new ArrayList<>());
        }
        for (int i = -20; i < requests; i++) {
            for (Ask ask : asks) {
                long t0 = System.nanoTime();
                Distribution.Response r = frontdoor.request("GET", "/api/v1/conversations" + ask.query(), null,
                        Map.of("Authorization", Distribution.basic(ask.user(), ask.password())));
                long t = System.nanoTime() - t0;
                if (r.status() != 200) {
                    throw new IllegalStateException(ask.label() + ": " + r.status() + " " + r.body());
                }
                if (i >= 0) {
                    nanos.get(ask).add(t);
                }
                totals.put(ask, r.json().path("total").asLong());
            }
        }
        List<Timed> timed = new ArrayList<>();
        for (Ask ask : asks) {
            Timed t = new Timed(ask, totals.get(ask), nanos.get(ask));
            System.out.printf(Locale.ROOT, "%s: %s (total %d)%n", ask.label(), percentiles(t.nanos()), t.total());
            timed.add(t);
        }
        return timed;
    }

    // ------------------------------------------------------------------------------------------------ browser

    /**
     * Headless Chromium on the console: the inbox rendered after logging in and after reloads, and what the browser
     * loaded for the inbox and a conversation (its resource timing entries).
     */
    static final class Console {

        /**
         * One script or stylesheet the browser loaded: its size as sent (decoded), over the wire (Chromium's encoded
         * body size: compressed when the server compressed it), and what the server answers a client that asks for
         * gzip (its Content-Encoding and Content-Length), asked again outside the browser.
         */
        record Loaded(String path, String initiator, long decoded, long encoded, String encoding, long served) {
        }

        /** What the browser measured. */
        record Timings(double loginMillis, double conversationMillis, List<Double> reloadMillis, List<Loaded> loaded,
                       long pageDecoded, long pageEncoded, int rows) {
        }

        /** Runs in the page before its own script (CDP): times the submit and the first row of the inbox. */
        private static final String PROBE = """
                window.__fdMarks = {};
                document.addEventListener('submit', () => { window.__fdMarks.submit = performance.now(); }, true);
                new MutationObserver(() => {
                  if (window.__fdMarks.rows === undefined && document.querySelector('#inbox li.conv')) {
                    window.__fdMarks.rows = performance.now();
                  }
                }).observe(document, { childList: true, subtree: true });
                """;

        /** Every script and stylesheet of this document's resource timing entries, the console's and Preact's. */
        private static final String LOADED = """
                return performance.getEntriesByType('resource')
                  .filter(e => /\\.(m?js|css)$/.test(new URL(e.name).pathname))
                  .map(e => ({ path: new URL(e.name).pathname, initiator: e.initiatorType,
                               decoded: e.decodedBodySize, encoded: e.encodedBodySize }));
                """;

        static Timings measure(Distribution frontdoor, int reloads) throws Exception {
            try (org.frontdoor.distribution.Browser browser = new org.frontdoor.distribution.Browser()) {
                var driver = browser.driver;
                driver.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source", PROBE));
                driver.get(frontdoor.url("/console/"));
                await("the login form").atMost(Duration.ofMinutes(1)).ignoreExceptions()
                        .until(() -> driver.findElement(By.id("login")).isDisplayed());
                driver.findElement(By.id("username")).sendKeys(AGENT);
                driver.findElement(By.id("password")).sendKeys(AGENT_PASSWORD);
                driver.findElement(By.id("sign-in")).click();
                double login = rendered(driver, true);
                // a conversation, in the same document (the console routes by the URL's fragment): what a cold start
                // of the inbox and one conversation loads is this document's entries
                String first = driver.findElement(By.cssSelector("#inbox li.conv")).getAttribute("data-id");
                long opened = System.nanoTime();
                driver.findElement(By.cssSelector("#inbox li.conv a")).click();
                await("the conversation").atMost(Duration.ofMinutes(1)).ignoreExceptions()
                        .until(() -> first.equals(driver.findElement(By.id("conversation")).getAttribute("data-id"))
                                && !driver.findElements(By.cssSelector("#customer")).isEmpty());
                double conversation = (System.nanoTime() - opened) / 1e6;
                @SuppressWarnings("unchecked")
                List<Map<String, Object>> entries = (List<Map<String, Object>>) driver.executeScript(LOADED);
                @SuppressWarnings("unchecked")
                Map<String, Object> page = (Map<String, Object>) driver.executeScript("const n = performance"
                        + ".getEntriesByType('navigation')[0]; return { decoded: n.decodedBodySize, encoded: "
                        + "n.encodedBodySize };");
                HttpClient http = HttpClient.newHttpClient();
                List<Loaded> loaded = new ArrayList<>();
                for (Map<String, Object> e : entries) {
                    String path = (String) e.get("path");
                    if (loaded.stream().anyMatch(l -> l.path().equals(path))) {
                        continue;
                    }
                    HttpResponse<byte[]> gzip = http.send(HttpRequest.newBuilder(URI.create(frontdoor.url(path)))
                            .header("Accept-Encoding", "gzip").build(), HttpResponse.BodyHandlers.ofByteArray());
                    loaded.add(new Loaded(path, (String) e.get("initiator"), ((Number) e.get("decoded")).longValue(),
                            ((Number) e.get("encoded")).longValue(),
                            gzip.headers().firstValue("Content-Encoding").orElse("none"), gzip.body().length));
                }
                List<Double> reload = new ArrayList<>();
                for (int i = 0; i < reloads; i++) {
                    driver.get(frontdoor.url("/console/#/"));
                    driver.navigate().refresh();
                    reload.add(rendered(driver, false));
                }
                int rows = driver.findElements(By.cssSelector("#inbox li.conv")).size();
                return new Timings(login, conversation, reload, loaded, ((Number) page.get("decoded")).longValue(),
                        ((Number) page.get("encoded")).longValue(), rows);
            }
        }

        /** Waits for the first inbox row and returns its time since the submit (or the navigation), in ms. */
        private static double rendered(org.openqa.selenium.chrome.ChromeDriver driver, boolean sinceSubmit) {
            String mark = "return window.__fdMarks && window.__fdMarks.rows !== undefined ? window.__fdMarks.rows"
                    + (sinceSubmit ? " - window.__fdMarks.submit" : "") + " : null";
            Object[] found = new Object[1];
            await("the inbox's first page").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(100))
                    .ignoreExceptions().until(() -> (found[0] = driver.executeScript(mark)) != null);
            return ((Number) found[0]).doubleValue();
        }
    }

    // ------------------------------------------------------------------------------------------------ ingest

    /** The burst, the paced run, and what the connected console saw. */
    record Ingest(int burst, double maxPerSecond, long burstFailures, double targetPerSecond, double perSecond,
                  int sent, long failures, List<Long> acked, List<Long> visible, int unseen, List<Double> rss,
                  String liveInBrowser) {
    }

    /** A signed webhook into existing conversation {@code n} (by its customer and thread). */
    private static String message(String id, int conversation) {
        ObjectNode body = Distribution.JSON.createObjectNode();
        body.put("id", id);
        int customer = 1 + (conversation - 1) % CUSTOMERS;
        body.putObject("from").put("id", "bench-c-" + customer).put("name", "Customer " + customer)
                .put("email", "c" + customer + "@example.org");
        body.put("text", "Any news about order " + conversation + "? It has still not arrived.");
        body.put("thread", "bench-t-" + conversation);
        return body.toString();
    }

    private static Ingest ingest(Distribution frontdoor, int burst, int pacedSeconds) throws Exception {
        int conversations;
        try {
            conversations = (int) frontdoor.conversations("limit=1").path("total").asLong();
        } catch (Exception e) {
            throw new IllegalStateException("the conversation count", e);
        }
        // the maximum: 32 senders as fast as answers come
        AtomicInteger next = new AtomicInteger();
        AtomicLong burstFailures = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(32);
        long start = System.nanoTime();
        List<Future<?>> running = new ArrayList<>();
        for (int s = 0; s < 32; s++) {
            running.add(pool.submit(() -> {
                for (int i; (i = next.getAndIncrement()) < burst; ) {
                    int to = 1 + ThreadLocalRandom.current().nextInt(conversations);
                    if (frontdoor.postSigned(message("console-burst-" + i, to)).status() != 202) {
                        burstFailures.incrementAndGet();
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : running) {
            f.get();
        }
        double max = burst / ((System.nanoTime() - start) / 1e9);
        System.out.printf(Locale.ROOT, "burst: %d messages, %.0f acknowledged/s, %d failed%n", burst, max,
                burstFailures.get());
        IngestBench.awaitRouted(frontdoor);

        // half of it, with the agent's console open in a browser and the event stream read here
        double target = max / 2;
        int messages = (int) Math.round(target * pacedSeconds);
        try (MessageAddedLatencies.Stream stream = new MessageAddedLatencies.Stream(frontdoor);
             org.frontdoor.distribution.Browser browser = new org.frontdoor.distribution.Browser()) {
            browser.driver.get(frontdoor.url("/console/"));
            await("the login form").atMost(Duration.ofMinutes(1)).ignoreExceptions()
                    .until(() -> browser.driver.findElement(By.id("login")).isDisplayed());
            browser.driver.findElement(By.id("username")).sendKeys(AGENT);
            browser.driver.findElement(By.id("password")).sendKeys(AGENT_PASSWORD);
            browser.driver.findElement(By.id("sign-in")).click();
            await("the console live").atMost(Duration.ofMinutes(1)).ignoreExceptions().until(() -> "yes".equals(
                    browser.driver.findElement(By.id("desk")).getAttribute("data-live")));
            stream.awaitReady();
            AtomicInteger paced = new AtomicInteger();
            AtomicLong failures = new AtomicLong();
            List<Long> acked = Collections.synchronizedList(new ArrayList<>());
            AtomicBoolean sending = new AtomicBoolean(true);
            long interval = Math.round(1e9 / target);
            long pacedStart = System.nanoTime();
            List<Future<?>> senders = new ArrayList<>();
            for (int s = 0; s < 32; s++) {
                senders.add(pool.submit(() -> {
                    for (int i; (i = paced.getAndIncrement()) < messages; ) {
                        long due = pacedStart + i * interval;
                        for (long wait; (wait = due - System.nanoTime()) > 0; ) {
                            LockSupport.parkNanos(wait);
                        }
                        int to = 1 + ThreadLocalRandom.current().nextInt(conversations);
                        long sentAt = System.nanoTime();
                        Distribution.Response r = frontdoor.postSigned(message("console-paced-" + i, to));
                        if (r.status() == 202) {
                            acked.add(System.nanoTime() - sentAt);
                            stream.latencies.expect(r.json().path("messageId").asLong(), sentAt);
                        } else {
                            failures.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            List<Double> rss = new ArrayList<>();
            Thread sampler = new Thread(() -> {
                try {
                    while (sending.get()) {
                        rss.add(frontdoor.residentBytes() / MB);
                        // pacing a sampler, not waiting for a result: the bench is no test
                        Thread.sleep(1000);
                    }
                } catch (Exception e) {
                    System.err.println("resident memory: " + e);
                }
            }, "rss-sampler");
            sampler.start();
            for (Future<?> f : senders) {
                f.get();
            }
            double elapsed = (System.nanoTime() - pacedStart) / 1e9;
            int accepted = messages - (int) failures.get();
            try {
                await("every message on the event stream").atMost(Duration.ofMinutes(2))
                        .pollInterval(Duration.ofMillis(200)).until(() -> stream.latencies.counted() >= accepted);
            } catch (org.awaitility.core.ConditionTimeoutException e) {
                System.err.println("not every message was seen on the stream: " + stream.latencies.counted() + " of "
                        + accepted);
            }
            sending.set(false);
            sampler.join();
            String live = String.valueOf(browser.driver.findElement(By.id("desk")).getAttribute("data-live"));
            pool.shutdown();
            List<Long> seen = stream.latencies.latencies();
            System.out.printf(Locale.ROOT, "paced: %.0f messages/s (aim %.0f), visible %s, %d unseen%n",
                    messages / elapsed, target, percentiles(seen), accepted - seen.size());
            return new Ingest(burst, max, burstFailures.get(), target, messages / elapsed, messages, failures.get(),
                    new ArrayList<>(acked), seen, accepted - seen.size(), rss, live);
        }
    }

    // ------------------------------------------------------------------------------------------------ memory, load

    /** VmRSS in MB once a second for {@code seconds}. */
    private static List<Double> sample(Distribution frontdoor, int seconds) throws Exception {
        List<Double> mb = new ArrayList<>();
        for (int i = 0; i < seconds; i++) {
            // pacing a sampler, not waiting for a result: the bench is no test
            Thread.sleep(1000);
            mb.add(frontdoor.residentBytes() / MB);
        }
        return mb;
    }

    /** The machine's 1-minute load average, every 5 s over the run. */
    static final class LoadAverage {
        private final List<Double> samples = Collections.synchronizedList(new ArrayList<>());
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final Thread thread = new Thread(() -> {
            while (running.get()) {
                try {
                    samples.add(Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]));
                    Thread.sleep(5000);
                } catch (InterruptedException e) {
                    return;
                } catch (Exception e) {
                    System.err.println("load average: " + e);
                }
            }
        }, "load-average");

        void start() {
            thread.setDaemon(true);
            thread.start();
        }

        void stop() {
            running.set(false);
            thread.interrupt();
        }

        String summary() {
            List<Double> s = new ArrayList<>(samples);
            return String.format(Locale.ROOT, "min %.1f, mean %.1f, max %.1f", s.stream().mapToDouble(d -> d).min()
                    .orElse(0), s.stream().mapToDouble(d -> d).average().orElse(0), s.stream().mapToDouble(d -> d)
                    .max().orElse(0));
        }
    }

    // ------------------------------------------------------------------------------------------------ report

    static String percentiles(List<Long> nanos) {
        return MessageAddedLatencies.percentiles(nanos);
    }

    private static double max(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).max().orElse(0);
    }

    private static String report(String counts, double loadSeconds, String pg, double bootSeconds, int requests,
                                 List<Timed> with, List<Timed> without, Map<String, String> plansWith,
                                 Map<String, String> plansWithout, Console.Timings browser, Ingest ingest,
                                 List<Double> idle, List<Double> after, LoadAverage load) throws Exception {
        long cores = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("processor"))
                .count();
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, """

                ## %s — the console at scale: %s (ConsoleBench), PostgreSQL %s

                Machine: %d cores, Java %s; Frontdoor, the bench (its HTTP clients and headless Chromium) and
                PostgreSQL on the same machine, shared with other helpers' builds and tests: load average over the run
                %s. Rows written with generate_series after the store's own migrations, in %.0f s; the distribution
                booted on them in %.0f s. Conversations spread evenly over %d departments, 75%% resolved, 13%% queued,
                12%% assigned; the agent works in %s.

                ### Inbox first page over REST (`GET /api/v1/conversations`, page of 50 and its total)

                %d requests of each kind, one at a time, kinds interleaved, after 20 unmeasured; HTTP Basic (the
                login is cached). Aim (issue 19): p95 < 150 ms. Without V25: the same rows at the end of the run,
                the V25 indexes dropped, conversation vacuumed before each measure.

                | Request | total | p50 / p95 / p99, with V25 | p50 / p95 / p99, without V25 |
                |---|---|---|---|
                """, LocalDate.now(), counts, pg, cores, System.getProperty("java.version"), load.summary(),
                loadSeconds, bootSeconds, DEPARTMENTS.size(), AGENT_DEPARTMENT, requests));
        for (int i = 0; i < with.size(); i++) {
            b.append(String.format(Locale.ROOT, "| %s | %d | %s | %s |%n", with.get(i).ask().label(),
                    with.get(i).total(), percentiles(with.get(i).nanos()), percentiles(without.get(i).nanos())));
        }
        b.append("\nEXPLAIN ANALYZE of the page and its total as the store writes them (the fastest of three, "
                + "timing off):\n\n| Request | with V25 | without V25 |\n|---|---|---|\n");
        plansWith.forEach((k, v) -> b.append("| ").append(k).append(" | ").append(v).append(" | ")
                .append(plansWithout.get(k)).append(" |\n"));
        List<Double> reloads = new ArrayList<>(browser.reloadMillis());
        Collections.sort(reloads);
        long decoded = browser.loaded().stream().mapToLong(Console.Loaded::decoded).sum();
        long encoded = browser.loaded().stream().mapToLong(Console.Loaded::encoded).sum();
        long compressed = browser.loaded().stream().filter(l -> l.encoding().equals("gzip")).count();
        b.append(String.format(Locale.ROOT, """

                ### In the browser (headless Chromium, the agent)

                | Measure | Value |
                |---|---|
                | "Log in" pressed until the inbox's first row is rendered | %.0f ms (%d rows) |
                | The first inbox row clicked until the conversation and its customer panel are shown | %.0f ms |
                | Reload (session kept) until the first row is rendered, over %d: median / max | %.0f / %.0f ms |
                | Script and style Chromium loaded for the inbox and a conversation (%d files, its resource timing entries): as sent / over the wire (aim < 300 KB compressed) | %.1f KB / %.1f KB |
                | Of them, sent gzip-compressed to `Accept-Encoding: gzip` | %d of %d |
                | The page (`/console/`): as sent / over the wire | %d / %d bytes |

                """, browser.loginMillis(), browser.rows(), browser.conversationMillis(), reloads.size(),
                reloads.get(reloads.size() / 2), reloads.get(reloads.size() - 1), browser.loaded().size(),
                decoded / 1024.0, encoded / 1024.0, compressed, browser.loaded().size(), browser.pageDecoded(),
                browser.pageEncoded()));
        b.append("| File | loaded by | as sent (bytes) | over the wire (bytes) | to `Accept-Encoding: gzip` |\n"
                + "|---|---|---:|---:|---|\n");
        browser.loaded().forEach(l -> b.append(String.format(Locale.ROOT, "| %s | %s | %d | %d | %s, %d bytes |%n",
                l.path(), l.initiator(), l.decoded(), l.encoded(), l.encoding(), l.served())));
        b.append(String.format(Locale.ROOT, """

                ### A new message visible in a connected console, and memory

                | Measure | Value |
                |---|---|
                | Maximum ingest: %d signed webhooks into existing conversations, 32 senders | %.0f messages/s (%d not 202) |
                | Paced at half of it, %d messages, the agent's console open in Chromium (live: %s) | %.0f messages/s (%d not 202) |
                | Sent to acknowledged (202, committed), p50 / p95 / p99 | %s |
                | Sent to its `message-added` event read on `/api/v1/events/stream` (as admin: every department), p50 / p95 / p99 (aim p99 < 1 s) | %s (%d seen, %d not seen within 2 min) |
                | max | %.1f ms |
                | Karaf resident memory (VmRSS), shipped bin/setenv: idle after boot, last / highest of %d s (aim < 400 MB) | %.0f / %.0f MB |
                | under the paced load, highest | %.0f MB |
                | idle after the load, last | %.0f MB |
                """, ingest.burst(), ingest.maxPerSecond(), ingest.burstFailures(), ingest.sent(),
                ingest.liveInBrowser(), ingest.perSecond(), ingest.failures(), percentiles(ingest.acked()),
                percentiles(ingest.visible()),
                ingest.visible().size(), ingest.unseen(), ingest.visible().stream().mapToLong(l -> l).max().orElse(0)
                / 1e6, idle.size(), idle.get(idle.size() - 1), max(idle), max(ingest.rss()),
                after.get(after.size() - 1)));
        return b.toString();
    }
}
