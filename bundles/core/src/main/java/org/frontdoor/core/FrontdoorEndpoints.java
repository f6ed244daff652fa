package org.frontdoor.core;

import java.util.function.Predicate;

import org.apache.camel.Consumer;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.support.DefaultConsumer;
import org.apache.camel.support.DefaultEndpoint;
import org.apache.camel.support.DefaultProducer;
import org.frontdoor.api.ConversationEvent;
import org.frontdoor.api.Frontdoor;
import org.frontdoor.api.IngestReceipt;
import org.frontdoor.api.Message;
import org.frontdoor.api.OutboundReply;

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
            return new DefaultProducer(this) {
                @Override
                public void process(Exchange exchange) throws Exception {
                    Message message = exchange.getMessage().getMandatoryBody(Message.class);
                    IngestReceipt receipt = pipeline.ingest(message);
                    exchange.getMessage().setBody(receipt);
                    exchange.getMessage().setHeader(Frontdoor.HEADER_MESSAGE_ID, receipt.messageId());
                    exchange.getMessage().setHeader(Frontdoor.HEADER_CONVERSATION_ID, receipt.conversationId());
                }
            };
        }

        @Override
        public Consumer createConsumer(Processor processor) {
            throw new UnsupportedOperationException("frontdoor:inbound only takes messages: to(\"frontdoor:inbound\")");
        }
    }

    /** {@code from("frontdoor:outbound?channel=ID")}: replies to send; an exception schedules a retry. */
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
            public void send(OutboundReply reply) throws Exception {
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
                } finally {
                    releaseExchange(exchange, false);
                }
            }
        }
    }

    /** {@code from("frontdoor:events?type=routed&department=sales")}: conversation events. */
    static final class Events extends DefaultEndpoint {
        private final EventBus bus;
        private final Predicate<ConversationEvent> filter;

        Events(String uri, FrontdoorComponent component, EventBus bus, ConversationEvent.Type type, String department) {
            super(uri, component);
            this.bus = bus;
            this.filter = EventBus.filter(type, department);
        }

        @Override
        public Producer createProducer() {
            throw new UnsupportedOperationException("frontdoor:events is published by core: from(\"frontdoor:events\")");
        }

        @Override
        public Consumer createConsumer(Processor processor) {
            return new EventsConsumer(this, processor);
        }

        private final class EventsConsumer extends DefaultConsumer implements EventBus.Subscriber {
            EventsConsumer(Events endpoint, Processor processor) {
                super(endpoint, processor);
            }

            @Override
            protected void doStart() throws Exception {
                super.doStart();
                bus.subscribe(this);
            }

            @Override
            protected void doStop() throws Exception {
                bus.unsubscribe(this);
                super.doStop();
            }

            @Override
            public boolean wants(ConversationEvent event) {
                return filter.test(event);
            }

            @Override
            public void deliver(ConversationEvent event) throws Exception {
                Exchange exchange = createExchange(false);
                try {
                    exchange.getMessage().setBody(event);
                    exchange.getMessage().setHeader(Frontdoor.HEADER_CONVERSATION_ID, event.conversationId());
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
