package org.frontdoor.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;
import static org.frontdoor.core.Messages.api;

import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

import org.frontdoor.api.Annotation;
import org.frontdoor.api.Classifier;
import org.frontdoor.api.ConversationEvent;
import org.frontdoor.api.Message;
import org.frontdoor.api.RoutingContext;
import org.frontdoor.api.RoutingDecision;
import org.frontdoor.api.RoutingRule;
import org.frontdoor.api.Scope;
import org.frontdoor.api.inbox.ConversationStatus;
import org.frontdoor.api.inbox.ConversationSummary;
import org.frontdoor.store.IngestLimits;
import org.frontdoor.store.Ingested;
import org.frontdoor.store.jpa.JpaStore;
import org.frontdoor.store.jpa.StoreTestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.osgi.framework.Constants;

/** The routing stage on the real store, H2 and PostgreSQL, with rules and classifiers as the pipeline keeps them. */
class RoutingStageTest {

    private static final String DATABASES = "org.frontdoor.store.jpa.StoreTestDatabase#kinds";
    private static final IngestLimits LIMITS = new IngestLimits(30_000, 2_000);

    private StoreTestDatabase db;
    private JpaStore store;
    private final RuleRegistry rules = new RuleRegistry();
    private final Classifiers classifiers = new Classifiers();
    private final AtomicReference<Settings> settings = new AtomicReference<>(Configs.settings());
    private long nextServiceId = 1;

    private RoutingStage open(String kind) throws SQLException {
        return open(kind, Configs.settings());
    }

    private RoutingStage open(String kind, Settings s) throws SQLException {
        db = StoreTestDatabase.create(kind);
        store = db.store();
        settings.set(s);
        return new RoutingStage(store, rules, classifiers, settings::get, "node-a", () -> { });
    }

    @AfterEach
    void close() throws Exception {
        classifiers.close();
        if (db != null) {
            db.close();
        }
    }

    private Map<String, Object> service(Object ranking) {
        Map<String, Object> properties = new HashMap<>();
        properties.put(Constants.SERVICE_ID, nextServiceId++);
        if (ranking != null) {
            properties.put(Constants.SERVICE_RANKING, ranking);
        }
        return properties;
    }

    private void register(int ranking, RoutingRule rule) {
        rules.add(rule, service(ranking), "org.frontdoor.rule.test");
    }

    private static RoutingRule rule(String name, java.util.function.Function<Message, String> department) {
        return new RoutingRule() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public Optional<RoutingDecision> decide(Message message, RoutingContext context) {
                String d = department.apply(message);
                return d == null ? Optional.empty() : Optional.of(new RoutingDecision(d, 1, null, name));
            }
        };
    }

    private List<Ingested> ingest(Message... messages) {
        return store.ingest(List.of(messages), LIMITS);
    }

    private ConversationSummary summary(long id) {
        return store.conversation(Scope.ALL, id).orElseThrow().summary();
    }

    private List<ConversationEvent> routedEvents() {
        return store.eventsAfter(0, 10_000).stream().filter(e -> e.type() == ConversationEvent.Type.ROUTED).toList();
    }

    @ParameterizedTest
    @MethodSource(DATABASES)
    void sendsWhatNoRuleClaimsToTheDefaultDepartmentWithARoutedEvent(String kind) throws SQLException {
        RoutingStage routing = open(kind);
        long id = ingest(api("1", "alice", "hello")).get(0).receipt().conversationId();

        assertThat(routing.routeAll()).isEqualTo(1);

        assertThat(summary(id).department()).isEqualTo("support");
        assertThat(summary(id).status()).isEqualTo(ConversationStatus.QUEUED);
        assertThat(routedEvents()).extracting(ConversationEvent::conversationId, ConversationEvent::department,
                ConversationEvent::detail).containsExactly(tuple(id, "support", "rule default, priority 0"));
        assertThat(routing.routeAll()).isZero();
    }

    @ParameterizedTest
    @MethodSource(DATABASES)
    void letsTheHighestRankedRuleThatClaimsDecideAndSkipsOneThatThrows(String kind) throws SQLException {
        RoutingStage routing = open(kind);
        register(10, rule("refunds", m -> m.text().contains("refund") ? "billing" : null));
        register(100, rule("broken", m -> {
            throw new IllegalStateException("rule bug");
        }));
        register(50, rule("vip", m -> m.author().handle().startsWith("vip") ? "vip" : null));
        List<Ingested> in = ingest(api("1", "vip-ann", "refund please"), api("2", "bob", "refund please"),
                api("3", "carl", "hello"));

        routing.routeAll();

        assertThat(summary(in.get(0).receipt().conversationId()).department()).isEqualTo("vip");
        assertThat(summary(in.get(1).receipt().conversationId()).department()).isEqualTo("billing");
        assertThat(summary(in.get(2).receipt().conversationId()).department()).isEqualTo("support");
    }

    /** Rules see the conversation: its messages oldest first, each with its author, and whether it was reopened. */
    @ParameterizedTest
    @MethodSource(DATABASES)
    void givesRulesTheConversationAndRoutesItAgainWhenAResolvedOneIsReopened(String kind) throws SQLException {
        RoutingStage routing = open(kind);
        List<RoutingContext> seen = new CopyOnWriteArrayList<>();
        register(0, new RoutingRule() {
            @Override
            public String name() {
                return "watcher";
            }

            @Override
            public Optional<RoutingDecision> decide(Message message, RoutingContext context) {
                seen.add(context);
                return Optional.of(new RoutingDecision(context.reopened() ? "retention" : "sales", 0, null, "watcher"));
            }
        });
        List<Ingested> in = ingest(api("1", "alice", "one").toBuilder().threadRef("post").build(),
                api("2", "bob", "two").toBuilder().threadRef("post").build());
        long id = in.get(0).receipt().conversationId();
        routing.routeAll();
        store.resolve(Scope.ALL, id, "jane");
        ingest(api("3", "alice", "three").toBuilder().threadRef("post").build());

        routing.routeAll();

        assertThat(seen).hasSize(2);
        assertThat(seen.get(0).messages()).extracting(m -> m.text(), m -> m.author().handle())
                .containsExactly(tuple("one", "alice"), tuple("two", "bob"));
        assertThat(seen.get(0).department()).isNull();
        assertThat(seen.get(0).reopened()).isFalse();
        assertThat(seen.get(1).messages()).extracting(Message::text).containsExactly("one", "two", "three");
        assertThat(seen.get(1).latest().text()).isEqualTo("three");
        assertThat(seen.get(1).department()).isEqualTo("sales");
        assertThat(seen.get(1).reopened()).isTrue();
        assertThat(summary(id).department()).isEqualTo("retention");
        assertThat(routedEvents()).hasSize(2);
    }

    @ParameterizedTest
    @MethodSource(DATABASES)
    void routesEverythingWaitingAcrossSeveralBatches(String kind) throws SQLException {
        RoutingStage routing = open(kind, Configs.settings("routingBatchSize", 3));
        for (int i = 0; i < 10; i++) {
            ingest(api("m" + i, "customer-" + i, "hi"));
        }

        assertThat(routing.routeAll()).isEqualTo(10);
        assertThat(routedEvents()).hasSize(10);
    }

    @ParameterizedTest
    @MethodSource(DATABASES)
    void aDecisionTheStoreCannotHoldIsSkippedLikeAFailingRuleAndBlocksNobody(String kind) throws SQLException {
        RoutingStage routing = open(kind);
        register(10, rule("too-long", m -> "d".repeat(100)));
        List<Ingested> in = ingest(api("1", "alice", "a"), api("2", "bob", "b"));

        assertThat(routing.routeAll()).isEqualTo(2);
        assertThat(summary(in.get(0).receipt().conversationId()).department()).isEqualTo("support");
    }

    /**
     * Two nodes take ids in blocks: a message committed after the conversation was routed got id 2, an earlier one 51.
     * The reopened conversation is classified and routed on that newest message (the watermark and "latest" are the
     * conversation's commit order, not ids).
     */
    @ParameterizedTest
    @MethodSource(DATABASES)
    void aReopenedConversationIsClassifiedAndRoutedOnItsNewestMessageWhateverItsId(String kind) throws Exception {
        RoutingStage routing = open(kind);
        JpaStore nodeB = db.anotherStore();
        List<String> classified = new CopyOnWriteArrayList<>();
        classifiers.add(m -> {
            classified.add(m.text());
            return List.of();
        }, Map.of(Constants.SERVICE_ID, 101L, "component.name", "recorder"));
        register(10, new RoutingRule() {
            @Override
            public String name() {
                return "by-latest";
            }

            @Override
            public Optional<RoutingDecision> decide(Message message, RoutingContext context) {
                return message.text().contains("invoice")
                        ? Optional.of(new RoutingDecision("billing", 1, null, "by-latest")) : Optional.empty();
            }
        });
        long conversation = ingest(api("1", "alice", "hello")).get(0).receipt().conversationId();
        long earlier = nodeB.ingest(List.of(api("2", "alice", "my parcel")), LIMITS).get(0).receipt().messageId();
        assertThat(routing.routeAll()).isEqualTo(1);
        assertThat(summary(conversation).department()).isEqualTo("support");
        store.resolve(Scope.ALL, conversation, "jane");

        long newest = ingest(api("3", "alice", "now about my invoice")).get(0).receipt().messageId();
        assertThat(newest).as("the newest message has the smaller id").isLessThan(earlier);
        assertThat(routing.routeAll()).isEqualTo(1);

        assertThat(classified).as("each message once, the newest too")
                .containsExactlyInAnyOrder("hello", "my parcel", "now about my invoice");
        assertThat(summary(conversation).department()).as("routed on the newest message").isEqualTo("billing");
    }

    /**
     * A department's defaultPriority applies when the rule gives none (0), and to what goes to the default department;
     * a rule's own priority stays.
     */
    @ParameterizedTest
    @MethodSource(DATABASES)
    void appliesTheDepartmentsDefaultPriorityWhenTheRuleGivesNone(String kind) throws SQLException {
        db = StoreTestDatabase.create(kind);
        store = db.store();
        Map<String, Integer> defaults = Map.of("billing", 3, "support", 2);
        RoutingStage routing = new RoutingStage(store, rules, classifiers, settings::get, "node-a", () -> { },
                d -> defaults.getOrDefault(d, 0));
        register(10, new RoutingRule() {
            @Override
            public String name() {
                return "words";
            }

            @Override
            public Optional<RoutingDecision> decide(Message message, RoutingContext context) {
                String t = message.text();
                return t.contains("refund") ? Optional.of(new RoutingDecision("billing", 0, null, "words"))
                        : t.contains("urgent") ? Optional.of(new RoutingDecision("billing", 7, null, "words"))
                        : t.contains("sales") ? Optional.of(new RoutingDecision("sales", 0, null, "words"))
                        : Optional.empty();
            }
        });
        long refund = ingest(api("1", "alice", "refund please")).get(0).receipt().conversationId();
        long urgent = ingest(api("2", "bob", "urgent matter")).get(0).receipt().conversationId();
        long sales = ingest(api("3", "carol", "sales question")).get(0).receipt().conversationId();
        long other = ingest(api("4", "dave", "hello")).get(0).receipt().conversationId();

        assertThat(routing.routeAll()).isEqualTo(4);

        assertThat(summary(refund).priority()).as("billing's default").isEqualTo(3);
        assertThat(summary(urgent).priority()).as("the rule's own").isEqualTo(7);
        assertThat(summary(sales).priority()).as("a department without a configuration").isZero();
        assertThat(summary(other).priority()).as("support's default, for the default department").isEqualTo(2);
        assertThat(routedEvents()).filteredOn(e -> e.conversationId() == refund).extracting(ConversationEvent::detail)
                .containsExactly("rule words, priority 3");
    }

    /**
     * The why view: the rule that routed the conversation and its reason, the classifiers' annotations with their
     * source, and the routing and a transfer with who; nothing for a caller whose scope does not cover it.
     */
    @ParameterizedTest
    @MethodSource(DATABASES)
    void recordsWhyAConversationIsWhereItIs(String kind) throws Exception {
        RoutingStage routing = open(kind);
        classifiers.add(m -> List.of(new Annotation("language", "fr", 0.93)),
                Map.of(Constants.SERVICE_ID, 301L, "component.name", "org.frontdoor.classifier.language",
                        Classifier.ANNOTATION, "language"));
        register(10, new RoutingRule() {
            @Override
            public String name() {
                return "refunds";
            }

            @Override
            public Optional<RoutingDecision> decide(Message message, RoutingContext context) {
                return message.text().contains("remboursement")
                        ? Optional.of(new RoutingDecision("billing", 1, null, "refunds", "keyword remboursement"))
                        : Optional.empty();
            }
        });
        long id = ingest(api("1", "alice", "Je veux un remboursement")).get(0).receipt().conversationId();
        long other = ingest(api("2", "bob", "Bonjour")).get(0).receipt().conversationId();
        routing.routeAll();
        store.transfer(Scope.ALL, id, "complaints", "jane");

        org.frontdoor.api.inbox.ConversationWhy why = store.why(Scope.ALL, id).orElseThrow();
        assertThat(why.rule()).isEqualTo("refunds");
        assertThat(why.reason()).isEqualTo("keyword remboursement");
        assertThat(why.summary().department()).isEqualTo("complaints");
        assertThat(why.annotations()).extracting(a -> a.name(), a -> a.value(), a -> a.confidence(), a -> a.source())
                .containsExactly(tuple("language", "fr", 0.93, "org.frontdoor.classifier.language"));
        assertThat(why.history()).extracting(h -> h.action()).containsExactly("created", "routed", "transferred");
        assertThat(why.history()).extracting(h -> h.actor()).endsWith("system", "jane");
        assertThat(why.history().get(2).detail()).isEqualTo("from billing to complaints");

        assertThat(store.why(Scope.ALL, other).orElseThrow().rule()).isEqualTo("default");
        assertThat(store.why(Scope.ALL, other).orElseThrow().reason()).isEqualTo("no rule claimed it");
        assertThat(store.why(Scope.departments(List.of("sales")), id)).isEmpty();
        assertThat(store.why(Scope.ALL, 999_999)).isEmpty();
    }

    /**
     * Of the classifiers giving one annotation, only the highest ranked is asked (a department's replaces the shipped
     * one, whose ranking a .cfg file gives as a String); it goes, and the shipped one is asked again.
     */
    @ParameterizedTest
    @MethodSource(DATABASES)
    void asksOnlyTheHighestRankedClassifierForAnAnnotation(String kind) throws Exception {
        RoutingStage routing = open(kind);
        List<String> asked = new CopyOnWriteArrayList<>();
        Classifier shipped = m -> {
            asked.add("shipped");
            return List.of(new Annotation("language", "en", 0.6));
        };
        Classifier departments = m -> {
            asked.add("department");
            return List.of(new Annotation("language", "fr", 0.9));
        };
        Classifier other = m -> {
            asked.add("other");
            return List.of(new Annotation("urgency", "high", 0.7));
        };
        classifiers.add(shipped, Map.of(Constants.SERVICE_ID, 201L, "component.name", "shipped",
                Classifier.ANNOTATION, "language"));
        classifiers.add(other, Map.of(Constants.SERVICE_ID, 202L, "component.name", "other"));
        Map<String, Object> replacing = Map.of(Constants.SERVICE_ID, 203L, "component.name", "department",
                Classifier.ANNOTATION, "language", Constants.SERVICE_RANKING, "100");
        classifiers.add(departments, replacing);
        assertThat(classifiers.askedNames()).containsExactly("department", "other");

        long first = ingest(api("1", "alice", "bonjour")).get(0).receipt().conversationId();
        routing.routeAll();
        assertThat(asked).containsExactlyInAnyOrder("department", "other");
        assertThat(store.conversation(Scope.ALL, first).orElseThrow().messages().get(0).annotations())
                .containsExactlyInAnyOrder(new Annotation("language", "fr", 0.9), new Annotation("urgency", "high", 0.7));

        classifiers.remove(departments, replacing);
        asked.clear();
        ingest(api("2", "bob", "hello"));
        routing.routeAll();
        assertThat(asked).containsExactlyInAnyOrder("shipped", "other");
    }

    /**
     * Classifiers run before the rules: their annotations reach the rules and are stored on the message. One that
     * throws, and one that never answers, are left out without holding routing up; each message is classified once.
     */
    @ParameterizedTest
    @MethodSource(DATABASES)
    void classifiesEachMessageOnceBeforeTheRulesAndLeavesOutClassifiersThatFailOrHang(String kind) throws Exception {
        RoutingStage routing = open(kind, Configs.settings("classifierTimeoutMillis", 300));
        List<String> classified = new CopyOnWriteArrayList<>();
        CountDownLatch never = new CountDownLatch(1);
        CompletableFuture<Boolean> hungOneInterrupted = new CompletableFuture<>();
        classifiers.add(m -> {
            classified.add(m.text());
            return List.of(new Annotation("sentiment", m.text().contains("angry") ? "negative" : "neutral", 0.9));
        }, Map.of(Constants.SERVICE_ID, 101L, "component.name", "sentiment"));
        classifiers.add(m -> {
            throw new IllegalStateException("classifier bug");
        }, Map.of(Constants.SERVICE_ID, 102L, "component.name", "broken"));
        classifiers.add(m -> {
            try {
                never.await();
            } catch (InterruptedException e) {
                hungOneInterrupted.complete(true);
            }
            return List.of(new Annotation("late", "yes", 1));
        }, Map.of(Constants.SERVICE_ID, 103L, "component.name", "hung"));
        register(10, new RoutingRule() {
            @Override
            public String name() {
                return "angry-first";
            }

            @Override
            public Optional<RoutingDecision> decide(Message message, RoutingContext context) {
                return context.annotations().contains(new Annotation("sentiment", "negative", 0.9))
                        ? Optional.of(new RoutingDecision("escalations", 5, null, "angry-first")) : Optional.empty();
            }
        });
        long angry = ingest(api("1", "alice", "I am angry")).get(0).receipt().conversationId();
        long calm = ingest(api("2", "bob", "hello")).get(0).receipt().conversationId();

        assertThat(routing.routeAll()).isEqualTo(2);

        assertThat(summary(angry).department()).isEqualTo("escalations");
        assertThat(summary(calm).department()).isEqualTo("support");
        assertThat(hungOneInterrupted.get()).isTrue();
        assertThat(store.conversation(Scope.ALL, angry).orElseThrow().messages().get(0).annotations())
                .containsExactly(new Annotation("sentiment", "negative", 0.9));
        assertThat(db.scalar("SELECT COUNT(*) FROM message_annotation WHERE source = 'sentiment'")).isEqualTo(2);

        store.resolve(Scope.ALL, angry, "jane");
        ingest(api("3", "alice", "still angry"));
        routing.routeAll();
        // the first round's two conversations are claimed together, in no promised order; the reopened one comes after
        assertThat(classified).as("each message once").hasSize(3).endsWith("still angry")
                .containsExactlyInAnyOrder("I am angry", "hello", "still angry");
        never.countDown();
    }

    /**
     * A burst larger than the classifier pool waits for a thread instead of being rejected: seen on main, a pool of 32
     * threads with no queue classified 32 of 200 messages of one round, the rest were routed unclassified for good
     * (this test classified 226 of 1,000 there).
     */
    @ParameterizedTest
    @MethodSource(DATABASES)
    void aBurstLargerThanTheClassifierPoolIsClassifiedWhole(String kind) throws Exception {
        RoutingStage routing = open(kind, Configs.settings("classifierTimeoutMillis", 2000));
        java.util.concurrent.atomic.AtomicInteger asked = new java.util.concurrent.atomic.AtomicInteger();
        classifiers.add(m -> {
            asked.incrementAndGet();
            try {
                new CountDownLatch(1).await(50, java.util.concurrent.TimeUnit.MILLISECONDS); // a 50 ms classifier
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return List.of(new Annotation("sentiment", "neutral", 0.5));
        }, Map.of(Constants.SERVICE_ID, 301L, "component.name", "slow-sentiment"));
        for (int chunk = 0; chunk < 10; chunk++) {
            List<Message> burst = new java.util.ArrayList<>();
            for (int i = 0; i < 100; i++) {
                int n = chunk * 100 + i;
                burst.add(api("burst-" + n, "customer-" + n, "message " + n));
            }
            store.ingest(burst, LIMITS);
        }

        assertThat(routing.routeAll()).isEqualTo(1000);

        assertThat(asked.get()).isEqualTo(1000);
        assertThat(db.scalar("SELECT COUNT(*) FROM message_annotation WHERE source = 'slow-sentiment'"))
                .isEqualTo(1000);
    }

    /** A classifier that keeps running late is left out for a while instead of costing every batch its timeout. */
    @ParameterizedTest
    @MethodSource(DATABASES)
    void aClassifierLateThreeTimesInARowIsLeftOutForAWhile(String kind) throws Exception {
        RoutingStage routing = open(kind, Configs.settings("classifierTimeoutMillis", 100, "routingBatchSize", 1));
        java.util.concurrent.atomic.AtomicInteger asked = new java.util.concurrent.atomic.AtomicInteger();
        CountDownLatch never = new CountDownLatch(1);
        classifiers.add(m -> {
            asked.incrementAndGet();
            try {
                never.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return List.of();
        }, Map.of(Constants.SERVICE_ID, 201L, "component.name", "slow"));
        for (int i = 0; i < 6; i++) {
            ingest(api("m" + i, "customer-" + i, "hi"));
        }

        assertThat(routing.routeAll()).isEqualTo(6);

        assertThat(asked.get()).isEqualTo(Classifiers.LATE_IN_A_ROW);
        never.countDown();
    }

    @ParameterizedTest
    @MethodSource(DATABASES)
    void aRuleWhoseBundleGoesIsNeverAskedAgainEvenAfterItsRankingChanged(String kind) throws SQLException {
        RoutingStage routing = open(kind);
        RoutingRule vip = rule("vip", m -> "vip");
        Map<String, Object> properties = service("10");
        rules.add(vip, properties, "org.frontdoor.rule.test");
        Map<String, Object> reranked = new HashMap<>(properties);
        reranked.put(Constants.SERVICE_RANKING, "200"); // as a changed cfg file gives it
        rules.update(vip, reranked, "org.frontdoor.rule.test");
        rules.remove(vip, reranked);
        long id = ingest(api("1", "alice", "hi")).get(0).receipt().conversationId();

        routing.routeAll();

        assertThat(summary(id).department()).isEqualTo("support");
        await().until(() -> rules.ordered().isEmpty());
    }
}
