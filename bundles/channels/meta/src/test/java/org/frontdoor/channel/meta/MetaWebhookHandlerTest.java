package org.frontdoor.channel.meta;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import org.frontdoor.api.IngestReceipt;
import org.frontdoor.api.Message;
import org.frontdoor.api.Visibility;
import org.frontdoor.plugin.http.JsonWebhook.Result;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Meta's documented webhook payloads through the handler, with a stand-in core that dedupes by external id. */
class MetaWebhookHandlerTest {

    private final MetaInstance instance = Instances.instance("shop", Map.of());
    private final List<Message> stored = new CopyOnWriteArrayList<>();
    private final Set<String> seen = new HashSet<>();
    private final AtomicLong ids = new AtomicLong();
    private final Receipts receipts = new Receipts();
    private final MetaWebhookHandler handler = new MetaWebhookHandler(
            name -> name.equals("shop") ? instance : null, name -> name.equals("starting"), message -> {
                synchronized (seen) {
                    boolean duplicate = !seen.add(message.externalId());
                    if (!duplicate) {
                        stored.add(message);
                    }
                    return CompletableFuture.completedFuture(new IngestReceipt(ids.incrementAndGet(), 1, 1,
                            duplicate));
                }
            }, receipts::add);

    static byte[] payload(String name) throws IOException {
        try (InputStream in = MetaWebhookHandlerTest.class.getResourceAsStream("/payloads/" + name + ".json")) {
            return in.readAllBytes();
        }
    }

    private Result post(byte[] body) {
        String signature = MetaSignatures.sign(Instances.APP_SECRET, body);
        return post(body, signature);
    }

    private Result post(byte[] body, String signature) {
        return handler.handle("shop", h -> h.equalsIgnoreCase("X-Hub-Signature-256") ? signature : null, body)
                .toCompletableFuture().join();
    }

    @Test
    void theVerificationAnswersTheChallengeOnlyForTheRightToken() {
        assertThat(handler.verify("shop", "subscribe", Instances.VERIFY_TOKEN, "1158201444"))
                .isEqualTo(new MetaWebhookHandler.Verification(200, "1158201444"));
        assertThat(handler.verify("shop", "subscribe", "guess", "1158201444").status()).isEqualTo(403);
        assertThat(handler.verify("shop", "subscribe", null, "1158201444").status()).isEqualTo(403);
        assertThat(handler.verify("shop", "unsubscribe", Instances.VERIFY_TOKEN, "1").status()).isEqualTo(400);
        assertThat(handler.verify("shop", "subscribe", Instances.VERIFY_TOKEN, null).status()).isEqualTo(400);
        assertThat(handler.verify("shop", "subscribe", Instances.VERIFY_TOKEN, "<script>x</script> ").status())
                .isEqualTo(400);
        assertThat(handler.verify("nobody", "subscribe", Instances.VERIFY_TOKEN, "1").status()).isEqualTo(404);
        assertThat(handler.verify("starting", "subscribe", Instances.VERIFY_TOKEN, "1").status()).isEqualTo(503);
    }

    @Test
    void aMessengerMessageIsAPrivateConversationWithThePageScopedId() throws Exception {
        Result result = post(payload("messenger"));

        assertThat(result.status()).isEqualTo(200);
        assertThat(stored).singleElement().satisfies(m -> {
            assertThat(m.externalId()).startsWith("m_toDnmD9uQ0arpfx4hE2");
            assertThat(m.visibility()).isEqualTo(Visibility.PRIVATE);
            assertThat(m.author().handle()).isEqualTo("fb:4937581736281234");
            assertThat(m.threadRef()).isEqualTo("fb:106382998410001:4937581736281234");
            assertThat(m.text()).isEqualTo("My order 5521 never arrived");
            assertThat(m.receivedAt()).isEqualTo(Instant.ofEpochMilli(1583173666767L));
            assertThat(m.rawPayload()).contains("never arrived");
        });
    }

    @Test
    void anInstagramDirectMessageIsPrivateAndAnInstagramCommentPublicUnderItsMedia() throws Exception {
        assertThat(post(payload("instagram-dm")).status()).isEqualTo(200);
        assertThat(post(payload("instagram-comment")).status()).isEqualTo(200);

        assertThat(stored).hasSize(2);
        assertThat(stored.get(0).threadRef()).isEqualTo("ig:17841405822304914:1254459154682919");
        assertThat(stored.get(0).visibility()).isEqualTo(Visibility.PRIVATE);
        assertThat(stored.get(0).author().handle()).isEqualTo("ig:1254459154682919");
        Message comment = stored.get(1);
        assertThat(comment.externalId()).isEqualTo("17865799348089039");
        assertThat(comment.visibility()).isEqualTo(Visibility.PUBLIC);
        assertThat(comment.threadRef()).isEqualTo("igmedia:17906425913068391");
        assertThat(comment.author().displayName()).isEqualTo("@furiouscamper");
        assertThat(comment.text()).isEqualTo("Worst customer service ever");
    }

    @Test
    void aPageCommentIsPublicUnderItsPost() throws Exception {
        assertThat(post(payload("page-comment")).status()).isEqualTo(200);

        assertThat(stored).singleElement().satisfies(m -> {
            assertThat(m.externalId()).isEqualTo("444444444_555555555");
            assertThat(m.visibility()).isEqualTo(Visibility.PUBLIC);
            assertThat(m.threadRef()).isEqualTo("fbpost:106382998410001_444444444");
            assertThat(m.author().handle()).isEqualTo("fb:3175416759234567");
            assertThat(m.author().displayName()).isEqualTo("Jordan Brinks");
            assertThat(m.receivedAt()).isEqualTo(Instant.ofEpochSecond(1554308286));
        });
    }

    @Test
    void theWhatsAppMessageIsPrivateWithTheNumberAndTheStatusIsAReceiptNotAMessage() throws Exception {
        Result in = post(payload("whatsapp-text"));
        Result status = post(payload("whatsapp-status"));

        assertThat(in.status()).isEqualTo(200);
        assertThat(stored).singleElement().satisfies(m -> {
            assertThat(m.externalId()).startsWith("wamid.");
            assertThat(m.threadRef()).isEqualTo("wa:106540352242922:16505551234");
            assertThat(m.author().handle()).isEqualTo("wa:16505551234");
            assertThat(m.author().phone()).isEqualTo("+16505551234");
            assertThat(m.author().displayName()).isEqualTo("Sheena Nelson");
            assertThat(m.receivedAt()).isEqualTo(Instant.ofEpochSecond(1749416383));
        });
        assertThat(status.status()).isEqualTo(200);
        assertThat(status.body()).contains("\"statuses\":1").contains("\"stored\":0")
                .contains("\"receipts\":1");
        assertThat(receipts.reported).singleElement().satisfies(r -> assertThat(r.state())
                .isEqualTo(org.frontdoor.api.delivery.DeliveryState.DELIVERED));
    }

    @Test
    void thePagesOwnEchoesAndReadReceiptsAreIgnored() throws Exception {
        Result result = post(payload("messenger-echo"));

        assertThat(result.status()).isEqualTo(200);
        assertThat(result.body()).contains("\"ignored\":2");
        assertThat(stored).isEmpty();
    }

    @Test
    void aRedeliveryStoresNothingNewAndAnswers200() throws Exception {
        post(payload("page-comment"));
        Result again = post(payload("page-comment"));

        assertThat(again.status()).isEqualTo(200);
        assertThat(again.body()).contains("\"duplicates\":1").contains("\"stored\":0");
        assertThat(stored).hasSize(1);
    }

    @Test
    void aForgedOrUnsignedDeliveryIsRefusedBeforeItIsRead() throws Exception {
        byte[] body = payload("messenger");

        Result forged = post(body, "sha256=" + "ab".repeat(32));
        Result unsigned = post(body, null);
        Result otherApp = post(body, MetaSignatures.sign("another app", body));
        Result garbageSigned = post("not json".getBytes(StandardCharsets.UTF_8), "sha256=" + "00".repeat(32));

        assertThat(forged.status()).isEqualTo(403);
        assertThat(unsigned.status()).isEqualTo(401);
        assertThat(otherApp.status()).isEqualTo(403);
        assertThat(garbageSigned.status()).isEqualTo(403); // the signature first: nothing parsed
        assertThat(stored).isEmpty();
    }

    @Test
    void malformedTruncatedTrailingAndOversizedBodiesAreRefusedWithTheReason() throws Exception {
        byte[] body = payload("whatsapp-text");
        byte[] truncated = java.util.Arrays.copyOf(body, body.length / 2);
        byte[] trailing = (new String(body, StandardCharsets.UTF_8) + "{}").getBytes(StandardCharsets.UTF_8);

        assertThat(post(truncated).status()).isEqualTo(400);
        assertThat(post(truncated).body()).contains("malformed JSON");
        assertThat(post(trailing).status()).isEqualTo(400);
        assertThat(post("{\"object\":\"page\"}".getBytes(StandardCharsets.UTF_8)).body()).contains("entry");
        assertThat(post("{\"object\":\"user\",\"entry\":[]}".getBytes(StandardCharsets.UTF_8)).body())
                .contains("object must be page, instagram or whatsapp_business_account");
        assertThat(post(("{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"1\",\"changes\":[{\"field\":"
                + "\"messages\",\"value\":{\"metadata\":{\"phone_number_id\":\"1\"},\"messages\":[{\"from\":\"16505551234\","
                + "\"id\":\"wamid.X\",\"timestamp\":\"yesterday\",\"type\":\"text\",\"text\":{\"body\":\"hi\"}}]}}]}]}")
                .getBytes(StandardCharsets.UTF_8)).body()).contains("timestamp");
        Result tooLarge = handler.handle("shop", h -> null, null).toCompletableFuture().join();
        assertThat(tooLarge.status()).isEqualTo(413);
        assertThat(stored).isEmpty();
        assertThat(instance.health().status()).isEqualTo(org.frontdoor.api.ChannelHealth.Status.UP);
    }

    @Test
    void aMessageOfADeliveryWithABadOneIsNotStoredEither() throws Exception {
        String body = "{\"object\":\"page\",\"entry\":[{\"id\":\"1\",\"messaging\":["
                + "{\"sender\":{\"id\":\"2\"},\"recipient\":{\"id\":\"1\"},\"timestamp\":1,\"message\":{\"mid\":\"m_1\",\"text\":\"ok\"}},"
                + "{\"sender\":{\"id\":\"2\"},\"recipient\":{\"id\":\"1\"},\"timestamp\":1,\"message\":{\"text\":\"no mid\"}}]}]}";

        Result result = post(body.getBytes(StandardCharsets.UTF_8));

        assertThat(result.status()).isEqualTo(400);
        assertThat(result.body()).contains("entry[0].messaging[1].message.mid");
        assertThat(stored).isEmpty();
    }
}
