package org.frontdoor.channel.x;

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

/** The X door's CamelContext against a stand-in for core's {@code frontdoor:} component that answers later. */
class XChannelRuntimeTest {

    private final StandInInbound core = new StandInInbound();
    private XChannelRuntime runtime;

    @BeforeEach
    void start() throws Exception {
        DefaultCamelContext camel = new DefaultCamelContext();
        camel.addComponent(Frontdoor.SCHEME, core);
        runtime = new XChannelRuntime(camel);
    }

    @AfterEach
    void stop() throws Exception {
        runtime.deactivate();
    }

    @Test
    void aSignedDeliveryIsAnswered200OnlyOnceCoreHasStoredIt() throws Exception {
        XInstance demo = Instances.instance("demo", Map.of());
        runtime.addInstance(demo);
        XWebhookHandler handler = Instances.handler(runtime::instance, name -> false, runtime::ingest);
        byte[] body = XWebhookHandlerTest.payload("mention.json");
        String signature = XSignatures.sign(Instances.CONSUMER_SECRET, body);

        CompletableFuture<XWebhookHandler.Result> answer = handler.handle("demo",
                h -> XSignatures.SIGNATURE_HEADER.equals(h) ? signature : null, body).toCompletableFuture();
        assertThat(answer).isNotDone();
        assertThat(core.held()).hasSize(1);
        assertThat(core.held().get(0).exchange().getMessage().getBody(Message.class).externalId())
                .isEqualTo("1336950233925439489");
        StandInInbound.answerFromCore(() -> core.held().get(0).store(new IngestReceipt(5, 6, 7, false)));

        assertThat(answer).isCompleted();
        assertThat(answer.join().status()).isEqualTo(200);
        assertThat(answer.join().body()).isEqualTo("{\"stored\":1,\"duplicates\":0,\"ignored\":0}");
    }

    @Test
    void aStoreThatFailsIsAnswered503SoThatXDeliversAgain() throws Exception {
        runtime.addInstance(Instances.instance("demo", Map.of()));
        XWebhookHandler handler = Instances.handler(runtime::instance, name -> false, runtime::ingest);
        byte[] body = XWebhookHandlerTest.payload("dm.json");
        String signature = XSignatures.sign(Instances.CONSUMER_SECRET, body);

        CompletableFuture<XWebhookHandler.Result> answer = handler.handle("demo", h -> signature, body)
                .toCompletableFuture();
        StandInInbound.answerFromCore(() -> core.held().get(0).refuse(new IllegalStateException("the database is gone")));

        assertThat(answer.join().status()).isEqualTo(503);
    }
}
