package org.frontdoor.channel.meta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

import org.frontdoor.api.ChannelHealth.Status;
import org.frontdoor.api.IngestReceipt;
import org.frontdoor.api.Message;
import org.frontdoor.plugin.http.JsonWebhook.Result;
import org.frontdoor.plugin.media.MediaFetches;
import org.frontdoor.testkit.MemoryBlobs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Meta's files after the commit: a WhatsApp image by its media id (the Graph API's media object, then its url, both
 * with the Bearer token), a Messenger attachment by its CDN payload.url (without the token), into the blob store.
 */
class MetaMediaTest {

    private GraphPeer graph;
    private final MemoryBlobs blobs = new MemoryBlobs();
    private final Map<String, Long> ids = new ConcurrentHashMap<>();
    private final Map<String, Message> stored = new ConcurrentHashMap<>();
    private final Map<String, MetaInstance> instances = new ConcurrentHashMap<>();
    private MediaFetches fetches;
    private MetaWebhookHandler handler;

    @BeforeEach
    void start() throws Exception {
        graph = new GraphPeer(Instances.TOKEN);
        instances.put("shop", Instances.instance("shop", Map.of("baseUrl", graph.baseUrl(),
                "maxAttachmentBytes", 1_000L)));
        fetches = new MediaFetches("meta", blobs, MetaMedia::mask, Duration.ofMillis(50), Duration.ofMillis(200), 3);
        handler = new MetaWebhookHandler(instances::get, name -> false, message -> {
            long id = ids.computeIfAbsent(message.externalId(), k -> (long) ids.size() + 1);
            boolean duplicate = stored.putIfAbsent(message.externalId(), message) != null;
            return CompletableFuture.completedFuture(new IngestReceipt(id, 1, 1, duplicate));
        }, MetaMedia.into(blobs), fetches);
    }

    @AfterEach
    void stop() {
        fetches.close();
        graph.close();
        assertThat(graph.rejections()).isEmpty();
    }

    private Result post(String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        String signature = MetaSignatures.sign(Instances.APP_SECRET, bytes);
        return handler.handle("shop", h -> h.equalsIgnoreCase("X-Hub-Signature-256") ? signature : null, bytes)
                .toCompletableFuture().join();
    }

    static String whatsappImage(String wamid, String mediaId) {
        return "{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"102290129340398\",\"changes\":[{"
                + "\"value\":{\"messaging_product\":\"whatsapp\",\"metadata\":{\"display_phone_number\":"
                + "\"15550783881\",\"phone_number_id\":\"106540352242922\"},\"contacts\":[{\"profile\":{\"name\":"
                + "\"Sheena Nelson\"},\"wa_id\":\"16505551234\"}],\"messages\":[{\"from\":\"16505551234\",\"id\":\""
                + wamid + "\",\"timestamp\":\"1749416383\",\"type\":\"image\",\"image\":{\"caption\":\"the box\","
                + "\"mime_type\":\"image/jpeg\",\"sha256\":\"HgcRVvn4S+8ZK0Qf3tTVqwkQKJr6pRrBLoG2x1rpvOY=\",\"id\":\""
                + mediaId + "\"}}]},\"field\":\"messages\"}]}]}";
    }

    private static String messengerPhoto(String mid, String url) {
        return "{\"object\":\"page\",\"entry\":[{\"id\":\"106382998410001\",\"time\":1583173667623,\"messaging\":[{"
                + "\"sender\":{\"id\":\"4937581736281234\"},\"recipient\":{\"id\":\"106382998410001\"},"
                + "\"timestamp\":1583173666767,\"message\":{\"mid\":\"" + mid + "\",\"attachments\":[{\"type\":"
                + "\"image\",\"payload\":{\"url\":\"" + url + "\"}}]}}]}]}";
    }

    @Test
    void aWhatsappImageIsFetchedByItsMediaIdWithTheBearerTokenAfterTheCommit() {
        String media = graph.whatsappMedia("image/jpeg", "JFIF crushed box");
        assertThat(post(whatsappImage("wamid.A1", media)).status()).isEqualTo(200);
        assertThat(stored.get("wamid.A1").attachments()).singleElement()
                .satisfies(a -> assertThat(a.blobRef()).isNull());
        await().atMost(Duration.ofSeconds(10)).until(() -> blobs.attached.size() == 1);
        assertThat(new String(blobs.attachedContent(1, 0), StandardCharsets.UTF_8)).isEqualTo("JFIF crushed box");
        assertThat(blobs.attached.get("1/0").mediaType()).isEqualTo("image/jpeg");
        assertThat(graph.fileRequests()).containsExactly("/" + GraphPeer.VERSION + "/" + media,
                "/whatsapp_business/attachments/?mid=" + media + "&ext=1700000000&hash=ATtZ");
        assertThat(graph.received()).allSatisfy(r -> assertThat(r.header("Authorization"))
                .isEqualTo("Bearer " + Instances.TOKEN));

        post(whatsappImage("wamid.A1", media)); // Meta's redelivery: nothing new
        await().atMost(Duration.ofSeconds(10)).until(() -> fetches.waiting() == 0);
        assertThat(blobs.attached).hasSize(1);
    }

    @Test
    void aMessengerPhotoComesFromItsCdnUrlWithoutTheTokenAndABigFileStaysWithoutContent() {
        String url = graph.attachment("image/png", "PNG the label");
        post(messengerPhoto("m_1", url));
        await().atMost(Duration.ofSeconds(10)).until(() -> blobs.attached.size() == 1);
        assertThat(new String(blobs.attachedContent(1, 0), StandardCharsets.UTF_8)).isEqualTo("PNG the label");
        assertThat(graph.received()).singleElement().satisfies(r -> assertThat(r.header("Authorization")).isNull());

        String big = graph.whatsappMedia("video/mp4", "x".repeat(5_000));
        post(whatsappImage("wamid.B2", big));
        await().atMost(Duration.ofSeconds(10)).until(() -> fetches.waiting() == 0);
        assertThat(blobs.attached).hasSize(1);
        assertThat(graph.fileRequests()).as("file_size over the limit: not downloaded")
                .doesNotContain("/whatsapp_business/attachments/?mid=" + big + "&ext=1700000000&hash=ATtZ");
    }

    @Test
    void anExpiredTokenTurnsTheDoorAuthExpiredAndA429IsWaitedOut() {
        String media = graph.whatsappMedia("image/jpeg", "JFIF");
        graph.rotate("a-new-token");
        post(whatsappImage("wamid.C3", media));
        await().atMost(Duration.ofSeconds(10)).until(() -> fetches.waiting() == 0);
        assertThat(blobs.attached).isEmpty();
        assertThat(instances.get("shop").health().status()).isEqualTo(Status.AUTH_EXPIRED);
        assertThat(fetches.lastFailure()).contains("answered 401 (code 190)").doesNotContain(Instances.TOKEN);

        graph.rotate(Instances.TOKEN);
        instances.put("shop", Instances.instance("shop", Map.of("baseUrl", graph.baseUrl(),
                "maxAttachmentBytes", 1_000L)));
        String second = graph.whatsappMedia("image/jpeg", "JFIF 2");
        graph.answer(new GraphPeer.Answer(429, Map.of("Retry-After", "1", "Content-Type", "application/json"),
                "{\"error\":{\"message\":\"(#4) Application request limit reached\",\"code\":4}}"));
        post(whatsappImage("wamid.D4", second));
        await().atMost(Duration.ofSeconds(10)).until(() -> blobs.attached.size() == 1);
        assertThat(new String(blobs.attachedContent(2, 0), StandardCharsets.UTF_8)).isEqualTo("JFIF 2");
        assertThat(fetches.lastFailure()).contains("answered 429 (code 4)");
    }
}
