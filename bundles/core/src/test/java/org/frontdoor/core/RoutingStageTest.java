package org.frontdoor.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;
import static org.frontdoor.core.Messages.api;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;

import org.frontdoor.api.ConversationEvent;
import org.frontdoor.api.Message;
import org.frontdoor.api.RoutingContext;
import org.frontdoor.api.RoutingDecision;
import org.frontdoor.api.RoutingRule;
import org.frontdoor.api.inbox.ConversationStatus;
import org.frontdoor.api.inbox.ConversationSummary;
import org.frontdoor.store.Ingested;
import org.frontdoor.store.Store;
import org.frontdoor.store.jpa.StoreTestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.osgi.framework.Constants;

/** The routing stage on the real store, H2 and PostgreSQL; rules ordered the way the pipeline orders them. */
class RoutingStageTest {

    private static final String DATABASES = "org.frontdoor.store.jpa.StoreTestDatabase#kinds";

    private StoreTestDatabase db;
    private Store store;
    private final EventBus events = new EventBus();
    private final List<ConversationEvent> delivered = new CopyOnWriteArrayList<>();
    /** As the pipeline keeps its rules: keyed by service.ranking and service.id. */
    private final Map<Pipeline.RuleKey, RoutingRule> rules = new ConcurrentSkipListMap<>();
    private long nextServiceId = 1;

    private RoutingStage open(String kind, int batchSize) throws SQLException {
        db = StoreTestDatabase.create(kind);
        store = db.store();
        events.subscribe(new EventBus.Subscriber() {
            @Override
            public boolean wants(ConversationEvent event) {
                return true;
            }

            @Override
            public void deliver(ConversationEvent event) {
                delivered.add(event);
            }
        });
        return new RoutingStage(store, () -> new ArrayList<>(rules.values()), "support", batchSize, events);
    }

    @AfterEach
    void close() throws Exception {
        events.close();
        if (db != null) {
            db.close();
        }
    }

    private void register(int ranking, RoutingRule rule) {
        rules.put(Pipeline.key(Map.of(Constants.SERVICE_RANKING, ranking, Constants.SERVICE_ID, nextServiceId++)), rule);
    }

    private static RoutingRule rule(String name, String keyword, String department, int priority) {
        return new RoutingRule() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public Optional<RoutingDecision> decide(Message message, RoutingContext context) {
                return keyword == null || message.text().contains(keyword)
                        ? Optional.of(new RoutingDecision(department, priority, null, name)) : Optional.empty();
            }
        };
    }

    private static RoutingRule failing(String name) {
        return new RoutingRule() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public Optional<RoutingDecision> decide(Message message, RoutingContext context) {
                throw new IllegalStateException("rule " + name + " is broken");
            }
        };
    }

    private long ingest(String externalId, String handle, String text) {
        return store.ingest(List.of(api(externalId, handle, text))).get(0).receipt().conversationId();
    }

    private ConversationSummary summary(long conversation) {
        return store.conversation(conversation).orElseThrow().summary();
    }

    @ParameterizedTest
    @MethodSource(DATABASES)
    void sendsWhatNoRuleClaimsToTheDefaultDepartmentAndPublishesRouted(String kind) throws SQLException {
        RoutingStage routing = open(kind, 200);
        long first = ingest("1", "alice", "hello");
        long second = ingest("2", "bob", "hi there");

        assertThat(routing.routeAll()).isEqualTo(2);

        assertThat(List.of(summary(first), summary(second))).allSatisfy(s -> {
            assertThat(s.status()).isEqualTo(ConversationStatus.QUEUED);
            assertThat(s.department()).isEqualTo("support");
            assertThat(s.priority()).isZero();
        });
        assertThat(store.conversationsToRoute(10)).isEmpty();
        await().untilAsserted(() -> assertThat(delivered)
                .extracting(ConversationEvent::type, ConversationEvent::conversationId, ConversationEvent::department,
                        ConversationEvent::channel, ConversationEvent::detail)
                .containsExactly(tuple(ConversationEvent.Type.ROUTED, first, "support", "api", "rule default"),
                        tuple(ConversationEvent.Type.ROUTED, second, "support", "api", "rule default")));
        assertThat(routing.routeAll()).as("nothing left to route").isZero();
    }

    @ParameterizedTest
    @MethodSource(DATABASES)
    void letsTheHighestRankedRuleThatClaimsDecide(String kind) throws SQLException {
        RoutingStage routing = open(kind, 200);
        register(0, rule("catch-all", null, "sales", 0));
        register(10, rule("refunds", "refund", "billing", 2));
        register(Integer.MIN_VALUE, rule("last-resort", null, "triage", 0));
        register(10, rule("refunds-too", "refund", "finance", 1)); // same ranking, registered later: asked after
        register(Integer.MAX_VALUE, rule("vip", "VIP", "vip-desk", 5));
        long refund = ingest("1", "alice", "I want a refund");
        long vipRefund = ingest("2", "bob", "VIP here, refund please");
        long other = ingest("3", "carol", "where is my parcel");

        routing.routeAll();

        assertThat(List.of(summary(refund), summary(vipRefund), summary(other)))
                .extracting(ConversationSummary::department, ConversationSummary::priority)
                .containsExactly(tuple("billing", 2), tuple("vip-desk", 5), tuple("sales", 0));
        await().untilAsserted(() -> assertThat(delivered).extracting(ConversationEvent::detail)
                .containsExactlyInAnyOrder("rule refunds", "rule vip", "rule catch-all"));
    }

    @ParameterizedTest
    @MethodSource(DATABASES)
    void skipsARuleThatThrowsAndAsksTheNextOneOrFallsBackToTheDefault(String kind) throws SQLException {
        RoutingStage routing = open(kind, 200);
        register(100, failing("broken"));
        register(50, rule("refunds", "refund", "billing", 1));
        register(10, failing("also-broken"));
        long refund = ingest("1", "alice", "refund please");
        long other = ingest("2", "bob", "hello");

        assertThat(routing.routeAll()).isEqualTo(2);

        assertThat(summary(refund).department()).isEqualTo("billing");
        assertThat(summary(other).department()).isEqualTo("support");
        assertThat(summary(other).status()).isEqualTo(ConversationStatus.QUEUED);
    }

    @ParameterizedTest
    @MethodSource(DATABASES)
    void givesRulesTheConversationAndCustomerOfTheLatestMessage(String kind) throws SQLException {
        RoutingStage routing = open(kind, 200);
        List<RoutingContext> seen = new CopyOnWriteArrayList<>();
        List<String> texts = new CopyOnWriteArrayList<>();
        register(0, new RoutingRule() {
            @Override
            public String name() {
                return "observer";
            }

            @Override
            public Optional<RoutingDecision> decide(Message message, RoutingContext context) {
                seen.add(context);
                texts.add(message.text());
                return Optional.empty();
            }
        });
        Ingested first = store.ingest(List.of(api("1", "alice", "first"), api("2", "alice", "second"))).get(0);

        routing.routeAll();

        assertThat(seen).singleElement().satisfies(c -> {
            assertThat(c.conversationId()).isEqualTo(first.receipt().conversationId());
            assertThat(c.customerId()).isEqualTo(first.receipt().customerId());
            assertThat(c.department()).isNull();
        });
        assertThat(texts).containsExactly("second");
    }

    @ParameterizedTest
    @MethodSource(DATABASES)
    void routesEverythingWaitingAcrossSeveralBatches(String kind) throws SQLException {
        RoutingStage routing = open(kind, 2);
        List<Long> conversations = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            conversations.add(ingest("m-" + i, "customer-" + i, "text " + i));
        }

        assertThat(routing.routeAll()).isEqualTo(5);

        assertThat(conversations).allSatisfy(c -> assertThat(summary(c).status()).isEqualTo(ConversationStatus.QUEUED));
        await().untilAsserted(() -> assertThat(delivered).extracting(ConversationEvent::conversationId)
                .containsExactlyElementsOf(conversations));
    }

    @ParameterizedTest
    @MethodSource(DATABASES)
    void aDecisionTheStoreCannotHoldIsSkippedLikeAFailingRuleAndBlocksNobody(String kind) throws SQLException {
        RoutingStage routing = open(kind, 200);
        // department ids are VARCHAR(64); a rule that builds them from configuration or content can exceed that
        register(10, rule("long-name", "weird", "d".repeat(65), 0));
        register(10, rule("long-skill", "skill", "sales", 0));
        RoutingRule skilled = new RoutingRule() {
            @Override
            public String name() {
                return "skilled";
            }

            @Override
            public Optional<RoutingDecision> decide(Message message, RoutingContext context) {
                return message.text().contains("skill")
                        ? Optional.of(new RoutingDecision("sales", 0, "s".repeat(65), "skilled")) : Optional.empty();
            }
        };
        register(20, skilled);
        register(5, rule("r".repeat(2000), "essay", "sales", 0)); // its name goes into the audit trail
        long weird = ingest("1", "alice", "weird request");
        long essay = ingest("4", "dave", "an essay");
        long skill = ingest("2", "bob", "needs a skill");
        long normal = ingest("3", "carol", "hello");

        assertThat(routing.routeAll()).isEqualTo(4);

        assertThat(summary(weird).department()).isEqualTo("support");
        assertThat(summary(essay).department()).isEqualTo("support");
        assertThat(summary(skill).department()).as("the next rule decides").isEqualTo("sales");
        assertThat(summary(normal).department()).isEqualTo("support");
        assertThat(store.conversationsToRoute(10)).isEmpty();
    }

    @Test
    void ordersRulesByRankingHighestFirstThenByServiceId() {
        List<Pipeline.RuleKey> keys = new ArrayList<>(List.of(
                Pipeline.key(Map.of(Constants.SERVICE_RANKING, Integer.MIN_VALUE, Constants.SERVICE_ID, 1L)),
                Pipeline.key(Map.of(Constants.SERVICE_ID, 2L)),
                Pipeline.key(Map.of(Constants.SERVICE_RANKING, "7", Constants.SERVICE_ID, 3L)), // not an Integer: 0
                Pipeline.key(Map.of(Constants.SERVICE_RANKING, Integer.MAX_VALUE, Constants.SERVICE_ID, 4L)),
                Pipeline.key(Map.of(Constants.SERVICE_RANKING, -5, Constants.SERVICE_ID, 5L)),
                Pipeline.key(Map.of(Constants.SERVICE_RANKING, 5, Constants.SERVICE_ID, 6L))));
        keys.sort(null);
        assertThat(keys).extracting(Pipeline.RuleKey::serviceId).containsExactly(4L, 6L, 2L, 3L, 5L, 1L);
    }
}
