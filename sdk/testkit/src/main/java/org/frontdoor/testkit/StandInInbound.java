package org.frontdoor.testkit;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.camel.AsyncCallback;
import org.apache.camel.Consumer;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.support.DefaultAsyncProducer;
import org.apache.camel.support.DefaultComponent;
import org.apache.camel.support.DefaultConsumer;
import org.apache.camel.support.DefaultEndpoint;
import org.frontdoor.api.IngestReceipt;

/**
 * A stand-in for core's {@code frontdoor:} Camel component on the inbound side, for a door's unit tests without a
 * distribution: {@code to("frontdoor:inbound")} keeps each message, unanswered, as core does until the message is
 * durable; the test answers it later, from a thread of its choice, with {@link Held#store} or {@link Held#refuse}.
 * Outbound endpoints ({@code from("frontdoor:outbound?channel=...")}) are accepted and stay silent.
 *
 * <pre>{@code
 * StandInInbound core = new StandInInbound();
 * DefaultCamelContext camel = new DefaultCamelContext();
 * camel.addComponent(Frontdoor.SCHEME, core);
 * // ... the door's runtime on camel, a webhook delivered ...
 * await().until(() -> core.held().size() == 1);
 * Thread acknowledging = StandInInbound.answerFromCore(() -> core.held().get(0).store(new IngestReceipt(1, 1, 1, false)));
 * }</pre>
 */
public final class StandInInbound extends DefaultComponent {

    /** A message core holds, with what it needs to answer later, and the thread that handed it over. */
    public record Held(Exchange exchange, AsyncCallback callback, Thread receivedOn) {

        /** Core stored it durably: the door's stage completes with this receipt. */
        public void store(IngestReceipt receipt) {
            exchange.getMessage().setBody(receipt);
            callback.done(false);
        }

        /** Core refused it (an {@link IllegalArgumentException} for a message core will never take, say). */
        public void refuse(Exception reason) {
            exchange.setException(reason);
            callback.done(false);
        }
    }

    private final List<Held> held = new CopyOnWriteArrayList<>();

    /** The messages handed to {@code frontdoor:inbound} so far, in order. */
    public List<Held> held() {
        return held;
    }

    /** Runs {@code answer} on a thread of its own, as core's acknowledging thread, and returns that thread. */
    public static Thread answerFromCore(Runnable answer) throws InterruptedException {
        Thread acknowledging = new Thread(answer, "core-acknowledging");
        acknowledging.start();
        acknowledging.join();
        return acknowledging;
    }

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
