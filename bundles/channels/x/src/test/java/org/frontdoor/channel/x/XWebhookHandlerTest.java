package org.frontdoor.channel.x;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;
import org.frontdoor.api.Attachment;
import org.frontdoor.api.ChannelHealth;
import org.frontdoor.api.IngestReceipt;
import org.frontdoor.api.Message;
import org.frontdoor.api.Visibility;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The webhook: CRC, signature before parsing, X's documented payloads, bad bodies, redeliveries. */
class XWebhookHandlerTest {

    private final XInstance demo = Instances.instance("demo", Map.of());
    /** Stands in for core: keeps each externalId once, as the store's unique key does. */
    private final Map<String, Message> stored = new ConcurrentHashMap<>();
    private final List<Message> offered = new CopyOnWriteArrayList<>();
    private final AtomicLong ids = new AtomicLong();
    private final XWebhookHandler handler = Instances.handler(name -> "demo".equals(name) ? demo : null,
            "stopped"::equals, message -> {
                offered.add(message);
                boolean duplicate = stored.putIfAbsent(message.externalId(), message) != null;
                return CompletableFuture.completedFuture(new IngestReceipt(ids.incrementAndGet(), 1, 1, duplicate));
            });

    static byte[] payload(String name) throws IOException {
        try (InputStream in = XWebhookHandlerTest.class.getResourceAsStream("/payloads/" + name)) {
            return in.readAllBytes();
        }
    }

    private XWebhookHandler.Result post(byte[] body, String signature) {
        return handler.handle("demo", h -> XSignatures.SIGNATURE_HEADER.equals(h) ? signature : null, body)
                .toCompletableFuture().join();
    }

    private XWebhookHandler.Result signed(byte[] body) {
        return post(body, XSignatures.sign(Instances.CONSUMER_SECRET, body));
    }

    private static JsonNode json(XWebhookHandler.Result result) throws IOException {
        return XWebhookHandler.JSON.readTree(result.body());
    }

    @Test
    void theCrcIsAnsweredWithTheResponseTokenOfTheConsumerSecret() throws Exception {
        XWebhookHandler.Result crc = handler.crc("demo", "9b4507b3-9040-4669-9ca3-6b94edb50553");

        assertThat(crc.status()).isEqualTo(200);
        assertThat(json(crc).path("response_token").asText())
                .isEqualTo("sha256=Cytd4Sq+NvEcV3MMrXxWJGJx5A+y/lXzzU2Maartkx8=");
        assertThat(crc.body()).doesNotContain(Instances.CONSUMER_SECRET);
        assertThat(handler.crc("demo", null).status()).isEqualTo(400);
        assertThat(handler.crc("nobody", "t").status()).isEqualTo(404);
        assertThat(handler.crc("stopped", "t").status()).isEqualTo(503);
    }

    @Test
    void aMentionIsAPublicMessageOfItsAuthorThreadedOnItsPost() throws Exception {
        XWebhookHandler.Result result = signed(payload("mention.json"));

        assertThat(result.status()).isEqualTo(200);
        assertThat(json(result).path("stored").asInt()).isEqualTo(1);
        Message m = stored.get("1336950233925439489");
        assertThat(m.channel()).isEqualTo("x");
        assertThat(m.instance()).isEqualTo("demo");
        assertThat(m.visibility()).isEqualTo(Visibility.PUBLIC);
        assertThat(m.author().handle()).isEqualTo("3001969357");
        assertThat(m.author().displayName()).isEqualTo("Jordan Brinks (@furiouscamper)");
        assertThat(m.author().reach()).isEqualTo(22);
        assertThat(m.text()).isEqualTo("@XDevelopers my order 5521 never arrived and nobody answers the phone");
        assertThat(m.threadRef()).isEqualTo("post:1336950233925439489");
        assertThat(m.rawPayload()).isEqualTo(new String(payload("mention.json"), StandardCharsets.UTF_8));
    }

    @Test
    void aReplyJoinsThePostItAnswersWithItsFullText() throws Exception {
        assertThat(signed(payload("reply.json")).status()).isEqualTo(200);

        Message m = stored.get("1336952069088706560");
        assertThat(m.threadRef()).isEqualTo("post:1336950233925439489");
        assertThat(m.visibility()).isEqualTo(Visibility.PUBLIC);
        assertThat(m.text()).startsWith("@XDevelopers still nothing").endsWith("with your warehouse? \u4f60\u597d \ud83d\ude21");
    }

    @Test
    void aDirectMessageIsPrivateWithItsSenderFromTheUsersMap() throws Exception {
        assertThat(signed(payload("dm.json")).status()).isEqualTo(200);

        Message m = stored.get("dm:954491830116155396");
        assertThat(m.visibility()).isEqualTo(Visibility.PRIVATE);
        assertThat(m.author().handle()).isEqualTo("3001969357");
        assertThat(m.author().displayName()).isEqualTo("Jordan Brinks (@furiouscamper)");
        assertThat(m.text()).isEqualTo("Hello World! My address is 12 Pearl St, can you check the parcel?");
        assertThat(m.threadRef()).isEqualTo("dm:2244994945-3001969357");
    }

    @Test
    void mediaAreListedOnTheMessageWithoutBeingFetchedInsideTheRequest() throws Exception {
        assertThat(signed(payload("media.json")).status()).isEqualTo(200);

        assertThat(stored.get("1336953000000000001").attachments()).containsExactly(
                new Attachment("EoHtq0yVEAAbroken.jpg", "image/jpeg", 0, null),
                new Attachment("unboxing.jpg", "video/mp4", 0, null));
    }

    @Test
    void whatTheAccountWroteItselfAndOtherEventsAreIgnoredWith200() throws Exception {
        XWebhookHandler.Result own = signed(payload("own.json"));
        XWebhookHandler.Result like = signed(payload("favorite.json"));

        assertThat(own.status()).isEqualTo(200);
        assertThat(json(own).path("ignored").asInt()).isEqualTo(2);
        assertThat(like.status()).isEqualTo(200);
        assertThat(json(like).path("ignored").asInt()).isEqualTo(1);
        assertThat(offered).isEmpty();
    }

    @Test
    void aRedeliveryStoresNothingNewAndAnswers200() throws Exception {
        byte[] body = payload("dm.json");
        signed(body);

        XWebhookHandler.Result again = signed(body);

        assertThat(again.status()).isEqualTo(200);
        assertThat(json(again).path("stored").asInt()).isZero();
        assertThat(json(again).path("duplicates").asInt()).isEqualTo(1);
        assertThat(stored).hasSize(1);
    }

    @Test
    void aForgedOrMissingSignatureIsRefusedBeforeTheBodyIsRead() throws Exception {
        byte[] body = payload("mention.json");

        XWebhookHandler.Result missing = post(body, null);
        XWebhookHandler.Result forged = post(body, XSignatures.sign("not the consumer secret", body));
        byte[] notJson = "{{{".getBytes(StandardCharsets.UTF_8);
        XWebhookHandler.Result forgedGarbage = post(notJson, "sha256=AAAA");

        assertThat(missing.status()).isEqualTo(401);
        assertThat(json(missing).path("error").asText()).isEqualTo("missing x-twitter-webhooks-signature header");
        assertThat(forged.status()).isEqualTo(403);
        assertThat(json(forged).path("error").asText()).isEqualTo("signature does not match");
        // refused for its signature, not for its JSON: nothing was parsed
        assertThat(forgedGarbage.status()).isEqualTo(403);
        assertThat(offered).isEmpty();
        assertThat(demo.health().status()).isEqualTo(ChannelHealth.Status.UP);
    }

    @Test
    void malformedTruncatedAndTrailingBodiesAre400WithTheReasonAndNothingStored() throws Exception {
        byte[] mention = payload("mention.json");
        byte[] truncated = Arrays.copyOf(mention, mention.length / 2);
        byte[] trailing = (new String(mention, StandardCharsets.UTF_8) + " {}").getBytes(StandardCharsets.UTF_8);

        assertThat(json(signed(truncated)).path("error").asText()).startsWith("malformed JSON");
        assertThat(signed(truncated).status()).isEqualTo(400);
        assertThat(signed(trailing).status()).isEqualTo(400);
        assertThat(json(signed(trailing)).path("error").asText()).startsWith("malformed JSON");
        assertThat(json(signed("[]".getBytes(StandardCharsets.UTF_8))).path("error").asText())
                .isEqualTo("the body must be a JSON object");
        assertThat(json(signed("{\"tweet_create_events\":[]}".getBytes(StandardCharsets.UTF_8))).path("error")
                .asText()).isEqualTo("missing field: for_user_id");
        assertThat(json(signed(("{\"for_user_id\":\"2244994945\",\"tweet_create_events\":[{\"id_str\":\"1\","
                + "\"text\":\"hi\"}]}").getBytes(StandardCharsets.UTF_8))).path("error").asText())
                .isEqualTo("missing field: tweet_create_events[0].user");
        assertThat(json(signed(("{\"for_user_id\":\"2244994945\",\"direct_message_events\":{}}")
                .getBytes(StandardCharsets.UTF_8))).path("error").asText())
                .isEqualTo("direct_message_events must be an array");
        // one bad event refuses the whole delivery: nothing half stored
        assertThat(signed(("{\"for_user_id\":\"2244994945\",\"tweet_create_events\":[{\"id_str\":\"7\",\"text\":\"ok\","
                + "\"user\":{\"id_str\":\"9\"}},{\"id_str\":\"8\",\"user\":{\"id_str\":\"9\"}}]}")
                .getBytes(StandardCharsets.UTF_8)).status()).isEqualTo(400);
        assertThat(offered).isEmpty();
        assertThat(demo.health().status()).isEqualTo(ChannelHealth.Status.UP);
    }

    @Test
    void aDeliveryForAnotherAccountIsRefused() throws Exception {
        byte[] body = new String(payload("dm.json"), StandardCharsets.UTF_8)
                .replace("\"for_user_id\": \"2244994945\"", "\"for_user_id\": \"783214\"").getBytes(StandardCharsets.UTF_8);

        XWebhookHandler.Result result = signed(body);

        assertThat(result.status()).isEqualTo(400);
        assertThat(json(result).path("error").asText()).contains("783214").contains("not this door's account");
        assertThat(offered).isEmpty();
    }

    @Test
    void anOversizedBodyIs413AndAnUnknownOrStoppedInstanceSaysSo() throws Exception {
        XWebhookHandler.Result big = handler.handle("demo", h -> null, null).toCompletableFuture().join();
        assertThat(big.status()).isEqualTo(413);
        assertThat(json(big).path("error").asText()).isEqualTo("the body is larger than 1048576 bytes");
        assertThat(handler.handle("nobody", h -> null, new byte[0]).toCompletableFuture().join().status())
                .isEqualTo(404);
        XWebhookHandler.Result stopped = handler.handle("stopped", h -> null, new byte[0]).toCompletableFuture().join();
        assertThat(stopped.status()).isEqualTo(503);
        assertThat(stopped.headers()).containsKey("Retry-After");
        assertThat(offered).isEmpty();
    }

    @Test
    void aDoorWithoutConsumerSecretAnswers503AndIsDownWithWhatToSet() throws Exception {
        XInstance bare = Instances.instance("bare", Map.of("consumerSecret", ""));
        XWebhookHandler h = Instances.handler(n -> bare, n -> true, m -> {
            throw new AssertionError("nothing may be stored");
        });

        XWebhookHandler.Result crc = h.crc("bare", "t");

        assertThat(crc.status()).isEqualTo(503);
        assertThat(bare.health().status()).isEqualTo(ChannelHealth.Status.DOWN);
        assertThat(bare.health().reason()).contains("consumerSecret").contains("org.frontdoor.channel.x~bare");
    }

    @Test
    void aMessageCoreRefusesIs400AndAStoreThatFailsIs503() throws Exception {
        byte[] body = payload("dm.json");
        XWebhookHandler refusing = Instances.handler(n -> demo, n -> true,
                m -> CompletableFuture.failedFuture(new IllegalArgumentException("text too long")));
        XWebhookHandler failing = Instances.handler(n -> demo, n -> true,
                m -> CompletableFuture.failedFuture(new IllegalStateException("database gone")));
        String sig = XSignatures.sign(Instances.CONSUMER_SECRET, body);

        XWebhookHandler.Result refused = refusing.handle("demo", h -> sig, body).toCompletableFuture().join();
        XWebhookHandler.Result failed = failing.handle("demo", h -> sig, body).toCompletableFuture().join();

        assertThat(refused.status()).isEqualTo(400);
        assertThat(json(refused).path("error").asText()).isEqualTo("text too long");
        assertThat(failed.status()).isEqualTo(503);
        assertThat(failed.headers()).containsEntry("Retry-After", "5");
        assertThat(failed.body()).doesNotContain("database gone");
    }
}
