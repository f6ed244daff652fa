package org.frontdoor.distribution;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.frontdoor.testkit.Database;
import org.frontdoor.testkit.Distribution;

import static org.awaitility.Awaitility.await;

/**
 * Signed webhooks per second of the Meta door (WhatsApp Cloud API messages signed with {@code X-Hub-Signature-256})
 * and of the SMS door (Twilio's form posts signed with {@code X-Twilio-Signature}) beside the generic HTTP channel,
 * in one run on PostgreSQL: both features installed at runtime; in each of {@code frontdoor.bench.rounds} (2) rounds
 * {@code frontdoor.bench.messages} (4000) requests per door from {@code frontdoor.bench.senders} (32) concurrent
 * senders, each answered once its message is durable; the order of the three doors rotates each round, so none always
 * runs on the warmest JVM. The Mastodon door takes no webhooks (it reads a stream), so it has no row here. Run:
 * {@code mvn -B -Pbench -pl bench compile exec:java@social}; appended to bench/RESULTS.md.
 */
public final class SocialDoorsBench {

    private static final String META_PHONE = "106540352242922";
    private static final String SMS_NUMBER = "+15005550006";
    private static final String SMS_PUBLIC_URL = "https://crm.example.com/webhooks/sms/bench";

    private SocialDoorsBench() {
    }

    @FunctionalInterface
    private interface Request {
        int status(int i) throws Exception;
    }

    /** One door's request and what it answers when the message is stored. */
    private record Door(String name, Request request, int stored) {
    }

    public static void main(String[] args) throws Exception {
        int messages = Integer.getInteger("frontdoor.bench.messages", 4_000);
        int senders = Integer.getInteger("frontdoor.bench.senders", 32);
        int rounds = Integer.getInteger("frontdoor.bench.rounds", 2);
        String secret = "bench-" + UUID.randomUUID();
        String appSecret = "bench-app-secret-" + UUID.randomUUID();
        String account = "AC" + UUID.randomUUID().toString().replace("-", "");
        String authToken = "bench-sms-" + UUID.randomUUID().toString().substring(0, 8);
        Map<String, Double> seconds = new LinkedHashMap<>();
        Map<String, AtomicLong> failures = new LinkedHashMap<>();
        try (Database database = Database.postgresql();
             Distribution frontdoor = new Distribution("SocialDoorsBench", database, secret,
                     URI.create("http://127.0.0.1:9/callback"))) {
            frontdoor.start();
            frontdoor.shell("feature:install frontdoor-channel-meta");
            frontdoor.shell("feature:install frontdoor-channel-sms");
            // nothing is sent in this bench: the outbound addresses point at a closed port
            frontdoor.writeEtc("org.frontdoor.channel.meta-bench.cfg", "appSecret = " + appSecret
                    + "\nverifyToken = bench-verify\naccessToken = bench-token\nbaseUrl = http://127.0.0.1:9"
                    + "\ngraphVersion = v21.0\n");
            frontdoor.writeEtc("org.frontdoor.channel.sms-bench.cfg", "accountSid = " + account + "\nauthToken = "
                    + authToken + "\nfromNumber = " + SMS_NUMBER + "\npublicUrl = " + SMS_PUBLIC_URL
                    + "\napiBaseUrl = http://127.0.0.1:9\n");
            await("both doors").atMost(Duration.ofMinutes(2)).ignoreExceptions().until(() -> {
                String list = frontdoor.shell("frontdoor:channel-list");
                return list.lines().filter(l -> l.matches(".*\\bbench\\b.*")).count() >= 2;
            });
            for (int round = 0; round < rounds; round++) {
                int offset = round * messages;
                List<Door> doors = new ArrayList<>(List.of(
                        new Door("Meta (WhatsApp)", i -> {
                            byte[] body = whatsapp(offset + i).getBytes(StandardCharsets.UTF_8);
                            return frontdoor.request("POST", "/webhooks/meta/bench",
                                    new String(body, StandardCharsets.UTF_8), Map.of("Content-Type",
                                            "application/json", "X-Hub-Signature-256", metaSign(appSecret, body)))
                                    .status();
                        }, 200),
                        new Door("SMS (Twilio)", i -> {
                            List<Map.Entry<String, String>> params = sms(account, offset + i);
                            return frontdoor.request("POST", "/webhooks/sms/bench", form(params), Map.of(
                                    "Content-Type", "application/x-www-form-urlencoded", "X-Twilio-Signature",
                                    twilioSign(authToken, params))).status();
                        }, 200),
                        new Door("HTTP channel", i -> {
                            ObjectNode body = Distribution.JSON.createObjectNode();
                            body.put("id", "http-" + (offset + i));
                            String customer = "customer-" + ((offset + i) % 1250);
                            body.putObject("from").put("id", customer).put("name", "Customer " + customer);
                            body.put("text", text(offset + i));
                            body.put("thread", customer);
                            return frontdoor.postSigned(body.toString()).status();
                        }, 202)));
                java.util.Collections.rotate(doors, round);
                for (Door door : doors) {
                    AtomicLong failed = failures.computeIfAbsent(door.name(), k -> new AtomicLong());
                    long start = System.nanoTime();
                    post(senders, messages, door, failed);
                    seconds.merge(door.name(), (System.nanoTime() - start) / 1e9, Double::sum);
                }
            }
        }
        int total = messages * rounds;
        double http = total / seconds.get("HTTP channel");
        StringBuilder rows = new StringBuilder();
        for (Map.Entry<String, Double> e : seconds.entrySet()) {
            double rate = total / e.getValue();
            rows.append(String.format(Locale.ROOT, "| %s: %d stored (%d not answered as stored) | %.2f s, **%.0f "
                    + "messages/s** | %.0f%% |%n", e.getKey(), total, failures.get(e.getKey()).get(), e.getValue(),
                    rate, 100 * rate / http));
        }
        String report = String.format(Locale.ROOT, """

                ## %s — the Meta and SMS doors beside the HTTP channel (SocialDoorsBench), PostgreSQL

                Machine: %d cores, Java %s; Frontdoor, the senders and PostgreSQL on the same machine. %d rounds, each
                %d signed requests per door from %d concurrent senders (the order of the doors rotating each round); a
                request counts once it is answered, that is once its message is durable. Aim (issue 20): each door at
                least 70%% of the HTTP channel.

                | Door | Time, rate | Of the HTTP channel |
                |---|---|---|
                %s""", LocalDate.now(), Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"),
                rounds, messages, senders, rows);
        System.out.println(report);
        Path results = Path.of(System.getProperty("frontdoor.bench.results", "bench/RESULTS.md"));
        Files.writeString(results, report, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        System.out.println("Appended to " + results.toAbsolutePath());
    }

    private static String text(long i) {
        return "Order " + i + " has not arrived yet and the tracking page shows nothing since Monday.";
    }

    /** The WhatsApp Cloud API's messages webhook, one text message, as Meta documents it. */
    private static String whatsapp(long i) {
        String waId = Long.toString(16_505_550_000L + i % 1250);
        ObjectNode root = Distribution.JSON.createObjectNode().put("object", "whatsapp_business_account");
        ObjectNode change = root.putArray("entry").addObject().put("id", "102290129340398").putArray("changes")
                .addObject();
        ObjectNode value = change.putObject("value").put("messaging_product", "whatsapp");
        value.putObject("metadata").put("display_phone_number", "15550783881").put("phone_number_id", META_PHONE);
        value.putArray("contacts").addObject().put("wa_id", waId).putObject("profile").put("name", "Customer");
        ObjectNode message = value.putArray("messages").addObject().put("from", waId)
                .put("id", "wamid.bench-" + i).put("timestamp", Long.toString(System.currentTimeMillis() / 1000))
                .put("type", "text");
        message.putObject("text").put("body", text(i));
        change.put("field", "messages");
        return root.toString();
    }

    /** Twilio's messaging webhook parameters for one text. */
    private static List<Map.Entry<String, String>> sms(String account, long i) {
        String sid = "SM" + String.format(Locale.ROOT, "%032x", i);
        String from = "+1415555" + String.format(Locale.ROOT, "%04d", i % 1250);
        return List.of(Map.entry("SmsMessageSid", sid), Map.entry("NumMedia", "0"), Map.entry("SmsSid", sid),
                Map.entry("SmsStatus", "received"), Map.entry("Body", text(i)), Map.entry("To", SMS_NUMBER),
                Map.entry("NumSegments", "1"), Map.entry("MessageSid", sid), Map.entry("AccountSid", account),
                Map.entry("From", from), Map.entry("ApiVersion", "2010-04-01"));
    }

    private static String form(List<Map.Entry<String, String>> params) {
        return params.stream().map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
    }

    /** {@code X-Hub-Signature-256}: {@code sha256=} and the hex HMAC-SHA256 of the raw body with the app secret. */
    private static String metaSign(String appSecret, byte[] body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(appSecret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
    }

    /** {@code X-Twilio-Signature}: base64 HMAC-SHA1 of the public URL and the parameters sorted by name. */
    private static String twilioSign(String token, List<Map.Entry<String, String>> params) throws Exception {
        StringBuilder data = new StringBuilder(SMS_PUBLIC_URL);
        params.stream().sorted(Map.Entry.<String, String>comparingByKey().thenComparing(Map.Entry.comparingByValue()))
                .forEach(p -> data.append(p.getKey()).append(p.getValue()));
        Mac mac = Mac.getInstance("HmacSHA1");
        mac.init(new SecretKeySpec(token.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
        return Base64.getEncoder().encodeToString(mac.doFinal(data.toString().getBytes(StandardCharsets.UTF_8)));
    }

    private static void post(int senders, int messages, Door door, AtomicLong failures) throws Exception {
        AtomicInteger next = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(senders);
        List<Future<?>> running = new ArrayList<>();
        for (int s = 0; s < senders; s++) {
            running.add(pool.submit(() -> {
                for (int i; (i = next.getAndIncrement()) < messages; ) {
                    if (door.request().status(i) != door.stored()) {
                        failures.incrementAndGet();
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : running) {
            f.get();
        }
        pool.shutdown();
    }
}
