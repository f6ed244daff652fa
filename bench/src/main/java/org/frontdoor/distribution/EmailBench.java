package org.frontdoor.distribution;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDate;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.frontdoor.testkit.Database;
import org.frontdoor.testkit.Distribution;

import static org.awaitility.Awaitility.await;

/**
 * The e-mail door taking in a full mailbox: {@code frontdoor.bench.mails} mails (default 5000) wait in GreenMail's
 * IMAP mailbox before the door is installed; the clock runs from {@code feature:install frontdoor-channel-email}
 * until every one is stored and routed. In the same run, as many signed webhooks are posted to the HTTP channel by
 * concurrent senders, and the two rates are set side by side. Run: see bench/RESULTS.md.
 */
public final class EmailBench {

    private EmailBench() {
    }

    public static void main(String[] args) throws Exception {
        int mails = Integer.getInteger("frontdoor.bench.mails", 5_000);
        int senders = Integer.getInteger("frontdoor.bench.senders", 32);
        int batch = Integer.getInteger("frontdoor.bench.batch", 100);
        String secret = "bench-" + UUID.randomUUID();
        double mailSeconds;
        double httpSeconds;
        long httpFailures;
        String pgVersion;
        try (Database database = Database.postgresql();
             MailServer mail = new MailServer();
             Distribution frontdoor = new Distribution("EmailBench", database, secret,
                     URI.create("http://127.0.0.1:9/callback"))) {
            frontdoor.start();
            for (int i = 0; i < mails; i++) {
                mail.deliver(MailServer.mail("<bench-" + i + "@customer.example>",
                        "Customer " + (i % 1250) + " <customer-" + (i % 1250) + "@customer.example>",
                        "Order " + i, "Order " + i + " has not arrived yet and the tracking page shows nothing since "
                                + "Monday."));
            }
            frontdoor.writeEtc("org.frontdoor.channel.email-bench.cfg", mail.cfg(MailServer.PASSWORD)
                    + "batchSize = " + batch + "\n");
            long start = System.nanoTime();
            frontdoor.shell("feature:install frontdoor-channel-email");
            await("every mail stored").atMost(Duration.ofMinutes(30)).pollInterval(Duration.ofMillis(200))
                    .until(() -> frontdoor.get("/api/v1/conversations?channel=email&limit=1").json().path("total")
                            .asLong() >= mails);
            awaitRouted(frontdoor);
            mailSeconds = (System.nanoTime() - start) / 1e9;
            // the last batch is marked \Seen just after its commit
            await("every mail marked \\Seen").atMost(Duration.ofMinutes(1)).until(() -> mail.unseen() == 0);

            AtomicLong failures = new AtomicLong();
            long httpStart = System.nanoTime();
            post(frontdoor, mails, senders, failures);
            awaitRouted(frontdoor);
            httpSeconds = (System.nanoTime() - httpStart) / 1e9;
            httpFailures = failures.get();
            try (Connection c = DriverManager.getConnection(database.environment().get("FRONTDOOR_DB_URL"),
                    "postgres", ""); Statement s = c.createStatement();
                 ResultSet r = s.executeQuery("SHOW server_version")) {
                r.next();
                pgVersion = r.getString(1);
            }
        }
        double mailRate = mails / mailSeconds;
        double httpRate = mails / httpSeconds;
        String report = String.format(Locale.ROOT, """

                ## %s — e-mail door: a full mailbox taken in (EmailBench), PostgreSQL %s

                Machine: %d cores, Java %s; Frontdoor, GreenMail (in the bench's JVM) and PostgreSQL on the same machine.
                %d mails wait in the IMAP mailbox; the clock runs from `feature:install frontdoor-channel-email` (the
                door's start included) until every mail is stored and routed; the door takes %d unseen mails per round
                and sends them to `frontdoor:inbound` together. Then, in the same run, %d signed webhooks to the HTTP
                channel from %d concurrent senders, until every one is stored and routed.

                | Measure | Value |
                |---|---|
                | E-mail: %d mails stored and routed | %.2f s, **%.0f mails/s** |
                | HTTP channel: %d webhooks stored and routed (%d not answered 202) | %.2f s, **%.0f messages/s** |
                | E-mail / HTTP | %.0f%% |
                """, LocalDate.now(), pgVersion, Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"), mails, batch, mails, senders, mails, mailSeconds, mailRate, mails,
                httpFailures, httpSeconds, httpRate, 100 * mailRate / httpRate);
        System.out.println(report);
        Path results = Path.of(System.getProperty("frontdoor.bench.results", "bench/RESULTS.md"));
        Files.writeString(results, report, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        System.out.println("Appended to " + results.toAbsolutePath());
    }

    private static void post(Distribution frontdoor, int messages, int senders, AtomicLong failures)
            throws Exception {
        AtomicInteger next = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(senders);
        Future<?>[] running = new Future<?>[senders];
        for (int s = 0; s < senders; s++) {
            running[s] = pool.submit(() -> {
                for (int i; (i = next.getAndIncrement()) < messages; ) {
                    ObjectNode body = Distribution.JSON.createObjectNode();
                    body.put("id", "http-" + i);
                    String customer = "customer-" + (i % 1250);
                    body.putObject("from").put("id", customer).put("name", "Customer " + customer);
                    body.put("text", "Order " + i + " has not arrived yet and the tracking page shows nothing since "
                            + "Monday.");
                    body.put("thread", "http-" + i);
                    if (frontdoor.postSigned(body.toString()).status() != 202) {
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

    private static void awaitRouted(Distribution frontdoor) {
        await("every conversation routed").atMost(Duration.ofMinutes(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> frontdoor.get("/api/v1/conversations?status=NEW&limit=1").json().path("total")
                        .asLong() == 0);
    }
}
