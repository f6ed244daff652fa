package org.frontdoor.plugin.camel;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.camel.Consumer;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultComponent;
import org.apache.camel.support.DefaultConsumer;
import org.apache.camel.support.DefaultEndpoint;
import org.apache.camel.support.DefaultProducer;
import org.frontdoor.api.Channel;
import org.frontdoor.api.ChannelCapabilities;
import org.frontdoor.api.ChannelHealth;
import org.frontdoor.api.Frontdoor;
import org.frontdoor.api.Identity;
import org.frontdoor.api.IngestReceipt;
import org.frontdoor.api.Message;
import org.frontdoor.api.OutboundReply;
import org.frontdoor.api.Visibility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/** A door's context against a stand-in for core's {@code frontdoor:} component. */
class DoorContextTest {

    private final StandInCore core = new StandInCore();
    private final List<OutboundReply> sent = new CopyOnWriteArrayList<>();
    private DoorContext door;

    /** {@code frontdoor:inbound} stores a message with text and refuses one without; outbound consumers are kept. */
    private static final class StandInCore extends DefaultComponent {
        final Map<String, DefaultConsumer> consumers = new java.util.concurrent.ConcurrentHashMap<>();

        @Override
        protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) {
            Object channel = parameters.remove("channel");
            parameters.clear();
            return new DefaultEndpoint(uri, this) {
                @Override
                public Producer createProducer() {
                    return new DefaultProducer(this) {
                        @Override
                        public void process(Exchange exchange) {
                            Message message = exchange.getMessage().getBody(Message.class);
                            if (message.text() == null || message.text().isEmpty()) {
                                throw new IllegalArgumentException("no text");
                            }
                            exchange.getMessage().setBody(new IngestReceipt(1, 2, 3, false));
                        }
                    };
                }

                @Override
                public Consumer createConsumer(Processor processor) {
                    DefaultConsumer consumer = new DefaultConsumer(this, processor);
                    consumers.put(remaining + (channel == null ? "" : "?" + channel), consumer);
                    return consumer;
                }
            };
        }

        /** Hands a reply to the door as core's outbox does; the exception the route gave, or null. */
        Exception reply(String channel, OutboundReply reply) throws Exception {
            DefaultConsumer consumer = consumers.get("outbound?" + channel);
            Exchange exchange = consumer.getEndpoint().createExchange();
            exchange.getMessage().setBody(reply);
            consumer.getProcessor().process(exchange);
            return exchange.getException();
        }
    }

    @AfterEach
    void stop() throws Exception {
        if (door != null) {
            door.stop();
        }
    }

    private DefaultCamelContext camel() {
        DefaultCamelContext camel = new DefaultCamelContext();
        camel.addComponent(Frontdoor.SCHEME, core);
        return camel;
    }

    private static OutboundReply reply(String text) {
        return new OutboundReply(9, 4, "acme", "main", new Identity("acme", "c1", null, null, null, 0), null, null,
                Visibility.PUBLIC, text, "Jane", Instant.now(), 1, 1);
    }

    private static Message message(String text) {
        return Message.inbound("acme", "main").externalId("m1").author(new Identity("acme", "c1", null, null, null, 0))
                .text(text).build();
    }

    @Test
    void namesTheContextAndTheReplyRouteAndHandsRepliesToTheSender() throws Exception {
        door = DoorContext.of(camel(), "acme").start(sent::add);

        assertThat(door.camel().getName()).isEqualTo("frontdoor-channel-acme");
        assertThat(door.camel().getRoute("channel-acme-outbound")).isNotNull();
        assertThat(core.reply("acme", reply("Hello"))).isNull();
        assertThat(sent).extracting(OutboundReply::text).containsExactly("Hello");
    }

    @Test
    void aReplyTheSenderFailsGoesBackToCoreWithTheSendersOwnException() throws Exception {
        IllegalStateException down = new IllegalStateException("vendor down");
        door = DoorContext.of(camel(), "acme").start(r -> {
            throw down;
        });

        assertThat(core.reply("acme", reply("Hello"))).isSameAs(down);
    }

    @Test
    void ingestCompletesWithCoresReceiptOrFailsWithCoresRefusal() throws Exception {
        door = DoorContext.of(camel(), "acme").start(sent::add);

        CompletableFuture<IngestReceipt> stored = door.ingest(message("Hi"));
        CompletableFuture<IngestReceipt> refused = door.ingest(message(""));

        assertThat(stored).isCompletedWithValue(new IngestReceipt(1, 2, 3, false));
        assertThat(catchThrowable(refused::join)).isInstanceOf(CompletionException.class)
                .cause().isInstanceOf(IllegalArgumentException.class).hasMessage("no text");
    }

    @Test
    void moreRoutesAndOtherNamesForAThirdPartysDoor() throws Exception {
        door = DoorContext.of(camel(), "acme").name("acme-door").logCategory("com.acme.door.outbound")
                .routes(routes -> routes.from("frontdoor:events?consumer=acme").routeId("acme-follow").log("seen"))
                .start(sent::add);

        assertThat(door.camel().getName()).isEqualTo("acme-door");
        assertThat(door.camel().getRoutes()).extracting(r -> r.getRouteId())
                .containsExactlyInAnyOrder("channel-acme-outbound", "acme-follow");
    }

    @Test
    void instancesAreKeptByNameAndOnlyTheDoorsOwn() {
        DoorInstances<Acme> instances = new DoorInstances<>(Acme.class);
        Acme main = new Acme("main");
        Acme newer = new Acme("main");
        instances.add(main);
        instances.add(new Other());
        assertThat(instances.get("main")).isSameAs(main);
        instances.add(newer);
        instances.remove(main);
        assertThat(instances.get("main")).as("a replaced instance's unbind leaves the newer one").isSameAs(newer);
        instances.remove(newer);
        assertThat(catchThrowable(() -> instances.require("main", () -> "acme instance main is not configured")))
                .isInstanceOf(IllegalStateException.class).hasMessage("acme instance main is not configured");
    }

    /** A door's instance: equal only to itself, as the doors' instances are. */
    private static final class Acme implements Channel {
        private final String instance;

        Acme(String instance) {
            this.instance = instance;
        }

        @Override
        public String instance() {
            return instance;
        }

        @Override
        public String id() {
            return "acme";
        }

        @Override
        public ChannelCapabilities capabilities() {
            return null;
        }

        @Override
        public ChannelHealth health() {
            return null;
        }
    }

    private record Other(String instance) implements Channel {
        Other() {
            this("main");
        }

        @Override
        public String id() {
            return "other";
        }

        @Override
        public ChannelCapabilities capabilities() {
            return null;
        }

        @Override
        public ChannelHealth health() {
            return null;
        }
    }
}
