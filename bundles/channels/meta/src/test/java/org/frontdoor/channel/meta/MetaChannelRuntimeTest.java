package org.frontdoor.channel.meta;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.camel.AsyncCallback;
import org.apache.camel.Consumer;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultAsyncProducer;
import org.apache.camel.support.DefaultComponent;
import org.apache.camel.support.DefaultConsumer;
import org.apache.camel.support.DefaultEndpoint;
import org.frontdoor.api.Frontdoor;
import org.frontdoor.api.IngestReceipt;
import org.frontdoor.api.Message;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The Meta door's CamelContext against a stand-in for core's {@code frontdoor:} component that answers later. */
class MetaChannelRuntimeTest {

    private final StandInCore core = new StandInCore();
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

    /** A message core holds, with what it needs to answer later. */
    private record Held(Exchange exchange, AsyncCallback callback, Thread receivedOn) {
        void store(IngestReceipt receipt) {
            exchange.getMessage().setBody(receipt);
            callback.done(false);
        }

        void refuse(Exception reason) {
            exchange.setException(reason);
            callback.done(false);
        }
    }

    /** Like core: {@code frontdoor:inbound} keeps the message and answers from another thread, once it is durable. */
    private static final class StandInCore extends DefaultComponent {
        final List<Held> held = new CopyOnWriteArrayList<>();

        @Override
        protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) {
            parameters.clear(); // outbound's channel option means nothing to the stand-in
            return new DefaultEndpoint(uri, this) {
                @Override
                public Producer createProducer() {
                    return new DefaultAsyncProducer(this) {
                        @Override
                        public boolean process(Exchange exchange, AsyncCallback callback) {
                            held.add(new Held(exchange, callback, Thread.currentThread()));
                            return false;
                        }
                    };
                }

                @Override
                public Consumer createConsumer(Processor processor) {
                    return new DefaultConsumer(this, processor);
                }
            };
        }
    }

    /** Runs {@code answer} on a thread of its own, as core's acknowledging thread, and returns that thread. */
    private static Thread answerFromCore(Runnable answer) throws InterruptedException {
        Thread acknowledging = new Thread(answer, "core-acknowledging");
        acknowledging.start();
        acknowledging.join();
        return acknowledging;
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
        assertThat(core.held).hasSize(1);
        assertThat(core.held.get(0).exchange().getMessage().getBody(Message.class).externalId())
                .isEqualTo("444444444_555555555");
        answerFromCore(() -> core.held.get(0).store(new IngestReceipt(5, 6, 7, false)));

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
        answerFromCore(() -> core.held.get(0).refuse(new IllegalStateException("the database is gone")));

        assertThat(answer.join().status()).isEqualTo(503);
    }
}
