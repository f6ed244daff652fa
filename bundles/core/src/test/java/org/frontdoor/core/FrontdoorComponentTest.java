package org.frontdoor.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.frontdoor.core.Messages.api;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.ServiceStatus;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.frontdoor.api.Channel;
import org.frontdoor.api.ChannelCapabilities;
import org.frontdoor.api.ChannelHealth;
import org.frontdoor.api.ConversationEvent;
import org.frontdoor.api.Frontdoor;
import org.frontdoor.api.IngestReceipt;
import org.frontdoor.api.Message;
import org.frontdoor.api.OutboundReply;
import org.frontdoor.api.Scope;
import org.frontdoor.api.Visibility;
import org.frontdoor.api.inbox.ReplyStatus;
import org.frontdoor.api.inbox.ReplyView;
import org.frontdoor.store.EventStore;
import org.frontdoor.store.jpa.JpaStore;
import org.frontdoor.store.jpa.StoreTestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.osgi.framework.Constants;

/**
 * The {@code frontdoor:} component as channel and department bundles use it: a CamelContext of their own (not core's)
 * with routes on {@code frontdoor:inbound}, {@code frontdoor:events} and {@code frontdoor:outbound}, over the real
 * pipeline on a real store. Core's own context is a plain CamelContext here; in the distribution it is an OSGi one,
 * and the distribution's tests cover the component reaching a bundle's context through the OSGi registry.
 */
class FrontdoorComponentTest {

    private static final String DATABASES = "org.frontdoor.store.jpa.StoreTestDatabase#kinds";

    private StoreTestDatabase db;
    private final List<Node> nodes = new ArrayList<>();

    /** One pipeline (a node) and a channel bundle's context using its component. */
    private final class Node implements AutoCloseable {
        final JpaStore store;
        final Pipeline pipeline;
        final FrontdoorComponent component;
        CamelContext channel;

        Node(JpaStore store, String name, CoreConfig config) throws Exception {
            this.store = store;
            this.pipeline = new Pipeline(config, new Pipeline.Stores(store, store, store, store),
                    new DefaultCamelContext(), name, Clock.systemUTC());
            this.component = new FrontdoorComponent(pipeline);
            pipeline.addChannel(new Door("demo"), Map.of(Constants.SERVICE_ID, 1L, Channel.CHANNEL, "api",
                    Channel.INSTANCE, "demo"));
        }

        /** Starts a channel bundle's context with these routes (stopping the one before, as a bundle update does). */
        CamelContext channel(Consumer<RouteBuilder> routes) throws Exception {
            stopChannel();
            channel = new DefaultCamelContext();
            channel.addComponent("frontdoor", component);
            channel.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    routes.accept(this);
                }
            });
            channel.start();
            return channel;
        }

        void stopChannel() throws Exception {
            if (channel != null) {
                channel.stop();
                channel = null;
            }
        }

        @Override
        public void close() throws Exception {
            stopChannel();
            pipeline.deactivate();
        }
    }

    /** The demo door, always up. */
    private record Door(String instance) implements Channel {
        @Override
        public String id() {
            return "api";
        }

        @Override
        public ChannelCapabilities capabilities() {
            return ChannelCapabilities.plainPrivate();
        }

        @Override
        public ChannelHealth health() {
            return ChannelHealth.up();
        }
    }

    private Node node(String kind, Object... config) throws Exception {
        if (db == null) {
            db = StoreTestDatabase.create(kind);
        }
        Node node = new Node(nodes.isEmpty() ? db.store() : db.anotherStore(), "node-" + nodes.size(),
                Configs.core(config));
        nodes.add(node);
        return node;
    }

    @AfterEach
    void stop() throws Exception {
        for (Node node : nodes) {
            node.close();
        }
        if (db != null) {
            db.close();
        }
    }

    private static ConversationEvent event(Exchange e) {
        return e.getMessage().getBody(ConversationEvent.class);
    }

    @ParameterizedTest
    @MethodSource(DATABASES)
    void aChannelsRoutesStoreMessagesHearEventsAndSendRepliesWithRetries(String kind) throws Exception {
        Node node = node(kind);
        List<ConversationEvent> created = new CopyOnWriteArrayList<>();
        List<Object> generations = new CopyOnWriteArrayList<>();
        List<ConversationEvent> routedToSupport = new CopyOnWriteArrayList<>();
        List<ConversationEvent> routedToSales = new CopyOnWriteArrayList<>();
        List<Exchange> sent = new CopyOnWriteArrayList<>();
        AtomicInteger attempts = new AtomicInteger();
        CamelContext channel = node.channel(r -> {
            r.from("frontdoor:events?consumer=created&types=created").process(e -> {
                generations.add(e.getMessage().getHeader(Frontdoor.HEADER_LEASE_GENERATION));
                created.add(event(e));
            });
            r.from("frontdoor:events?consumer=support&types=routed&department=support")
                    .process(e -> routedToSupport.add(event(e)));
            r.from("frontdoor:events?consumer=sales&type=routed&department=sales")
                    .process(e -> routedToSales.add(event(e)));
            r.from("frontdoor:outbound?channel=api").process(e -> {
                if (attempts.incrementAndGet() == 1) {
                    throw new IllegalStateException("the peer answered 503");
                }
                sent.add(e.copy());
            });
        });
        ProducerTemplate template = channel.createProducerTemplate();
        await("the consumers started").until(() -> db.scalar("SELECT COUNT(*) FROM event_consumer") == 3);

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
        await("created event").until(() -> !created.isEmpty());
        assertThat(created).singleElement().satisfies(e -> {
            assertThat(e.conversationId()).isEqualTo(receipt.conversationId());
            assertThat(e.channel()).isEqualTo("api");
            assertThat(e.customerId()).isPositive();
            assertThat(e.preview()).isEqualTo("hi");
        });
        assertThat(generations).as("the fencing token on each delivery").containsExactly(1L);
        await("routed event").until(() -> !routedToSupport.isEmpty());
        assertThat(routedToSupport).singleElement().satisfies(e -> assertThat(e.department()).isEqualTo("support"));
        await("the sales consumer read past it").until(() -> db.scalar("SELECT position FROM event_consumer "
                + "WHERE name = 'sales'") >= routedToSupport.get(0).position());
        assertThat(routedToSales).isEmpty();

        // outbound: a reply queued by an agent reaches the channel's route; the route's exception means a retry
        ReplyView queued = node.store.queueReply(Scope.ALL, receipt.conversationId(), "We are on it.",
                Visibility.PRIVATE, "jane");
        node.pipeline.wakeOutbox();
        await("reply sent").until(() -> !sent.isEmpty());
        Exchange delivered = sent.get(0);
        OutboundReply reply = delivered.getMessage().getBody(OutboundReply.class);
        assertThat(reply.replyId()).isEqualTo(queued.id());
        assertThat(reply.text()).isEqualTo("We are on it.");
        assertThat(delivered.getMessage().getHeader(Frontdoor.HEADER_REPLY_ID)).isEqualTo(queued.id());
        assertThat(delivered.getMessage().getHeader(Frontdoor.HEADER_INSTANCE)).isEqualTo("demo");
        assertThat(delivered.getMessage().getHeader(Frontdoor.HEADER_ATTEMPT)).isEqualTo(2);
        await("reply marked sent").until(() -> node.store.conversation(Scope.ALL, receipt.conversationId())
                .orElseThrow().replies().get(0).status() == ReplyStatus.SENT);
        assertThat(attempts).hasValue(2);
    }

    /**
     * The metrics count what the pipeline did: each message handed in by its outcome, each conversation routed, each
     * send by its outcome and time; the gauges show the door's state, the queues and every consumer's lag.
     */
    @ParameterizedTest
    @MethodSource(DATABASES)
    void theMetricsCountWhatThePipelineDid(String kind) throws Exception {
        Node node = node(kind);
        io.micrometer.core.instrument.simple.SimpleMeterRegistry registry =
                new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
        node.pipeline.addMeterRegistry(registry);
        List<Exchange> sent = new CopyOnWriteArrayList<>();
        AtomicInteger attempts = new AtomicInteger();
        CamelContext channel = node.channel(r -> {
            r.from("frontdoor:events?consumer=crm&types=routed").process(e -> { });
            r.from("frontdoor:outbound?channel=api").process(e -> {
                if (attempts.incrementAndGet() == 1) {
                    throw new IllegalStateException("the peer answered 503");
                }
                sent.add(e.copy());
            });
        });
        ProducerTemplate template = channel.createProducerTemplate();
        IngestReceipt first = template.requestBody("frontdoor:inbound", api("m-1", "alice", "hi"), IngestReceipt.class);
        template.requestBody("frontdoor:inbound", api("m-2", "bob", "hello"), IngestReceipt.class);
        template.requestBody("frontdoor:inbound", api("m-1", "alice", "hi"), IngestReceipt.class);
        Exchange refused = template.request("frontdoor:inbound", e -> e.getMessage().setBody(api("m-3", "carol",
                "a NUL \u0000 here")));
        assertThat(refused.getException()).isInstanceOf(IllegalArgumentException.class);

        assertThat(registry.get("frontdoor.messages.ingested").tags("channel", "api", "instance", "demo", "outcome",
                "stored").counter().count()).isEqualTo(2);
        assertThat(registry.get("frontdoor.messages.ingested").tag("outcome", "duplicate").counter().count())
                .isEqualTo(1);
        assertThat(registry.get("frontdoor.messages.ingested").tag("outcome", "refused").counter().count())
                .isEqualTo(1);
        assertThat(registry.get("frontdoor.ingest").tag("channel", "api").timer().count()).isEqualTo(4);

        await("both conversations routed").until(() -> registry.find("frontdoor.conversations.routed")
                .tags("department", "support", "by", "default").counters().stream()
                .mapToDouble(io.micrometer.core.instrument.Counter::count).sum() == 2);
        assertThat(registry.get("frontdoor.routing").timer().count()).isPositive();

        node.store.queueReply(Scope.ALL, first.conversationId(), "We are on it.", Visibility.PRIVATE, "jane");
        node.pipeline.metrics().refresh();
        assertThat(registry.get("frontdoor.replies.queued").tags("channel", "api", "instance", "demo").gauge()
                .value()).isEqualTo(1);
        assertThat(registry.get("frontdoor.conversations.unassigned").tag("department", "support").gauge().value())
                .isEqualTo(2);
        assertThat(registry.get("frontdoor.conversations.unrouted").gauge().value()).isZero();
        assertThat(registry.get("frontdoor.event.consumer.lag").tag("consumer", "crm").gauge().value()).isNotNegative();

        node.pipeline.wakeOutbox();
        await("reply sent").until(() -> !sent.isEmpty());
        await("the send counted").until(() -> registry.find("frontdoor.replies.delivered").tag("outcome", "sent")
                .counter() != null);
        assertThat(registry.get("frontdoor.replies.delivered").tags("channel", "api", "instance", "demo", "outcome",
                "failed").counter().count()).isEqualTo(1);
        assertThat(registry.get("frontdoor.replies.delivered").tag("outcome", "sent").counter().count()).isEqualTo(1);
        assertThat(registry.get("frontdoor.delivery").tags("channel", "api", "instance", "demo").timer().count())
                .isEqualTo(2);
        await("the queue emptied").until(() -> {
            node.pipeline.metrics().refresh();
            return registry.find("frontdoor.replies.queued").gauges().isEmpty();
        });

        assertThat(registry.get("frontdoor.door.state").tags("channel", "api", "instance", "demo", "state", "UP")
                .gauge().value()).isEqualTo(1);
        assertThat(registry.get("frontdoor.door.state").tags("channel", "api", "instance", "demo", "state", "DOWN")
                .gauge().value()).isZero();
        assertThat(registry.getMeters()).as("no label names a conversation, a customer or their text")
                .allSatisfy(m -> assertThat(m.getId().getTags()).extracting(io.micrometer.core.instrument.Tag::getKey)
                        .isSubsetOf("channel", "instance", "outcome", "department", "by", "consumer", "state", "le"));
    }

    /**
     * Consumers are named and durable: one that fails holds up only itself (the others go on), and one that was away
     * (its bundle stopped) goes on from where it stopped, in order, missing nothing.
     */
    @ParameterizedTest
    @MethodSource(DATABASES)
    void aFailingConsumerHoldsUpOnlyItselfAndOneThatWasAwayCatchesUp(String kind) throws Exception {
        Node node = node(kind);
        List<Long> crm = new CopyOnWriteArrayList<>();
        List<Long> audit = new CopyOnWriteArrayList<>();
        CountDownLatch crmBack = new CountDownLatch(1);
        node.channel(r -> {
            r.from("frontdoor:events?consumer=crm&types=message-added").process(e -> {
                if (crmBack.getCount() > 0) {
                    throw new IllegalStateException("the CRM answered 500");
                }
                crm.add(event(e).position());
            });
            r.from("frontdoor:events?consumer=audit").process(e -> audit.add(event(e).position()));
        });
        await().until(() -> db.scalar("SELECT COUNT(*) FROM event_consumer") == 2);
        ProducerTemplate template = node.channel.createProducerTemplate();
        for (int i = 0; i < 5; i++) {
            template.requestBody("frontdoor:inbound", api("a-" + i, "customer-" + i, "hi"), IngestReceipt.class);
        }

        await("the audit consumer has everything").until(() -> audit.size() >= (int) node.store.head());
        assertThat(crm).isEmpty();
        await("the failure shown").until(() -> "the CRM answered 500".equals(node.store.consumers().stream()
                .filter(c -> c.name().equals("crm")).findFirst().orElseThrow().lastError()));

        node.stopChannel(); // the CRM bundle is stopped while more comes in
        for (int i = 5; i < 10; i++) {
            node.store.ingest(List.of(api("a-" + i, "customer-" + i, "hi")),
                    new org.frontdoor.store.IngestLimits(30_000, 2_000));
        }
        crmBack.countDown();
        List<Long> crmAgain = new CopyOnWriteArrayList<>();
        node.channel(r -> r.from("frontdoor:events?consumer=crm&types=message-added")
                .process(e -> crmAgain.add(event(e).position())));

        List<Long> added = node.store.eventsAfter(0, 1000).stream()
                .filter(e -> e.type() == ConversationEvent.Type.MESSAGE_ADDED).map(ConversationEvent::position).toList();
        await("the crm consumer caught up").until(() -> crmAgain.size() >= added.size());
        assertThat(crmAgain).containsExactlyElementsOf(added);
    }

    /**
     * Two pipelines on one database, as two nodes: each conversation is routed by one of them, once, and each reply
     * is sent by one of them, once.
     */
    @ParameterizedTest
    @MethodSource(DATABASES)
    void twoPipelinesOnOneDatabaseRouteEachConversationAndSendEachReplyOnce(String kind) throws Exception {
        Node a = node(kind, "routingBatchSize", 5, "replyConcurrency", 2);
        Node b = node(kind, "routingBatchSize", 5, "replyConcurrency", 2);
        Map<Long, AtomicInteger> sends = new ConcurrentHashMap<>();
        for (Node n : List.of(a, b)) {
            n.channel(r -> r.from("frontdoor:outbound?channel=api").process(e -> sends.computeIfAbsent(
                    e.getMessage().getBody(OutboundReply.class).replyId(), id -> new AtomicInteger()).incrementAndGet()));
        }
        List<Long> conversations = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            Node n = i % 2 == 0 ? a : b;
            conversations.add(n.channel.createProducerTemplate().requestBody("frontdoor:inbound",
                    api("m-" + i, "customer-" + i, "hi"), IngestReceipt.class).conversationId());
        }
        await("all routed").until(() -> conversations.stream().allMatch(id -> a.store.conversation(Scope.ALL, id)
                .orElseThrow().summary().department() != null));
        List<ReplyView> replies = new ArrayList<>();
        for (long id : conversations) {
            replies.add(a.store.queueReply(Scope.ALL, id, "first", Visibility.PRIVATE, "jane"));
            replies.add(b.store.queueReply(Scope.ALL, id, "second", Visibility.PRIVATE, "joe"));
        }
        a.pipeline.wakeOutbox();
        b.pipeline.wakeOutbox();

        await("all sent").until(() -> replies.stream().allMatch(r -> sends.containsKey(r.id())) && conversations
                .stream().allMatch(id -> a.store.conversation(Scope.ALL, id).orElseThrow().replies().stream()
                        .allMatch(r -> r.status() == ReplyStatus.SENT)));
        assertThat(sends.values()).allSatisfy(n -> assertThat(n.get()).isEqualTo(1));
        assertThat(a.store.eventsAfter(0, 10_000)).filteredOn(e -> e.type() == ConversationEvent.Type.ROUTED)
                .hasSize(40);
        assertThat(db.scalar("SELECT COUNT(DISTINCT route_claim) FROM conversation")).isZero();
    }

    /**
     * Two nodes: a consumer name is delivered to by one node at a time, each event once in the cluster; with
     * {@code everyNode=true} each node has its own copy under {@code name@node} and gets every event.
     */
    @ParameterizedTest
    @MethodSource(DATABASES)
    void everyNodeGivesEachNodeItsOwnCopyOfAConsumerWhileAPlainNameIsDeliveredOnce(String kind) throws Exception {
        Node a = node(kind);
        Node b = node(kind);
        Map<String, List<Long>> seen = new ConcurrentHashMap<>();
        for (Node n : List.of(a, b)) {
            String who = n == a ? "a" : "b";
            n.channel(r -> {
                r.from("frontdoor:events?consumer=push&everyNode=true&types=created")
                        .process(e -> seen.computeIfAbsent("push-" + who, k -> new CopyOnWriteArrayList<>())
                                .add(event(e).conversationId()));
                r.from("frontdoor:events?consumer=crm&types=created")
                        .process(e -> seen.computeIfAbsent("crm", k -> new CopyOnWriteArrayList<>())
                                .add(event(e).conversationId()));
            });
        }
        await("both copies and the shared consumer started").until(() -> a.store.consumers().size() == 3);
        List<Long> conversations = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            Node n = i % 2 == 0 ? a : b;
            conversations.add(n.channel.createProducerTemplate().requestBody("frontdoor:inbound",
                    api("e-" + i, "customer-" + i, "hi"), IngestReceipt.class).conversationId());
        }

        await("every node saw every conversation").until(() -> seen.getOrDefault("push-a", List.of())
                .containsAll(conversations) && seen.getOrDefault("push-b", List.of()).containsAll(conversations));
        await("the shared consumer saw each").until(() -> seen.getOrDefault("crm", List.of()).containsAll(conversations));
        assertThat(seen.get("crm")).doesNotHaveDuplicates();
        assertThat(a.store.consumers()).extracting(EventStore.ConsumerState::name)
                .containsExactlyInAnyOrder("crm", "push@node-0", "push@node-1");
        assertThatThrownBy(() -> b.channel(r -> r.from("frontdoor:events?consumer=" + "x".repeat(88)
                + "&everyNode=true").to("log:x"))).hasStackTraceContaining("at most 87 characters");

        // a node gone: its copy is forgotten once it has not run it for the retention; the others stay
        b.close();
        nodes.remove(b);
        await("b's lease let go").until(() -> a.store.consumers().stream()
                .filter(c -> c.name().equals("push@node-1")).allMatch(c -> c.owner() == null));
        assertThat(a.store.forgetNodeConsumers(java.time.Instant.now().minusSeconds(3600))).as("not idle long").isZero();
        // a's copy is leased for 30 s more: only b's has been idle since a second from now
        assertThat(a.store.forgetNodeConsumers(java.time.Instant.now().plusSeconds(1))).isEqualTo(1);
        assertThat(a.store.consumers()).extracting(EventStore.ConsumerState::name)
                .containsExactlyInAnyOrder("crm", "push@node-0");
    }

    /**
     * "An agent is typing" is a signal, not a log entry: it reaches, on every node, the consumers whose types name
     * {@code typing} (at position 0, once), takes no position from the log's counter and is never delivered to a
     * consumer that did not ask for it. On main it was a durable event written through the counter row.
     */
    @ParameterizedTest
    @MethodSource(DATABASES)
    void typingReachesTheConsumersThatNameItOnEveryNodeWithoutEnteringTheLog(String kind) throws Exception {
        Node a = node(kind);
        Node b = node(kind);
        Map<String, List<ConversationEvent>> seen = new ConcurrentHashMap<>();
        for (Node n : List.of(a, b)) {
            String who = n == a ? "a" : "b";
            n.channel(r -> {
                r.from("frontdoor:events?consumer=push&everyNode=true&types=typing,created")
                        .process(e -> seen.computeIfAbsent("push-" + who, k -> new CopyOnWriteArrayList<>())
                                .add(event(e)));
                if (n == a) {
                    r.from("frontdoor:events?consumer=audit").process(e -> seen.computeIfAbsent("audit",
                            k -> new CopyOnWriteArrayList<>()).add(event(e)));
                }
            });
        }
        await("the consumers started").until(() -> a.store.consumers().size() == 3);
        long conversation = a.channel.createProducerTemplate().requestBody("frontdoor:inbound",
                api("t-1", "alice", "hello"), IngestReceipt.class).conversationId();
        await("created seen").until(() -> seen.getOrDefault("audit", List.of()).size() >= 1);
        // routing writes its event after the creation's: the head is read once the log has nothing more coming
        await("routed").until(() -> a.store.eventsAfter(0, 1000).stream().anyMatch(e ->
                e.type() == ConversationEvent.Type.ROUTED && e.conversationId() == conversation));
        long head = a.store.head();

        assertThat(b.store.typing(Scope.ALL, conversation, "jane", java.time.Instant.now().minusSeconds(3))).isTrue();

        for (String who : List.of("push-a", "push-b")) {
            await(who + " told").until(() -> seen.getOrDefault(who, List.of()).stream()
                    .anyMatch(e -> e.type() == ConversationEvent.Type.TYPING));
        }
        ConversationEvent typing = seen.get("push-a").stream().filter(e -> e.type() == ConversationEvent.Type.TYPING)
                .findFirst().orElseThrow();
        assertThat(typing.position()).isZero();
        assertThat(typing.actor()).isEqualTo("jane");
        assertThat(typing.conversationId()).isEqualTo(conversation);
        assertThat(a.store.head()).as("no position taken").isEqualTo(head);
        assertThat(a.store.eventsAfter(0, 1000)).noneMatch(e -> e.type() == ConversationEvent.Type.TYPING);
        // a later event reaches the consumers: the typing signal went once, and never to the consumer without typing
        a.channel.createProducerTemplate().requestBody("frontdoor:inbound", api("t-2", "bob", "hi"),
                IngestReceipt.class);
        await("the next event").until(() -> seen.get("audit").size() >= 2 && seen.get("push-a").size() >= 3);
        assertThat(seen.get("push-a")).filteredOn(e -> e.type() == ConversationEvent.Type.TYPING).hasSize(1);
        assertThat(seen.get("audit")).noneMatch(e -> e.type() == ConversationEvent.Type.TYPING);
    }

    /**
     * Core's configuration changed while messages flow: applied in place, the channel's context keeps running on the
     * same component, no message is refused or lost, and what is routed afterwards follows the new settings.
     */
    @ParameterizedTest
    @MethodSource(DATABASES)
    void coreReconfiguredUnderTrafficKeepsRunningAndLosesNothing(String kind) throws Exception {
        Node node = node(kind, "ingestWriters", 1);
        CamelContext channel = node.channel(r -> r.from("direct:unused").to("direct:nowhere"));
        ProducerTemplate template = channel.createProducerTemplate();
        ExecutorService senders = Executors.newFixedThreadPool(4);
        AtomicInteger sentCount = new AtomicInteger();
        List<Future<List<IngestReceipt>>> work = new ArrayList<>();
        try {
            for (int t = 0; t < 4; t++) {
                int thread = t;
                work.add(senders.submit(() -> {
                    List<IngestReceipt> mine = new ArrayList<>();
                    for (int i = 0; i < 150; i++) {
                        Message m = api("t" + thread + "-" + i, "customer-" + thread + "-" + (i % 7), "text");
                        mine.add(template.requestBody("frontdoor:inbound", m, IngestReceipt.class));
                        sentCount.incrementAndGet();
                    }
                    return mine;
                }));
            }
            await().until(() -> sentCount.get() > 200);
            node.pipeline.modified(Configs.core("ingestWriters", 3, "defaultDepartment", "sales",
                    "routingBatchSize", 20, "retryInitialSeconds", 5));
            List<IngestReceipt> all = new ArrayList<>();
            for (Future<List<IngestReceipt>> w : work) {
                all.addAll(w.get());
            }
            assertThat(all).hasSize(600).allSatisfy(r -> assertThat(r.duplicate()).isFalse());
        } finally {
            senders.shutdown();
        }
        assertThat(channel.getStatus()).isEqualTo(ServiceStatus.Started);
        assertThat(db.count("message")).isEqualTo(600);
        long late = template.requestBody("frontdoor:inbound", api("late", "newcomer", "hi"), IngestReceipt.class)
                .conversationId();
        await().until(() -> "sales".equals(node.store.conversation(Scope.ALL, late).orElseThrow().summary()
                .department()));
    }

    /** The REST API's live streams hear of this node's commits as core's consumers do, until they stop listening. */
    @ParameterizedTest
    @MethodSource(DATABASES)
    void liveViewsAreToldOfThisNodesCommitsUntilTheyStopListening(String kind) throws Exception {
        Node node = node(kind);
        LiveEventCommits live = new LiveEventCommits(node.pipeline);
        AtomicInteger told = new AtomicInteger();
        AtomicInteger alsoTold = new AtomicInteger();
        org.frontdoor.api.live.EventCommits.Subscription listening = live.listen(told::incrementAndGet);
        org.frontdoor.api.live.EventCommits.Subscription other = live.listen(alsoTold::incrementAndGet);
        ProducerTemplate template = node.channel(r -> r.from("direct:unused").log("unused")).createProducerTemplate();

        template.requestBody("frontdoor:inbound", api("live-1", "alice", "hi"), IngestReceipt.class);
        await("told of the stored message").until(() -> told.get() > 0 && alsoTold.get() > 0);
        await("routed, and told of it").until(() -> db.scalar("SELECT COUNT(*) FROM conversation_event "
                + "WHERE event_type = 'ROUTED'") == 1 && told.get() >= 2);

        listening.close();
        listening.close();
        int before = told.get();
        int otherBefore = alsoTold.get();
        template.requestBody("frontdoor:inbound", api("live-2", "bob", "hello"), IngestReceipt.class);
        await("the other listener still told").until(() -> alsoTold.get() > otherBefore);
        assertThat(told.get()).as("no call after close").isEqualTo(before);
        other.close();
    }

    @ParameterizedTest
    @MethodSource(DATABASES)
    void wrongUrisNameWhatIsAccepted(String kind) throws Exception {
        Node node = node(kind);
        CamelContext channel = node.channel(r -> r.from("direct:unused").to("direct:nowhere"));
        assertThatThrownBy(() -> channel.getEndpoint("frontdoor:outbound"))
                .hasStackTraceContaining("frontdoor:outbound?channel=ID");
        assertThatThrownBy(() -> channel.getEndpoint("frontdoor:events?types=routed"))
                .hasStackTraceContaining("needs a consumer name");
        assertThatThrownBy(() -> channel.getEndpoint("frontdoor:events?consumer=x&types=routed,shouted"))
                .hasStackTraceContaining("unknown event type shouted");
        assertThatThrownBy(() -> channel.getEndpoint("frontdoor:events?consumer=x&start=yesterday"))
                .hasStackTraceContaining("start=beginning");
        assertThatThrownBy(() -> channel.getEndpoint("frontdoor:elsewhere"))
                .hasStackTraceContaining("frontdoor:events?consumer=NAME");
        assertThatThrownBy(() -> channel.createProducerTemplate().sendBody("frontdoor:events?consumer=x", "x"))
                .hasStackTraceContaining("frontdoor:events is written by core");
        assertThatThrownBy(() -> node.channel(r -> {
            r.from("frontdoor:events?consumer=twice&types=routed").to("direct:a");
            r.from("frontdoor:events?consumer=twice&types=created").to("direct:b");
        })).hasStackTraceContaining("consumer name of its own");
    }
}
