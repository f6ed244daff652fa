package org.frontdoor.distribution;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.LocalDate;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.node.ObjectNode;

import static org.awaitility.Awaitility.await;
import org.frontdoor.testkit.Database;
import org.frontdoor.testkit.Distribution;

/**
 * Signed webhooks per second of the Telegram door beside the generic HTTP channel, in the same run: the Telegram
 * feature is installed against a local Bot API ({@link TelegramApi}); {@code frontdoor.bench.messages} updates
 * (default 4000) with the secret token are posted by {@code frontdoor.bench.senders} concurrent senders (32) until each
 * is stored, then as many signed webhooks to the HTTP channel; in each of {@code frontdoor.bench.rounds} (2) rounds the
 * door that goes first alternates, so neither always runs on a warmer JVM. Run: see bench/RESULTS.md.
 */
public final class TelegramBench {

    private TelegramBench() {
    }

    public static void main(String[] args) throws Exception {
        int messages = Integer.getInteger("frontdoor.bench.messages", 4_000);
        int senders = Integer.getInteger("frontdoor.bench.senders", 32);
        int rounds = Integer.getInteger("frontdoor.bench.rounds", 2);
        String secret = "bench-" + UUID.randomUUID();
        String telegramSecret = "bench-Telegram_" + UUID.randomUUID().toString().substring(0, 8);
        double telegramSeconds = 0;
        double httpSeconds = 0;
        AtomicLong telegramFailures = new AtomicLong();
        AtomicLong httpFailures = new AtomicLong();
        try (Database database = Database.postgresql();
             TelegramApi telegram = new TelegramApi("4242:bench-token");
             Distribution frontdoor = new Distribution("TelegramBench", database, secret,
                     URI.create("http://127.0.0.1:9/callback"))) {
            frontdoor.start();
            frontdoor.shell("feature:install frontdoor-channel-telegram");
            frontdoor.writeEtc("org.frontdoor.channel.telegram-bench.cfg", "token = 4242:bench-token\nsecretToken = "
                    + telegramSecret + "\napiBaseUrl = " + telegram.url() + "\nbotUsername = shop_bot\n");
            await("the bot").atMost(Duration.ofMinutes(2)).ignoreExceptions()
                    .until(() -> frontdoor.shell("frontdoor:channel-list").contains("bench"));
            for (int round = 0; round < rounds; round++) {
                int offset = round * messages;
                Request update = i -> {
                    long id = offset + i;
                    String body = "{\"update_id\":" + (1_000_000 + id) + ",\"message\":{\"message_id\":" + id
                            + ",\"date\":1700000000,\"from\":{\"id\":" + (1000 + id % 1250) + ",\"is_bot\":false,"
                            + "\"first_name\":\"Customer\"},\"chat\":{\"id\":" + (1000 + id % 1250)
                            + ",\"type\":\"private\"},\"text\":\"Order " + id + " has not arrived yet and the tracking "
                            + "page shows nothing since Monday.\"}}";
                    return frontdoor.request("POST", "/webhooks/telegram/bench", body, Map.of("Content-Type",
                            "application/json", "X-Telegram-Bot-Api-Secret-Token", telegramSecret)).status();
                };
                Request webhook = i -> {
                    ObjectNode body = Distribution.JSON.createObjectNode();
                    body.put("id", "http-" + (offset + i));
                    String customer = "customer-" + ((offset + i) % 1250);
                    body.putObject("from").put("id", customer).put("name", "Customer " + customer);
                    body.put("text", "Order " + (offset + i) + " has not arrived yet and the tracking page shows "
                            + "nothing since Monday.");
                    body.put("thread", customer);
                    return frontdoor.postSigned(body.toString()).status();
                };
                // the door that goes first alternates, so neither always runs on a warmer JVM
                for (int turn = 0; turn < 2; turn++) {
                    boolean telegramTurn = (round + turn) % 2 == 0;
                    long start = System.nanoTime();
                    post(senders, messages, telegramTurn ? update : webhook,
                            telegramTurn ? telegramFailures : httpFailures);
                    double seconds = (System.nanoTime() - start) / 1e9;
                    if (telegramTurn) {
                        telegramSeconds += seconds;
                    } else {
                        httpSeconds += seconds;
                    }
                }
            }
        }
        int total = messages * rounds;
        double telegramRate = total / telegramSeconds;
        double httpRate = total / httpSeconds;
        String report = String.format(Locale.ROOT, """

                ## %s — Telegram door beside the HTTP channel (TelegramBench), PostgreSQL

                Machine: %d cores, Java %s; Frontdoor, the senders and PostgreSQL on the same machine. %d rounds, each
                %d Telegram updates (`X-Telegram-Bot-Api-Secret-Token`) and %d signed webhooks to the HTTP channel
                (the door that goes first alternating), from %d concurrent senders; a request counts once it is
                answered, that is once its message is durable.

                | Measure | Value |
                |---|---|
                | Telegram: %d updates stored (%d not answered 202) | %.2f s, **%.0f messages/s** |
                | HTTP channel: %d webhooks stored (%d not answered 202) | %.2f s, **%.0f messages/s** |
                | Telegram / HTTP | %.0f%% |
                """, LocalDate.now(), Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"),
                rounds, messages, messages, senders, total, telegramFailures.get(), telegramSeconds, telegramRate,
                total, httpFailures.get(), httpSeconds, httpRate, 100 * telegramRate / httpRate);
        System.out.println(report);
        Path results = Path.of(System.getProperty("frontdoor.bench.results", "bench/RESULTS.md"));
        Files.writeString(results, report, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        System.out.println("Appended to " + results.toAbsolutePath());
    }

    @FunctionalInterface
    private interface Request {
        int status(int i) throws Exception;
    }

    private static void post(int senders, int messages, Request request, AtomicLong failures) throws Exception {
        AtomicInteger next = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(senders);
        Future<?>[] running = new Future<?>[senders];
        for (int s = 0; s < senders; s++) {
            running[s] = pool.submit(() -> {
                for (int i; (i = next.getAndIncrement()) < messages; ) {
                    if (request.status(i) != 202) {
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
