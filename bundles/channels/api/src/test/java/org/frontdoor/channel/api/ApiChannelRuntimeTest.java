package org.frontdoor.channel.api;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.camel.impl.DefaultCamelContext;
import org.frontdoor.api.Frontdoor;
import org.frontdoor.api.Identity;
import org.frontdoor.api.IngestReceipt;
import org.frontdoor.api.Message;
import org.frontdoor.testkit.StandInInbound;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/** The channel's CamelContext against a stand-in for core's {@code frontdoor:} component that answers later. */
class ApiChannelRuntimeTest {

    private final StandInInbound core = new StandInInbound();
    private ApiChannelRuntime runtime;

    @BeforeEach
    void start() throws Exception {
        DefaultCamelContext camel = new DefaultCamelContext();
        camel.addComponent(Frontdoor.SCHEME, core);
        runtime = new ApiChannelRuntime(camel);
    }

    @AfterEach
    void stop() throws Exception {
        runtime.deactivate();
    }

    private static Message message(String externalId) {
        return Message.inbound("api", "demo").externalId(externalId)
                .author(new Identity("api", "c1", null, null, null, 0)).text("Hello").build();
    }

    @Test
    void theCallersThreadHandsTheMessageToCoreAndCoresCallbackCompletesTheStage() throws Exception {
        CompletableFuture<IngestReceipt> stored = runtime.ingest(message("m1"));
        AtomicReference<Thread> completedOn = new AtomicReference<>();
        stored.whenComplete((receipt, failure) -> completedOn.set(Thread.currentThread()));

        assertThat(core.held()).hasSize(1);
        StandInInbound.Held held = core.held().get(0);
        assertThat(held.receivedOn()).isSameAs(Thread.currentThread());
        assertThat(held.exchange().getMessage().getBody(Message.class).externalId()).isEqualTo("m1");
        assertThat(stored).isNotDone();

        Thread acknowledging = StandInInbound.answerFromCore(() -> held.store(new IngestReceipt(5, 6, 7, false)));

        assertThat(stored).isCompletedWithValue(new IngestReceipt(5, 6, 7, false));
        assertThat(completedOn.get()).isSameAs(acknowledging);
    }

    @Test
    void aMessageCoreRefusesFailsTheStageWithCoresOwnException() throws Exception {
        CompletableFuture<IngestReceipt> stored = runtime.ingest(message("m1"));
        IllegalArgumentException refusal = new IllegalArgumentException("text is too long");
        assertThat(core.held()).hasSize(1);

        StandInInbound.answerFromCore(() -> core.held().get(0).refuse(refusal));

        assertThat(catchThrowable(stored::join)).isInstanceOf(CompletionException.class).cause().isSameAs(refusal);
    }

    @Test
    void aSignedWebhookIsAnswered202OnlyOnceCoreHasStoredIt() throws Exception {
        ApiInstance demo = Instances.instance("demo", "secret", "http://127.0.0.1:9/cb");
        runtime.addInstance(demo);
        WebhookHandler handler = new WebhookHandler(runtime::instance, name -> false, runtime::ingest);
        byte[] body = "{\"id\":\"m1\",\"from\":{\"id\":\"c1\"},\"text\":\"Hello\"}".getBytes(StandardCharsets.UTF_8);
        long now = System.currentTimeMillis() / 1000;
        Map<String, String> headers = Map.of(Signatures.TIMESTAMP_HEADER, Long.toString(now),
                Signatures.SIGNATURE_HEADER, Signatures.sign("secret", now, body));

        CompletableFuture<WebhookHandler.Result> answer = handler.handle("demo", headers::get, body)
                .toCompletableFuture();
        assertThat(answer).isNotDone();
        assertThat(core.held()).hasSize(1);
        StandInInbound.answerFromCore(() -> core.held().get(0).store(new IngestReceipt(5, 6, 7, false)));

        assertThat(answer).isCompleted();
        assertThat(answer.join().status()).isEqualTo(202);
    }
}
