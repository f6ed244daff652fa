package org.frontdoor.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.frontdoor.core.Messages.api;

import java.sql.SQLException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;

import org.frontdoor.api.Annotation;
import org.frontdoor.api.Caller;
import org.frontdoor.api.Channel;
import org.frontdoor.api.ChannelCapabilities;
import org.frontdoor.api.ChannelHealth;
import org.frontdoor.api.Message;
import org.frontdoor.api.RoutingContext;
import org.frontdoor.api.RoutingDecision;
import org.frontdoor.api.RoutingRule;
import org.frontdoor.api.Scope;
import org.frontdoor.api.Visibility;
import org.frontdoor.api.admin.FoundAnnotation;
import org.frontdoor.api.admin.RuleAnswer;
import org.frontdoor.api.admin.RuleTestRequest;
import org.frontdoor.api.admin.RuleTestResult;
import org.frontdoor.store.IngestLimits;
import org.frontdoor.store.jpa.StoreTestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.osgi.framework.Constants;

/** rule-test's service: the routing stage's classifiers and rules on a made-up message, on H2 and PostgreSQL. */
class RuleTesterServiceTest {

    private static final String DATABASES = "org.frontdoor.store.jpa.StoreTestDatabase#kinds";
    private static final Caller ADMIN = new Caller("root", Set.of("admin"), Scope.ALL);
    private static final List<String> TABLES = List.of("customer", "customer_identity", "conversation", "message",
            "message_annotation", "reply", "conversation_event", "audit_event");

    private StoreTestDatabase db;
    private final RuleRegistry rules = new RuleRegistry();
    private final Classifiers classifiers = new Classifiers();
    private final Doors doors = new Doors();
    private RoutingStage routing;
    private long nextServiceId = 1;

    private RuleTesterService open(String kind) throws SQLException {
        return open(kind, Configs.settings());
    }

    private RuleTesterService open(String kind, Settings settings) throws SQLException {
        db = StoreTestDatabase.create(kind);
        routing = new RoutingStage(db.store(), rules, classifiers, () -> settings, "node-a", () -> { });
        return new RuleTesterService(routing, doors);
    }

    @AfterEach
    void close() throws Exception {
        classifiers.close();
        if (db != null) {
            db.close();
        }
    }

    private void register(int ranking, RoutingRule rule) {
        Map<String, Object> properties = new HashMap<>();
        properties.put(Constants.SERVICE_ID, nextServiceId++);
        properties.put(Constants.SERVICE_RANKING, ranking);
        rules.add(rule, properties, "org.frontdoor.rule.test");
    }

    private static RoutingRule rule(String name, java.util.function.BiFunction<Message, RoutingContext,
            RoutingDecision> decide) {
        return new RoutingRule() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public Optional<RoutingDecision> decide(Message message, RoutingContext context) {
                return Optional.ofNullable(decide.apply(message, context));
            }
        };
    }

    private static RuleTestRequest request(String text, String channel, Visibility visibility) {
        return new RuleTestRequest(text, channel, null, visibility, null, null);
    }

    /** The rows of every table a routed message touches, and the event log's head. */
    private Map<String, Long> rows() throws SQLException {
        Map<String, Long> rows = new LinkedHashMap<>();
        for (String table : TABLES) {
            rows.put(table, db.count(table));
        }
        rows.put("event log head", db.scalar("SELECT position FROM event_log_head"));
        return rows;
    }

    /**
     * Every rule is asked in ranking order, even after the first claim; the classifier's annotation reaches them; a
     * throwing rule is reported with what it threw; the first claim decides; and nothing is stored.
     */
    @ParameterizedTest
    @MethodSource(DATABASES)
    void asksEveryRuleInRankingOrderWithTheClassifiersAnnotationsAndStoresNothing(String kind) throws Exception {
        RuleTesterService tester = open(kind);
        List<String> classified = new CopyOnWriteArrayList<>();
        classifiers.add(m -> {
            classified.add(m.text());
            return List.of(new Annotation("sentiment", m.text().contains("angry") ? "negative" : "neutral", 0.9));
        }, Map.of(Constants.SERVICE_ID, 101L, "component.name", "mood"));
        register(10, rule("unhappy", (m, c) -> c.annotations().contains(new Annotation("sentiment", "negative", 0.9))
                ? new RoutingDecision("complaints", 2, "calm", "unhappy") : null));
        register(100, rule("broken", (m, c) -> {
            throw new IllegalStateException("rule bug");
        }));
        register(50, rule("refunds", (m, c) -> m.text().contains("refund")
                ? new RoutingDecision("billing", 1, null, "refunds") : null));
        register(5, rule("vip", (m, c) -> m.author().handle().startsWith("vip")
                ? new RoutingDecision("vip", 3, null, "vip") : null));
        // something stored already, so that "nothing stored" is not "an empty database stays empty"
        db.store().ingest(List.of(api("1", "alice", "hello")), new IngestLimits(30_000, 2_000));
        routing.routeAll();
        Map<String, Long> before = rows();

        RuleTestResult result = tester.test(ADMIN, request("I am angry, I want a refund", "api", Visibility.PRIVATE));

        assertThat(result.rules()).extracting(RuleAnswer::name, RuleAnswer::ranking, RuleAnswer::bundle,
                RuleAnswer::claimed).containsExactly(tuple("broken", 100, "org.frontdoor.rule.test", false),
                tuple("refunds", 50, "org.frontdoor.rule.test", true),
                tuple("unhappy", 10, "org.frontdoor.rule.test", true),
                tuple("vip", 5, "org.frontdoor.rule.test", false));
        assertThat(result.rules().get(0).error()).contains("IllegalStateException").contains("rule bug");
        assertThat(result.rules().get(2).decision()).isEqualTo(new RoutingDecision("complaints", 2, "calm", "unhappy"));
        assertThat(result.rules().get(3).error()).isNull();
        assertThat(result.annotations()).containsExactly(new FoundAnnotation("mood",
                new Annotation("sentiment", "negative", 0.9)));
        assertThat(result.decision()).isEqualTo(new RoutingDecision("billing", 1, null, "refunds"));
        assertThat(result.byDefault()).isFalse();
        assertThat(classified).containsExactly("hello", "I am angry, I want a refund");
        assertThat(rows()).as("rows and events before and after").isEqualTo(before);
    }

    /** What no rule claims goes to the default department; a door that is not running is said to be unchecked. */
    @ParameterizedTest
    @MethodSource(DATABASES)
    void whatNoRuleClaimsGoesToTheDefaultDepartmentAndAnUnknownDoorIsSaidUnchecked(String kind) throws Exception {
        RuleTesterService tester = open(kind);
        register(10, rule("refunds", (m, c) -> m.text().contains("refund")
                ? new RoutingDecision("billing", 1, null, "refunds") : null));
        List<Message> seen = new CopyOnWriteArrayList<>();
        register(5, rule("recorder", (m, c) -> {
            seen.add(m);
            return null;
        }));
        Map<String, Long> before = rows();

        RuleTestResult result = tester.test(ADMIN, new RuleTestRequest("where is my parcel", "email", null,
                Visibility.PUBLIC, "ann@example.com", "Parcel"));

        assertThat(result.decision()).isEqualTo(new RoutingDecision("support", 0, null, "default", "no rule claimed it"));
        assertThat(result.byDefault()).isTrue();
        assertThat(result.rules()).extracting(RuleAnswer::claimed).containsExactly(false, false);
        assertThat(result.door()).isEqualTo("email/test");
        assertThat(result.notes()).containsExactly(
                "No door of channel email is running: its limits (public or private) are not checked");
        assertThat(seen).singleElement().satisfies(m -> {
            assertThat(m.channel()).isEqualTo("email");
            assertThat(m.visibility()).isEqualTo(Visibility.PUBLIC);
            assertThat(m.author().handle()).isEqualTo("ann@example.com");
            assertThat(m.annotations()).containsExactly(new Annotation("subject", "Parcel", 1.0));
        });
        assertThat(rows()).isEqualTo(before);
    }

    /** A running door is taken when no instance is named, and its public and private modes are checked. */
    @ParameterizedTest
    @MethodSource(DATABASES)
    void aRunningDoorIsUsedAndItsModesChecked(String kind) throws Exception {
        RuleTesterService tester = open(kind);
        doors.add(door("api", "demo"), Map.of(Channel.CHANNEL, "api", Channel.INSTANCE, "demo"));

        RuleTestResult result = tester.test(ADMIN, request("hello", "api", Visibility.PUBLIC));

        assertThat(result.door()).isEqualTo("api/demo");
        assertThat(result.notes())
                .containsExactly("Door api/demo cannot answer in public: its answer would not be public");
        assertThat(tester.test(ADMIN, request("hello", "api", Visibility.PRIVATE)).notes()).isEmpty();
        assertThat(tester.test(ADMIN, new RuleTestRequest("hello", "api", "shop", Visibility.PRIVATE, null, null))
                .notes())
                .containsExactly("Door api/shop is not running: its limits (public or private) are not checked");
    }

    @ParameterizedTest
    @MethodSource(DATABASES)
    void isForAdminsAndSupervisorsAndRefusesWhatCoreWouldRefuse(String kind) throws Exception {
        RuleTesterService tester = open(kind);
        RuleTestRequest request = request("hello", "api", Visibility.PRIVATE);

        assertThatThrownBy(() -> tester.test(new Caller("jane", Set.of("agent"), Scope.ALL), request))
                .isInstanceOf(SecurityException.class)
                .hasMessage("Testing the routing rules is for admins and supervisors");
        assertThat(tester.test(new Caller("sam", Set.of("supervisor"), Scope.ALL), request).byDefault()).isTrue();
        assertThat(tester.test(Caller.system("crm"), request).byDefault()).isTrue();
        assertThatThrownBy(() -> tester.test(ADMIN, request("a\0b", "api", Visibility.PRIVATE)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("NUL");
    }

    /**
     * A classifier that fails or runs late is left out, as in routing, and named in a note; being late in a dry run
     * does not count towards pausing it for routing.
     */
    @ParameterizedTest
    @MethodSource(DATABASES)
    void namesTheClassifiersLeftOutAndDoesNotPauseALateOne(String kind) throws Exception {
        RuleTesterService tester = open(kind, Configs.settings("classifierTimeoutMillis", 1000));
        CountDownLatch never = new CountDownLatch(1);
        classifiers.add(m -> {
            throw new IllegalStateException("no model");
        }, Map.of(Constants.SERVICE_ID, 101L, "component.name", "broken"));
        classifiers.add(m -> {
            try {
                never.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return List.of();
        }, Map.of(Constants.SERVICE_ID, 102L, "component.name", "slow"));
        try {
            for (int i = 0; i < Classifiers.LATE_IN_A_ROW + 1; i++) {
                RuleTestResult result = tester.test(ADMIN, request("hello", "api", Visibility.PRIVATE));
                assertThat(result.notes()).as("run %d", i).contains(
                        "Classifier broken failed: java.lang.IllegalStateException: no model; left out",
                        "Classifier slow ran past 1000 ms: left out");
            }
        } finally {
            never.countDown();
        }
    }

    private static Channel door(String id, String instance) {
        return new Channel() {
            @Override
            public String id() {
                return id;
            }

            @Override
            public String instance() {
                return instance;
            }

            @Override
            public ChannelCapabilities capabilities() {
                return ChannelCapabilities.plainPrivate();
            }

            @Override
            public ChannelHealth health() {
                return ChannelHealth.up();
            }
        };
    }
}
