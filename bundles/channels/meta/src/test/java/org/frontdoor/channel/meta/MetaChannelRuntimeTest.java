package org.frontdoor.channel.meta;

import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.apache.camel.impl.DefaultCamelContext;
import org.frontdoor.api.Frontdoor;
import org.frontdoor.api.IngestReceipt;
import org.frontdoor.api.Message;
import org.frontdoor.testkit.StandInInbound;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The Meta door's CamelContext against a stand-in for core's {@code frontdoor:} component that answers later. */
class MetaChannelRuntimeTest {

    private final StandInInbound core = new StandInInbound();
    private final Receipts receipts = new Receipts();
    private MetaChannelRuntime runtime;

    @BeforeEach
    void start() throws Exception {
        DefaultCamelContext camel = new DefaultCamelContext();
        camel.addComponent(Frontdoor.SCHEME, core);
        runtime = new MetaChannelRuntime(camel, reply -> java.util.Optional.empty(), receipts::add);
    }

    @AfterEach
    void stop() throws Exception {
        runtime.deactivate();
    }

    @Test
    void aSignedDeliveryIsAnswered200OnlyOnceCoreHasStoredIt() throws Exception {
        MetaInstance demo = Instances.instance("demo", Map.of());
        runtime.addInstance(demo);
        MetaWebhookHandler handler = new MetaWebhookHandler(runtime::instance, name -> false, runtime::ingest,
                runtime::report);
        byte[] body = MetaWebhookHandlerTest.payload("page-comment");
        String signature = MetaSignatures.sign(Instances.APP_SECRET, body);

        CompletableFuture<MetaWebhookHandler.Result> answer = handler.handle("demo",
                h -> MetaSignatures.SIGNATURE_HEADER.equals(h) ? signature : null, body).toCompletableFuture();
        assertThat(answer).isNotDone();
        assertThat(core.held()).hasSize(1);
        assertThat(core.held().get(0).exchange().getMessage().getBody(Message.class).externalId())
                .isEqualTo("444444444_555555555");
        StandInInbound.answerFromCore(() -> core.held().get(0).store(new IngestReceipt(5, 6, 7, false)));

        assertThat(answer).isCompleted();
        assertThat(answer.join().status()).isEqualTo(200);
        assertThat(answer.join().body()).isEqualTo("{\"stored\":1,\"duplicates\":0,\"ignored\":0,\"statuses\":0,"
                + "\"receipts\":0}");
    }

    @Test
    void aStoreThatFailsIsAnswered503SoThatMetaDeliversAgain() throws Exception {
        runtime.addInstance(Instances.instance("demo", Map.of()));
        MetaWebhookHandler handler = new MetaWebhookHandler(runtime::instance, name -> false, runtime::ingest,
                runtime::report);
        byte[] body = MetaWebhookHandlerTest.payload("whatsapp-text");
        String signature = MetaSignatures.sign(Instances.APP_SECRET, body);

        CompletableFuture<MetaWebhookHandler.Result> answer = handler.handle("demo", h -> signature, body)
                .toCompletableFuture();
        StandInInbound.answerFromCore(() -> core.held().get(0).refuse(new IllegalStateException("the database is gone")));

        assertThat(answer.join().status()).isEqualTo(503);
    }
}
