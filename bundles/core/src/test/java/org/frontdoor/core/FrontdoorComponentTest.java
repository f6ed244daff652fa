package org.frontdoor.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.frontdoor.core.Messages.api;

import java.lang.annotation.Annotation;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.frontdoor.api.ConversationEvent;
import org.frontdoor.api.Frontdoor;
import org.frontdoor.api.IngestReceipt;
import org.frontdoor.api.OutboundReply;
import org.frontdoor.api.inbox.ReplyStatus;
import org.frontdoor.api.inbox.ReplyView;
import org.frontdoor.store.jpa.StoreTestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The {@code frontdoor:} component as a channel bundle uses it: a CamelContext of its own (not core's) with routes
 * on {@code frontdoor:inbound}, {@code frontdoor:events} and {@code frontdoor:outbound}, over the real pipeline on
 * a real store. Core's own context is a plain CamelContext here; in the distribution it is an OSGi one, and the
 * distribution's tests cover the component reaching a channel bundle's context through the OSGi registry.
 */
class FrontdoorComponentTest {

    private static final String DATABASES = "org.frontdoor.store.jpa.StoreTestDatabase#kinds";

    private StoreTestDatabase db;
    private Pipeline pipeline;
    private CamelContext channel;

    private final List<ConversationEvent> created = new CopyOnWriteArrayList<>();
    private final List<ConversationEvent> routedToSupport = new CopyOnWriteArrayList<>();
    private final List<ConversationEvent> routedToSales = new CopyOnWriteArrayList<>();
    private final List<Exchange> sent = new CopyOnWriteArrayList<>();
    private final AtomicInteger attempts = new AtomicInteger();

    private void start(String kind) throws Exception {
        db = StoreTestDatabase.create(kind);
        pipeline = new Pipeline(config(), db.store(), new DefaultCamelContext());

        channel = new DefaultCamelContext();
        channel.addComponent("frontdoor", new FrontdoorComponent(pipeline));
        channel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("frontdoor:events?type=created").routeId("created")
                        .process(e -> created.add(e.getMessage().getBody(ConversationEvent.class)));
                from("frontdoor:events?type=routed&department=support").routeId("support")
                        .process(e -> routedToSupport.add(e.getMessage().getBody(ConversationEvent.class)));
                from("frontdoor:events?type=routed&department=sales").routeId("sales")
                        .process(e -> routedToSales.add(e.getMessage().getBody(ConversationEvent.class)));
                from("frontdoor:outbound?channel=api").routeId("send")
                        .process(e -> {
                            if (attempts.incrementAndGet() == 1) {
                                throw new IllegalStateException("peer answered 503");
                            }
                            sent.add(e.copy());
                        });
            }
        });
        channel.start();
    }

    @AfterEach
    void stop() throws Exception {
        if (channel != null) {
            channel.stop();
        }
        if (pipeline != null) {
            pipeline.deactivate();
        }
        if (db != null) {
            db.close();
        }
    }

    @ParameterizedTest
    @MethodSource(DATABASES)
    void aChannelsRoutesStoreMessagesHearEventsAndSendRepliesWithRetries(String kind) throws Exception {
        start(kind);
        ProducerTemplate template = channel.createProducerTemplate();

        // inbound: answered once stored, with the ids as body and headers
        Exchange stored = template.request("frontdoor:inbound", e -> e.getMessage().setBody(api("m-1", "alice", "hi")));
        assertThat(stored.getException()).isNull();
        IngestReceipt receipt = stored.getMessage().getBody(IngestReceipt.class);
        assertThat(receipt.duplicate()).isFalse();
        assertThat(stored.getMessage().getHeader(Frontdoor.HEADER_MESSAGE_ID)).isEqualTo(receipt.messageId());
        assertThat(stored.getMessage().getHeader(Frontdoor.HEADER_CONVERSATION_ID)).isEqualTo(receipt.conversationId());
        IngestReceipt again = template.requestBody("frontdoor:inbound", api("m-1", "alice", "hi"), IngestReceipt.class);
        assertThat(again.duplicate()).isTrue();
        assertThat(again.messageId()).isEqualTo(receipt.messageId());
        assertThat(db.count("message")).isEqualTo(1);

        // events: created, then routed to the default department; a consumer of another department hears nothing
        await("created event").atMost(Duration.ofSeconds(30)).until(() -> !created.isEmpty());
        assertThat(created).singleElement().satisfies(e -> {
            assertThat(e.conversationId()).isEqualTo(receipt.conversationId());
            assertThat(e.channel()).isEqualTo("api");
        });
        await("routed event").atMost(Duration.ofSeconds(30)).until(() -> !routedToSupport.isEmpty());
        assertThat(routedToSupport).singleElement().satisfies(e -> {
            assertThat(e.conversationId()).isEqualTo(receipt.conversationId());
            assertThat(e.department()).isEqualTo("support");
        });
        // events reach the consumers one event at a time, all consumers in turn: the sales route has had its chance
        assertThat(routedToSales).isEmpty();

        // outbound: a reply queued by an agent reaches the channel's route; the route's exception means a retry
        ReplyView queued = db.store().queueReply(receipt.conversationId(), "We are on it.", "jane");
        await("reply sent").atMost(Duration.ofSeconds(30)).until(() -> !sent.isEmpty());
        Exchange delivered = sent.get(0);
        OutboundReply reply = delivered.getMessage().getBody(OutboundReply.class);
        assertThat(reply.replyId()).isEqualTo(queued.id());
        assertThat(reply.text()).isEqualTo("We are on it.");
        assertThat(delivered.getMessage().getHeader(Frontdoor.HEADER_REPLY_ID)).isEqualTo(queued.id());
        assertThat(delivered.getMessage().getHeader(Frontdoor.HEADER_INSTANCE)).isEqualTo("demo");
        assertThat(delivered.getMessage().getHeader(Frontdoor.HEADER_ATTEMPT)).isEqualTo(2);
        await("reply marked sent").atMost(Duration.ofSeconds(30)).until(() ->
                db.store().conversation(receipt.conversationId()).orElseThrow().replies().get(0).status()
                        == ReplyStatus.SENT);
        assertThat(attempts).hasValue(2);
    }

    @ParameterizedTest
    @MethodSource(DATABASES)
    void wrongUrisNameWhatIsAccepted(String kind) throws Exception {
        start(kind);
        assertThatThrownBy(() -> channel.getEndpoint("frontdoor:outbound"))
                .hasStackTraceContaining("frontdoor:outbound?channel=ID");
        assertThatThrownBy(() -> channel.getEndpoint("frontdoor:events?type=shouted"))
                .hasStackTraceContaining("unknown event type shouted");
        assertThatThrownBy(() -> channel.getEndpoint("frontdoor:elsewhere"))
                .hasStackTraceContaining("use frontdoor:inbound, frontdoor:outbound?channel=ID or frontdoor:events");
        assertThatThrownBy(() -> channel.createProducerTemplate().sendBody("frontdoor:events", "x"))
                .hasStackTraceContaining("frontdoor:events is published by core");
    }

    private static CoreConfig config() {
        return new CoreConfig() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return CoreConfig.class;
            }

            @Override
            public String defaultDepartment() {
                return "support";
            }

            @Override
            public int ingestBatchSize() {
                return 256;
            }

            @Override
            public int ingestWriters() {
                return 2;
            }

            @Override
            public int ingestTimeoutSeconds() {
                return 30;
            }

            @Override
            public int routingBatchSize() {
                return 200;
            }

            @Override
            public int retryInitialSeconds() {
                return 1;
            }

            @Override
            public int retryMaxSeconds() {
                return 300;
            }
        };
    }
}
