package org.frontdoor.core;

import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import org.apache.camel.AsyncCallback;
import org.apache.camel.Consumer;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.support.DefaultAsyncProducer;
import org.apache.camel.support.DefaultConsumer;
import org.apache.camel.support.DefaultEndpoint;
import org.frontdoor.api.ConversationEvent;
import org.frontdoor.api.EventFilter;
import org.frontdoor.api.Frontdoor;
import org.frontdoor.api.IngestReceipt;
import org.frontdoor.api.Message;
import org.frontdoor.api.OutboundReply;
import org.frontdoor.api.delivery.DeliveryReceipts;

/** The three endpoints of the {@code frontdoor:} component. */
final class FrontdoorEndpoints {

    private FrontdoorEndpoints() {
    }

    /** {@code to("frontdoor:inbound")}: returns once the message is durably stored. */
    static final class Inbound extends DefaultEndpoint {
        private final Pipeline pipeline;

        Inbound(String uri, FrontdoorComponent component, Pipeline pipeline) {
            super(uri, component);
            this.pipeline = pipeline;
        }

        @Override
        public Producer createProducer() {
            return new DefaultAsyncProducer(this) {
                @Override
                public boolean process(Exchange exchange, AsyncCallback callback) {
                    CompletableFuture<IngestReceipt> stored;
                    try {
                        stored = pipeline.ingest(exchange.getMessage().getMandatoryBody(Message.class));
                    } catch (Exception e) {
                        exchange.setException(e);
                        callback.done(true);
                        return true;
                    }
                    if (stored.isDone()) {
                        answer(exchange, stored);
                        callback.done(true);
                        return true;
                    }
                    // the caller's thread is free while the group commits; the writer's side continues the exchange
                    stored.whenComplete((receipt, failure) -> {
                        answer(exchange, stored);
                        callback.done(false);
                    });
                    return false;
                }
            };
        }

        private static void answer(Exchange exchange, CompletableFuture<IngestReceipt> stored) {
            try {
                IngestReceipt receipt = stored.join();
                exchange.getMessage().setBody(receipt);
                exchange.getMessage().setHeader(Frontdoor.HEADER_MESSAGE_ID, receipt.messageId());
                exchange.getMessage().setHeader(Frontdoor.HEADER_CONVERSATION_ID, receipt.conversationId());
            } catch (CompletionException | CancellationException e) {
                exchange.setException(e.getCause() != null ? e.getCause() : e);
            }
        }

        @Override
        public Consumer createConsumer(Processor processor) {
            throw new UnsupportedOperationException("frontdoor:inbound only takes messages: to(\"frontdoor:inbound\")");
        }
    }

    /**
     * {@code from("frontdoor:outbound?channel=ID")}: replies to send; a {@link org.frontdoor.api.ReplyRefusedException}
     * fails the reply for good, any other exception schedules a retry.
     */
    static final class Outbound extends DefaultEndpoint {
        private final Outbox outbox;
        private final String channel;

        Outbound(String uri, FrontdoorComponent component, Outbox outbox, String channel) {
            super(uri, component);
            this.outbox = outbox;
            this.channel = channel;
        }

        @Override
        public Producer createProducer() {
            throw new UnsupportedOperationException("frontdoor:outbound hands out replies: from(\"" + getEndpointUri()
                    + "\"); agents queue replies through the inbox");
        }

        @Override
        public Consumer createConsumer(Processor processor) {
            return new OutboundConsumer(this, processor);
        }

        private final class OutboundConsumer extends DefaultConsumer implements Outbox.Sender {
            OutboundConsumer(Outbound endpoint, Processor processor) {
                super(endpoint, processor);
            }

            @Override
            protected void doStart() throws Exception {
                super.doStart();
                outbox.register(this);
            }

            @Override
            protected void doStop() throws Exception {
                outbox.unregister(this);
                super.doStop();
            }

            @Override
            public String channel() {
                return channel;
            }

            @Override
            public String send(OutboundReply reply) throws Exception {
                Exchange exchange = createExchange(false);
                try {
                    exchange.getMessage().setBody(reply);
                    exchange.getMessage().setHeader(Frontdoor.HEADER_REPLY_ID, reply.replyId());
                    exchange.getMessage().setHeader(Frontdoor.HEADER_CONVERSATION_ID, reply.conversationId());
                    exchange.getMessage().setHeader(Frontdoor.HEADER_INSTANCE, reply.instance());
                    exchange.getMessage().setHeader(Frontdoor.HEADER_ATTEMPT, reply.attempt());
                    getProcessor().process(exchange);
                    if (exchange.getException() != null) {
                        throw exchange.getException();
                    }
                    return exchange.getMessage().getHeader(DeliveryReceipts.HEADER_VENDOR_ID, String.class);
                } finally {
                    releaseExchange(exchange, false);
                }
            }
        }
    }

    /** {@code from("frontdoor:events?consumer=crm&types=routed&department=sales")}: the event log, from a position. */
    static final class Events extends DefaultEndpoint {
        private final EventConsumers consumers;
        private final String consumer;
        private final EventFilter filter;
        private final EventConsumers.Start start;

        Events(String uri, FrontdoorComponent component, EventConsumers consumers, String consumer,
               EventFilter filter, EventConsumers.Start start) {
            super(uri, component);
            this.consumers = consumers;
            this.consumer = consumer;
            this.filter = filter;
            this.start = start;
        }

        @Override
        public Producer createProducer() {
            throw new UnsupportedOperationException("frontdoor:events is written by core: from(\"frontdoor:events"
                    + "?consumer=NAME\")");
        }

        @Override
        public Consumer createConsumer(Processor processor) {
            return new EventsConsumer(this, processor);
        }

        private final class EventsConsumer extends DefaultConsumer {
            private EventConsumers.Runner runner;

            EventsConsumer(Events endpoint, Processor processor) {
                super(endpoint, processor);
            }

            @Override
            protected void doStart() throws Exception {
                super.doStart();
                runner = consumers.start(consumer, filter, start, this::deliver);
            }

            @Override
            protected void doStop() throws Exception {
                if (runner != null) {
                    runner.stop();
                    runner = null;
                }
                super.doStop();
            }

            private void deliver(ConversationEvent event, EventConsumers.Delivered how) throws Exception {
                Exchange exchange = createExchange(false);
                try {
                    exchange.getMessage().setBody(event);
                    exchange.getMessage().setHeader(Frontdoor.HEADER_LEASE_GENERATION, how.generation());
                    if (how.missed() != null) {
                        exchange.getMessage().setHeader(Frontdoor.HEADER_EVENTS_MISSED, how.missed());
                    }
                    exchange.getMessage().setHeader(Frontdoor.HEADER_CONVERSATION_ID, event.conversationId());
                    exchange.getMessage().setHeader(Frontdoor.HEADER_EVENT_POSITION, event.position());
                    exchange.getMessage().setHeader(Frontdoor.HEADER_EVENT_TYPE, event.type().id());
                    getProcessor().process(exchange);
                    if (exchange.getException() != null) {
                        throw exchange.getException();
                    }
                } finally {
                    releaseExchange(exchange, false);
                }
            }
        }
    }
}
