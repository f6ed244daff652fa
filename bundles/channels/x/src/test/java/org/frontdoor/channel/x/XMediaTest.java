package org.frontdoor.channel.x;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import com.sun.net.httpserver.HttpServer;
import org.frontdoor.api.Attachment;
import org.frontdoor.api.IngestReceipt;
import org.frontdoor.api.Message;
import org.frontdoor.plugin.media.MediaFetches;
import org.frontdoor.testkit.MemoryBlobs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Media of posts and direct messages: stored with the message as sent, the delivery answered, and the content fetched
 * afterwards from a local X media peer with the account's token as Bearer header, never in the URL.
 */
class XMediaTest {

    private HttpServer peer;
    private final ExecutorService peerThreads = Executors.newCachedThreadPool();
    private final List<String> problems = new CopyOnWriteArrayList<>();
    private final Map<String, byte[]> files = new ConcurrentHashMap<>();
    private final AtomicInteger served = new AtomicInteger();
    private final AtomicInteger refuseNext = new AtomicInteger();
    private volatile CountDownLatch hold;
    private final Map<String, Message> stored = new ConcurrentHashMap<>();
    private final Map<String, Long> ids = new ConcurrentHashMap<>();
    private final AtomicLong nextId = new AtomicLong();
    private final MemoryBlobs blobs = new MemoryBlobs();
    private MediaFetches fetches;
    private XInstance demo;
    private XWebhookHandler handler;

    @BeforeEach
    void start() throws Exception {
        peer = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        peer.createContext("/media/", exchange -> {
            try (exchange) {
                if (!"GET".equals(exchange.getRequestMethod())
                        || !"Bearer access-1".equals(exchange.getRequestHeaders().getFirst("Authorization"))
                        || exchange.getRequestURI().getRawQuery() != null) {
                    problems.add("media request " + exchange.getRequestMethod() + " " + exchange.getRequestURI());
                }
                if (refuseNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                    exchange.getResponseHeaders().add("Retry-After", "1");
                    exchange.sendResponseHeaders(429, -1);
                    return;
                }
                CountDownLatch h = hold;
                if (h != null) {
                    h.await();
                }
                byte[] content = files.get(exchange.getRequestURI().getPath());
                if (content == null) {
                    exchange.sendResponseHeaders(404, -1);
                    return;
                }
                exchange.sendResponseHeaders(200, content.length);
                exchange.getResponseBody().write(content);
                served.incrementAndGet();
            } catch (Exception e) {
                problems.add(e.toString());
            }
        });
        peer.setExecutor(peerThreads);
        peer.start();
        demo = Instances.instance("demo", Map.of("baseUrl", base()));
        fetches = new MediaFetches("x", blobs, text -> text, Duration.ofMillis(20), Duration.ofMillis(200), 5);
        handler = new XWebhookHandler(n -> "demo".equals(n) ? demo : null, n -> false, message -> {
            Message earlier = stored.putIfAbsent(message.externalId(), message);
            long id = ids.computeIfAbsent(message.externalId(), k -> nextId.incrementAndGet());
            return CompletableFuture.completedFuture(new IngestReceipt(id, 1, 1, earlier != null));
        }, XMedia.into(blobs), fetches);
    }

    @AfterEach
    void stop() {
        CountDownLatch h = hold;
        if (h != null) {
            h.countDown();
        }
        fetches.close();
        peer.stop(0);
        peerThreads.shutdownNow();
        assertThat(problems).isEmpty();
    }

    private String base() {
        return "http://127.0.0.1:" + peer.getAddress().getPort();
    }

    private XWebhookHandler.Result deliver(String json) {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        String signature = XSignatures.sign(Instances.CONSUMER_SECRET, body);
        return handler.handle("demo", h -> XSignatures.SIGNATURE_HEADER.equals(h) ? signature : null, body)
                .toCompletableFuture().join();
    }

    private String tweetWithMedia() {
        return """
                {"for_user_id":"2244994945","tweet_create_events":[{"id_str":"1336953000000000001",
                 "text":"@XDevelopers this is what arrived","user":{"id_str":"3001969357","screen_name":"furiouscamper"},
                 "extended_entities":{"media":[
                  {"id_str":"1","type":"photo","media_url_https":"%1$s/media/box.jpg"},
                  {"id_str":"2","type":"video","media_url_https":"%1$s/media/still.jpg","video_info":{"variants":[
                    {"content_type":"application/x-mpegURL","url":"%1$s/media/pl.m3u8"},
                    {"content_type":"video/mp4","bitrate":256000,"url":"%1$s/media/low.mp4"},
                    {"content_type":"video/mp4","bitrate":2176000,"url":"%1$s/media/high.mp4"}]}},
                  {"id_str":"3","type":"photo","media_url_https":"https://elsewhere.example/media/x.jpg"}]}}]}
                """.formatted(base());
    }

    @Test
    void theDeliveryIsAnsweredBeforeXServesTheMediaWhichAreAttachedAfterwards() {
        files.put("/media/box.jpg", new byte[] {1, 2, 3});
        files.put("/media/high.mp4", new byte[] {4, 5});
        hold = new CountDownLatch(1);

        XWebhookHandler.Result result = deliver(tweetWithMedia());

        assertThat(result.status()).isEqualTo(200);
        assertThat(served).as("answered while X serves nothing yet").hasValue(0);
        Message m = stored.get("1336953000000000001");
        assertThat(m.attachments()).containsExactly(new Attachment("box.jpg", "image/jpeg", 0, null),
                new Attachment("high.mp4", "video/mp4", 0, null), new Attachment("x.jpg", "image/jpeg", 0, null));

        hold.countDown();
        long id = ids.get("1336953000000000001");
        await().untilAsserted(() -> {
            assertThat(blobs.attachedContent(id, 0)).containsExactly(1, 2, 3);
            assertThat(blobs.attachedContent(id, 1)).containsExactly(4, 5);
        });
        await().until(() -> fetches.waiting() == 0);
        assertThat(blobs.attached).as("a host that is not X's gets no token and nothing is fetched from it")
                .containsOnlyKeys(id + "/0", id + "/1");
    }

    @Test
    void aDirectMessagesMediaIsFetchedAndA429IsWaitedFor() {
        files.put("/media/dm.png", new byte[] {9});
        refuseNext.set(1);
        String dm = """
                {"for_user_id":"2244994945","direct_message_events":[{"type":"message_create","id":"954491830116155396",
                 "message_create":{"target":{"recipient_id":"2244994945"},"sender_id":"3001969357",
                  "message_data":{"text":"see","attachment":{"type":"media","media":{"id_str":"7","type":"photo",
                   "media_url_https":"%s/media/dm.png"}}}}}]}
                """.formatted(base());

        assertThat(deliver(dm).status()).isEqualTo(200);

        long id = ids.get("dm:954491830116155396");
        await().untilAsserted(() -> assertThat(blobs.attachedContent(id, 0)).containsExactly(9));
        assertThat(fetches.lastFailure()).contains("X answered 429").contains("attempt 1 of 5")
                .doesNotContain("access-1");
        assertThat(stored.get("dm:954491830116155396").attachments())
                .containsExactly(new Attachment("dm.png", "image/png", 0, null));
    }

    @Test
    void aRedeliveryStoresNothingNew() {
        files.put("/media/box.jpg", new byte[] {1, 2, 3});
        files.put("/media/high.mp4", new byte[] {4, 5});
        deliver(tweetWithMedia());
        await().until(() -> fetches.waiting() == 0);
        Map<String, Attachment> first = Map.copyOf(blobs.attached);

        assertThat(deliver(tweetWithMedia()).body()).contains("\"duplicates\":1");
        await().until(() -> fetches.waiting() == 0);

        assertThat(stored).hasSize(1);
        assertThat(blobs.attached).as("what was filled in stays as it was").isEqualTo(first).hasSize(2);
    }
}
