package org.frontdoor.channel.telegram;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import org.frontdoor.api.Attachment;
import org.frontdoor.api.Blobs;
import org.frontdoor.api.ChannelHealth;
import org.frontdoor.api.IngestReceipt;
import org.frontdoor.api.Message;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/** The webhook as Telegram drives it: the secret token first, then the update, its files, the store. */
class TelegramWebhookTest {

    @TempDir
    Path secrets;

    private TelegramPeer peer;
    private TelegramInstance instance;
    private final Map<String, Message> stored = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();
    private final InMemoryBlobs blobs = new InMemoryBlobs();
    private TelegramWebhook webhook;

    /** A blob store keyed by SHA-256, as core's. */
    static final class InMemoryBlobs implements Blobs {
        final Map<String, byte[]> content = new ConcurrentHashMap<>();

        @Override
        public Attachment store(String name, String mediaType, InputStream in, long maxBytes) throws IOException {
            byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
            if (bytes.length > maxBytes) {
                throw new IllegalArgumentException("the attachment is larger than " + maxBytes + " bytes");
            }
            try {
                String ref = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
                content.put(ref, bytes);
                return new Attachment(name, mediaType, bytes.length, ref);
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public Optional<InputStream> open(String blobRef) {
            return Optional.ofNullable(content.get(blobRef)).map(ByteArrayInputStream::new);
        }
    }

    @BeforeEach
    void start() throws Exception {
        peer = new TelegramPeer("123456:ABC-token_x");
        instance = Instances.instance("shop", peer, secrets, Map.of("maxBodyBytes", 4096));
        webhook = new TelegramWebhook(name -> name.equals("shop") ? instance : null, "paused"::equals,
                message -> {
                    // core's dedupe: one message per (door, external id)
                    Message earlier = stored.putIfAbsent(message.externalId(), message);
                    return CompletableFuture.completedFuture(new IngestReceipt(ids.incrementAndGet(), 1, 1,
                            earlier != null));
                }, TelegramWebhook.fetchingInto(blobs));
    }

    @AfterEach
    void stop() {
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
    void aPhotoIsFetchedByGetFileIntoTheBlobStoreBeforeTheMessageIsStored() {
        peer.files.put("photos/file_1.jpg", new byte[] {1, 2, 3});
        assertThat(post("shop", "s3cret-Token_1", TelegramUpdatesTest.PHOTO).status()).isEqualTo(202);
        assertThat(peer.calls("getFile")).singleElement()
                .satisfies(c -> assertThat(c.body().path("file_id").asText()).isEqualTo("AgAD-large"));
        Message m = stored.get("10004:1111111:1366");
        assertThat(m.text()).isEqualTo("The parcel as it came");
        Attachment a = m.attachments().get(0);
        assertThat(a.name()).isEqualTo("photo-1366.jpg");
        assertThat(a.mediaType()).isEqualTo("image/jpeg");
        assertThat(a.size()).isEqualTo(3);
        assertThat(blobs.content.get(a.blobRef())).containsExactly(1, 2, 3);
    }

    @Test
    void aFileTelegramCannotServeNowStoresNothingAndAsksForTheUpdateAgain() {
        peer.answerNext("getFile", 502, "{\"ok\":false,\"error_code\":502,\"description\":\"Bad Gateway\"}");
        TelegramWebhook.Result result = post("shop", "s3cret-Token_1", TelegramUpdatesTest.PHOTO);
        assertThat(result.status()).isEqualTo(503);
        assertThat(result.body()).contains("Telegram could not take getFile now: it answered 502 Bad Gateway")
                .doesNotContain(peer.token);
        assertThat(stored).isEmpty();
        peer.files.put("photos/file_1.jpg", new byte[] {1, 2, 3});
        assertThat(post("shop", "s3cret-Token_1", TelegramUpdatesTest.PHOTO).status()).isEqualTo(202);
    }

    @Test
    void aFileLargerThanTheDoorTakesIsShownWithoutItsContent() {
        instance.deactivate();
        instance = Instances.instance("shop", peer, secrets, Map.of("maxAttachmentBytes", 2L));
        assertThat(post("shop", "s3cret-Token_1", TelegramUpdatesTest.PHOTO).status()).isEqualTo(202);
        assertThat(peer.calls("getFile")).isEmpty();
        assertThat(stored.get("10004:1111111:1366").attachments())
                .containsExactly(new Attachment("photo-1366.jpg", "image/jpeg", 3, null));
        List<String> none = new CopyOnWriteArrayList<>(blobs.content.keySet());
        assertThat(none).isEmpty();
    }
}
