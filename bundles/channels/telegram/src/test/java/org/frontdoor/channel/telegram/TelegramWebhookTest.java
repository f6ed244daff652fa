package org.frontdoor.channel.telegram;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

import org.frontdoor.api.Attachment;
import org.frontdoor.api.ChannelHealth;
import org.frontdoor.api.IngestReceipt;
import org.frontdoor.api.Message;
import org.frontdoor.plugin.media.MediaFetches;
import org.frontdoor.testkit.MemoryBlobs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The webhook as Telegram drives it: the secret token first, then the update, the store, then its files. */
class TelegramWebhookTest {

    @TempDir
    Path secrets;

    private TelegramPeer peer;
    private TelegramInstance instance;
    private final Map<String, Message> stored = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();
    private final Map<String, Long> messageIds = new ConcurrentHashMap<>();
    private final MemoryBlobs blobs = new MemoryBlobs();
    private MediaFetches fetches;
    private TelegramWebhook webhook;

    @BeforeEach
    void start() throws Exception {
        peer = new TelegramPeer("123456:ABC-token_x");
        instance = Instances.instance("shop", peer, secrets, Map.of("maxBodyBytes", 4096));
        fetches = new MediaFetches("telegram", blobs, BotApi::maskTokens, Duration.ofMillis(20),
                Duration.ofMillis(200), 5);
        webhook = new TelegramWebhook(name -> name.equals("shop") ? instance : null, "paused"::equals,
                message -> {
                    // core's dedupe: one message per (door, external id)
                    Message earlier = stored.putIfAbsent(message.externalId(), message);
                    long id = messageIds.computeIfAbsent(message.externalId(), k -> ids.incrementAndGet());
                    // a redelivery's receipt names the first delivery's message
                    return CompletableFuture.completedFuture(new IngestReceipt(id, 1, 1, earlier != null));
                }, TelegramWebhook.fetchingInto(blobs), fetches);
    }

    @AfterEach
    void stop() {
        CountDownLatch hold = peer.holdFiles;
        if (hold != null) {
            hold.countDown();
        }
        fetches.close();
        instance.deactivate();
        peer.close();
        assertThat(peer.problems).isEmpty();
    }

    private TelegramWebhook.Result post(String instanceName, String secret, String body) {
        return webhook.handle(instanceName, h -> h.equals(TelegramWebhook.SECRET_HEADER) ? secret : null,
                body == null ? null : body.getBytes(StandardCharsets.UTF_8)).toCompletableFuture().join();
    }

    @Test
    void anUpdateIsStoredOnceAndItsRedeliveryAnswered200() {
        TelegramWebhook.Result first = post("shop", "s3cret-Token_1", TelegramUpdatesTest.PRIVATE);
        assertThat(first.status()).isEqualTo(202);
        TelegramWebhook.Result again = post("shop", "s3cret-Token_1", TelegramUpdatesTest.PRIVATE);
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.body()).contains("\"duplicate\":true");
        assertThat(stored).containsOnlyKeys("10000:1111111:1365");
    }

    @Test
    void aMissingOrWrongSecretTokenIsRefusedBeforeTheBodyIsRead() {
        for (String secret : new String[] {null, "", "s3cret-Token_2", "s3cret-Token_1 ", "S3CRET-TOKEN_1"}) {
            // a body that would be malformed: the answer is still about the secret
            TelegramWebhook.Result result = post("shop", secret, "{not json");
            assertThat(result.status()).as(String.valueOf(secret)).isEqualTo(401);
            assertThat(result.body()).contains("missing or wrong X-Telegram-Bot-Api-Secret-Token");
        }
        assertThat(stored).isEmpty();
        assertThat(instance.health().status()).isEqualTo(ChannelHealth.Status.UP);
    }

    @Test
    void malformedTruncatedAndOversizedUpdatesAreRefusedWithTheReasonAndTheDoorStaysHealthy() {
        TelegramWebhook.Result truncated = post("shop", "s3cret-Token_1",
                TelegramUpdatesTest.PRIVATE.substring(0, 60));
        assertThat(truncated.status()).isEqualTo(400);
        assertThat(truncated.body()).contains("malformed JSON");
        TelegramWebhook.Result trailing = post("shop", "s3cret-Token_1", TelegramUpdatesTest.PRIVATE + "{}");
        assertThat(trailing.status()).isEqualTo(400);
        assertThat(trailing.body()).contains("malformed JSON");
        // the servlet gives null for a body over maxBodyBytes
        TelegramWebhook.Result oversized = post("shop", "s3cret-Token_1", null);
        assertThat(oversized.status()).isEqualTo(413);
        assertThat(oversized.body()).contains("the update is larger than 4096 bytes");
        assertThat(stored).isEmpty();
        assertThat(instance.health().status()).isEqualTo(ChannelHealth.Status.UP);
        assertThat(post("shop", "s3cret-Token_1", TelegramUpdatesTest.PRIVATE).status()).isEqualTo(202);
    }

    @Test
    void unknownAndStoppedInstances() {
        assertThat(post("nope", "x", "{}").status()).isEqualTo(404);
        TelegramWebhook.Result paused = post("paused", "x", "{}");
        assertThat(paused.status()).isEqualTo(503);
        assertThat(paused.headers()).containsEntry("Retry-After", "10");
    }

    @Test
    void aGroupMessageNotForTheBotIsAnswered200AndNotStored() {
        TelegramWebhook.Result result = post("shop", "s3cret-Token_1", TelegramUpdatesTest.GROUP_CHATTER);
        assertThat(result.status()).isEqualTo(200);
        assertThat(result.body()).contains("does not mention @shop_bot");
        assertThat(stored).isEmpty();
        assertThat(post("shop", "s3cret-Token_1", TelegramUpdatesTest.GROUP_MENTION).status()).isEqualTo(202);
    }

    @Test
    void theUpdateIsAcknowledgedBeforeTelegramServesTheFileWhichIsAttachedAfterwards() {
        peer.files.put("photos/file_1.jpg", new byte[] {1, 2, 3});
        peer.holdFiles = new CountDownLatch(1);

        TelegramWebhook.Result result = post("shop", "s3cret-Token_1", TelegramUpdatesTest.PHOTO);

        assertThat(result.status()).isEqualTo(202);
        assertThat(peer.served).as("answered while the file is not served yet").hasValue(0);
        Message m = stored.get("10004:1111111:1366");
        assertThat(m.text()).isEqualTo("The parcel as it came");
        assertThat(m.attachments()).as("stored with the file's metadata, its content to come")
                .containsExactly(new Attachment("photo-1366.jpg", "image/jpeg", 3, null));
        long messageId = Long.parseLong(result.body().replaceAll(".*\"messageId\":(\\d+).*", "$1"));
        assertThat(blobs.attached).isEmpty();

        peer.holdFiles.countDown();
        await().untilAsserted(() -> assertThat(blobs.attachedContent(messageId, 0)).containsExactly(1, 2, 3));
        assertThat(peer.calls("getFile")).singleElement()
                .satisfies(c -> assertThat(c.body().path("file_id").asText()).isEqualTo("AgAD-large"));
        Attachment a = blobs.attached.get(messageId + "/0");
        assertThat(a.name()).isEqualTo("photo-1366.jpg");
        assertThat(a.mediaType()).isEqualTo("image/jpeg");
        assertThat(a.size()).isEqualTo(3);
        await().until(() -> fetches.waiting() == 0);
    }

    @Test
    void aFileTelegramCannotServeNowIsFetchedAgainLaterWithoutTheTokenInTheLog() {
        peer.answerNext("getFile", 502, "{\"ok\":false,\"error_code\":502,\"description\":\"Bad Gateway\"}");
        peer.answerNext("getFile", 429, "{\"ok\":false,\"error_code\":429,\"description\":\"Too Many Requests: "
                + "retry after 1\",\"parameters\":{\"retry_after\":1}}");
        peer.files.put("photos/file_1.jpg", new byte[] {1, 2, 3});

        TelegramWebhook.Result result = post("shop", "s3cret-Token_1", TelegramUpdatesTest.PHOTO);

        assertThat(result.status()).as("the message is kept: nothing for Telegram to send again").isEqualTo(202);
        assertThat(stored).containsOnlyKeys("10004:1111111:1366");
        long messageId = Long.parseLong(result.body().replaceAll(".*\"messageId\":(\\d+).*", "$1"));
        await().untilAsserted(() -> assertThat(blobs.attachedContent(messageId, 0)).containsExactly(1, 2, 3));
        assertThat(peer.calls("getFile")).hasSize(3);
        assertThat(fetches.lastFailure()).contains("Telegram is limiting this bot")
                .contains("attempt 2 of 5").doesNotContain(peer.token);
        assertThat(BotApi.maskTokens("GET http://x/file/bot" + peer.token + "/photos/a.jpg"))
                .doesNotContain(peer.token);
    }

    @Test
    void aRedeliveryFetchesOnlyWhatIsStillMissing() {
        peer.files.put("photos/file_1.jpg", new byte[] {1, 2, 3});
        TelegramWebhook.Result first = post("shop", "s3cret-Token_1", TelegramUpdatesTest.PHOTO);
        long messageId = Long.parseLong(first.body().replaceAll(".*\"messageId\":(\\d+).*", "$1"));
        await().untilAsserted(() -> assertThat(blobs.attachedContent(messageId, 0)).isNotNull());

        assertThat(post("shop", "s3cret-Token_1", TelegramUpdatesTest.PHOTO).status()).isEqualTo(200);
        assertThat(stored).hasSize(1);
        await().until(() -> fetches.waiting() == 0);
        assertThat(blobs.attached).hasSize(1);
    }

    @Test
    void aFileLargerThanTheDoorTakesIsShownWithoutItsContent() {
        instance.deactivate();
        instance = Instances.instance("shop", peer, secrets, Map.of("maxAttachmentBytes", 2L));
        assertThat(post("shop", "s3cret-Token_1", TelegramUpdatesTest.PHOTO).status()).isEqualTo(202);
        assertThat(fetches.waiting()).isZero();
        assertThat(peer.calls("getFile")).isEmpty();
        assertThat(stored.get("10004:1111111:1366").attachments())
                .containsExactly(new Attachment("photo-1366.jpg", "image/jpeg", 3, null));
        assertThat(blobs.content).isEmpty();
        assertThat(blobs.attached).isEmpty();
    }
}
