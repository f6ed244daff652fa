package org.frontdoor.channel.api;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import com.fasterxml.jackson.databind.JsonNode;
import org.frontdoor.api.IngestReceipt;
import org.frontdoor.api.Message;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class WebhookHandlerTest {

    private static final long NOW = 1_700_000_000L;
    private final ApiInstance demo = Instances.instance("demo", "secret", "http://127.0.0.1:9/cb");
    private final List<Message> ingested = new ArrayList<>();
    private final Map<String, IngestReceipt> store = new HashMap<>();
    /** What core does with a message, answered at once (the handler takes a stage). */
    private interface Core {
        IngestReceipt ingest(Message message) throws Exception;
    }

    private Core ingest = message -> {
        ingested.add(message);
        IngestReceipt first = store.get(message.externalId());
        if (first != null) {
            return new IngestReceipt(first.messageId(), first.conversationId(), first.customerId(), true);
        }
        IngestReceipt receipt = new IngestReceipt(store.size() + 1, 100, 7, false);
        store.put(message.externalId(), receipt);
        return receipt;
    };

    private WebhookHandler.Result post(String instance, String body, String secret, long timestamp) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        Map<String, String> headers = Map.of(Signatures.TIMESTAMP_HEADER, Long.toString(timestamp),
                Signatures.SIGNATURE_HEADER, Signatures.sign(secret, timestamp, bytes));
        return new WebhookHandler(name -> name.equals("demo") ? demo : null, name -> name.equals("broken"),
                m -> CompletableFuture.completedFuture(ingest.ingest(m)), () -> NOW)
                .handle(instance, headers::get, bytes).toCompletableFuture().join();
    }

    private WebhookHandler.Result post(String body) {
        return post("demo", body, "secret", NOW);
    }

    private static JsonNode json(WebhookHandler.Result result) throws Exception {
        return WebhookHandler.JSON.readTree(result.body());
    }

    @Test
    void storesASignedMessageAndAnswers202WithItsIds() throws Exception {
        WebhookHandler.Result result = post("{\"id\":\"m1\",\"from\":{\"id\":\"c1\",\"name\":\"Ann\",\"email\":\"a@x.org\","
                + "\"phone\":\"+4912345\"},\"text\":\"Hello\",\"thread\":\"t1\"}");

        assertThat(result.status()).isEqualTo(202);
        assertThat(json(result).path("messageId").asLong()).isEqualTo(1);
        assertThat(json(result).path("conversationId").asLong()).isEqualTo(100);
        assertThat(json(result).path("customerId").asLong()).isEqualTo(7);
        Message m = ingested.get(0);
        assertThat(m.channel()).isEqualTo("api");
        assertThat(m.instance()).isEqualTo("demo");
        assertThat(m.externalId()).isEqualTo("m1");
        assertThat(m.author().handle()).isEqualTo("c1");
        assertThat(m.author().displayName()).isEqualTo("Ann");
        assertThat(m.author().email()).isEqualTo("a@x.org");
        assertThat(m.author().phone()).isEqualTo("+4912345");
        assertThat(m.threadRef()).isEqualTo("t1");
        assertThat(m.text()).isEqualTo("Hello");
        assertThat(m.rawPayload()).contains("\"m1\"");
    }

    @Test
    void aRepeatAnswers200WithTheSameIds() throws Exception {
        String body = "{\"id\":\"m1\",\"from\":{\"id\":\"c1\"},\"text\":\"Hello\"}";
        WebhookHandler.Result first = post(body);
        WebhookHandler.Result repeat = post(body);

        assertThat(repeat.status()).isEqualTo(200);
        assertThat(json(repeat).path("messageId")).isEqualTo(json(first).path("messageId"));
        assertThat(json(repeat).path("duplicate").asBoolean()).isTrue();
    }

    @Test
    void aBadSignatureIs401AndNothingIsStored() throws Exception {
        WebhookHandler.Result forged = post("demo", "{\"id\":\"m1\",\"from\":{\"id\":\"c\"},\"text\":\"x\"}", "guess", NOW);
        WebhookHandler.Result stale = post("demo", "{\"id\":\"m2\",\"from\":{\"id\":\"c\"},\"text\":\"x\"}", "secret",
                NOW - 301);

        assertThat(forged.status()).isEqualTo(401);
        assertThat(json(forged).path("error").asText()).isEqualTo("signature does not match");
        assertThat(stale.status()).isEqualTo(401);
        assertThat(ingested).isEmpty();
    }

    @Test
    void theSignatureIsCheckedBeforeTheJson() throws Exception {
        WebhookHandler.Result result = post("demo", "{not json", "guess", NOW);

        assertThat(result.status()).isEqualTo(401);
    }

    @Test
    void malformedJsonOrAMissingFieldIs400NamingIt() throws Exception {
        assertThat(json(post("{\"id\": ")).path("error").asText()).startsWith("malformed JSON");
        assertThat(json(post("[1,2]")).path("error").asText()).contains("JSON object");
        assertThat(json(post("{\"from\":{\"id\":\"c\"},\"text\":\"x\"}")).path("error").asText()).isEqualTo("missing field: id");
        assertThat(json(post("{\"id\":\"m\",\"text\":\"x\"}")).path("error").asText()).contains("from");
        assertThat(json(post("{\"id\":\"m\",\"from\":{\"name\":\"n\"},\"text\":\"x\"}")).path("error").asText())
                .isEqualTo("missing field: from.id");
        assertThat(json(post("{\"id\":\"m\",\"from\":{\"id\":\"c\"}}")).path("error").asText()).isEqualTo("missing field: text");
        assertThat(json(post("{\"id\":\"m\",\"from\":{\"id\":\"c\"},\"text\":\"  \"}")).path("error").asText())
                .contains("text must not be blank");
        assertThat(json(post("{\"id\":\"m\",\"from\":{\"id\":\"c\",\"email\":5},\"text\":\"x\"}")).path("error").asText())
                .contains("from.email");
        assertThat(post("{\"id\":\"m\",\"from\":{\"id\":\"c\"}}").status()).isEqualTo(400);
        assertThat(ingested).isEmpty();
    }

    @Test
    void aBodyWithBytesAfterItsJsonIsMalformed() throws Exception {
        String valid = "{\"id\":\"m1\",\"from\":{\"id\":\"c\"},\"text\":\"x\"}";
        for (String trailing : new String[] {"{}", "x", " [1]", valid}) {
            WebhookHandler.Result result = post(valid + trailing);
            assertThat(result.status()).as(trailing).isEqualTo(400);
            assertThat(json(result).path("error").asText()).as(trailing).startsWith("malformed JSON");
        }
        assertThat(ingested).isEmpty();
        // white space after the JSON is still the same JSON
        assertThat(post(valid + " \n").status()).isEqualTo(202);
    }

    @Test
    void aMessageCoreRefusesIs400WithCoresReason() throws Exception {
        ingest = m -> {
            throw new IllegalArgumentException("text is 70000 characters long, at most 65536");
        };
        WebhookHandler.Result result = post("{\"id\":\"m\",\"from\":{\"id\":\"c\"},\"text\":\"x\"}");

        assertThat(result.status()).isEqualTo(400);
        assertThat(json(result).path("error").asText()).contains("at most 65536");
    }

    @Test
    void whenCoreCannotStoreItIs503WithRetryAfter() {
        ingest = m -> {
            throw new IllegalStateException("the message was not stored within 30 s");
        };
        WebhookHandler.Result result = post("{\"id\":\"m\",\"from\":{\"id\":\"c\"},\"text\":\"x\"}");

        assertThat(result.status()).isEqualTo(503);
        assertThat(result.headers()).containsKey("Retry-After");
    }

    @Test
    void theAnswerWaitsUntilCoreHasStoredTheMessageAndCarriesCoresLaterVerdict() throws Exception {
        byte[] body = "{\"id\":\"m\",\"from\":{\"id\":\"c\"},\"text\":\"x\"}".getBytes(StandardCharsets.UTF_8);
        Map<String, String> headers = Map.of(Signatures.TIMESTAMP_HEADER, Long.toString(NOW),
                Signatures.SIGNATURE_HEADER, Signatures.sign("secret", NOW, body));
        List<CompletableFuture<IngestReceipt>> pending = new ArrayList<>();
        WebhookHandler handler = new WebhookHandler(n -> demo, n -> false, m -> {
            CompletableFuture<IngestReceipt> stored = new CompletableFuture<>();
            pending.add(stored);
            return stored;
        }, () -> NOW);

        CompletableFuture<WebhookHandler.Result> stored = handler.handle("demo", headers::get, body).toCompletableFuture();
        CompletableFuture<WebhookHandler.Result> refused = handler.handle("demo", headers::get, body).toCompletableFuture();
        CompletableFuture<WebhookHandler.Result> failed = handler.handle("demo", headers::get, body).toCompletableFuture();

        assertThat(pending).hasSize(3);
        assertThat(stored).isNotDone();
        pending.get(0).complete(new IngestReceipt(5, 6, 7, false));
        pending.get(1).completeExceptionally(new IllegalArgumentException("text is too long"));
        pending.get(2).completeExceptionally(new IllegalStateException("the message was not stored within 30 s"));

        assertThat(stored.join().status()).isEqualTo(202);
        assertThat(json(stored.join()).path("messageId").asLong()).isEqualTo(5);
        assertThat(refused.join().status()).isEqualTo(400);
        assertThat(json(refused.join()).path("error").asText()).isEqualTo("text is too long");
        assertThat(failed.join().status()).isEqualTo(503);
        assertThat(failed.join().headers()).containsEntry("Retry-After", "5");
        assertThat(json(failed.join()).path("error").asText()).doesNotContain("30 s");
    }

    @Test
    void anUnknownInstanceIs404AndAnOversizedBody413() {
        assertThat(post("shop", "{}", "secret", NOW).status()).isEqualTo(404);
        WebhookHandler handler = new WebhookHandler(n -> demo, n -> true, m -> CompletableFuture.completedFuture(ingest.ingest(m)), () -> NOW);
        assertThat(handler.handle("demo", h -> null, null).toCompletableFuture().join().status()).isEqualTo(413);
    }

    @Test
    void anInstanceThatIsConfiguredButNotRunningIs503SoTheSenderRetries() {
        WebhookHandler.Result result = post("broken", "{}", "secret", NOW);

        assertThat(result.status()).isEqualTo(503);
        assertThat(result.headers()).containsKey("Retry-After");
        assertThat(ingested).isEmpty();
    }

    @Test
    void anInstanceWithoutASecretIs503WithTheReason() throws Exception {
        ApiInstance unusable = new ApiInstance(Instances.registeringOnly(), Instances.config("", "http://x/", 10),
                Map.of("service.pid", "org.frontdoor.channel.api~shop"));
        WebhookHandler handler = new WebhookHandler(n -> unusable, n -> true, m -> CompletableFuture.completedFuture(ingest.ingest(m)), () -> NOW);

        WebhookHandler.Result result = handler.handle("shop", h -> null, new byte[0]).toCompletableFuture().join();

        assertThat(result.status()).isEqualTo(503);
        assertThat(json(result).path("error").asText()).contains("no secret");
        assertThat(ingested).isEmpty();
    }

    @Test
    void thePathNamesOneInstance() {
        assertThat(WebhookServlet.instanceName("/demo")).isEqualTo("demo");
        assertThat(WebhookServlet.instanceName("/")).isNull();
        assertThat(WebhookServlet.instanceName(null)).isNull();
        assertThat(WebhookServlet.instanceName("/demo/extra")).isNull();
    }
}
