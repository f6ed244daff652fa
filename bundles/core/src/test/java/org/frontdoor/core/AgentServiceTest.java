package org.frontdoor.core;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.frontdoor.api.BusinessHours;
import org.frontdoor.api.Caller;
import org.frontdoor.api.Department;
import org.frontdoor.api.Departments;
import org.frontdoor.api.Identity;
import org.frontdoor.api.Message;
import org.frontdoor.api.RoutingDecision;
import org.frontdoor.api.Scope;
import org.frontdoor.api.agents.Agent;
import org.frontdoor.api.agents.Presence;
import org.frontdoor.api.inbox.ConversationStatus;
import org.frontdoor.store.IngestLimits;
import org.frontdoor.store.PendingRoute;
import org.frontdoor.store.RouteResult;
import org.frontdoor.store.jpa.JpaStore;
import org.frontdoor.store.jpa.StoreTestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Agents, scopes from membership, and assignment rounds on the real store, H2 and PostgreSQL. */
class AgentServiceTest {

    private static final String DATABASES = "org.frontdoor.store.jpa.StoreTestDatabase#kinds";
    private static final Caller ADMIN = new Caller("root", Set.of("admin"), Scope.ALL);

    private StoreTestDatabase db;
    private JpaStore store;
    private final List<Department> configured = new CopyOnWriteArrayList<>();
    private final Departments departments = new Departments() {
        @Override
        public List<Department> list() {
            return List.copyOf(configured);
        }

        @Override
        public Optional<Department> get(String id) {
            return configured.stream().filter(d -> d.id().equals(id)).findFirst();
        }
    };
    private final MutableClock clock = new MutableClock(Instant.now());
    private final AtomicInteger changes = new AtomicInteger();
    private AgentService agents;
    private InboxService inbox;
    private int messages;

    private void open(String kind) throws SQLException {
        db = StoreTestDatabase.create(kind);
        store = db.store();
        agents = new AgentService(store, departments, clock, changes::incrementAndGet, false);
        inbox = new InboxService(store, new Doors(), () -> { }, () -> { });
    }

    @AfterEach
    void close() throws Exception {
        if (db != null) {
            db.close();
        }
    }

    private static Department department(String id, Department.Assignment assignment, String... readGroups) {
        return new Department(id, id, Department.Status.CONFIGURED, null, "test", BusinessHours.parse(BusinessHours.ALWAYS, java.time.ZoneOffset.UTC, List.of()), 0, 0, 0,
                Set.of(readGroups), false, assignment);
    }

    private void agent(String name, int capacity, String... departments) {
        agents.create(Agent.of(name, null, Set.of(departments), Set.of(), Set.of(), capacity), "root");
        agents.setPresence(name, Presence.ONLINE, name);
    }

    /** Ingests {@code n} conversations and routes them to {@code department}. */
    private List<Long> routed(int n, String department) {
        List<Message> in = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int k = ++messages;
            in.add(Message.inbound("api", "demo").externalId("m-" + k)
                    .author(new Identity("api", "c" + k, "Customer " + k, null, null, 0)).text("help " + k).build());
        }
        List<Long> ids = store.ingest(in, new IngestLimits(30_000, 2_000)).stream()
                .map(r -> r.receipt().conversationId()).toList();
        List<PendingRoute> pending = store.claimConversationsToRoute("n", Instant.now().plusSeconds(60), 100);
        store.routed("n", pending.stream().map(p -> new RouteResult(p.conversationId(),
                new RoutingDecision(department, 0, null, "test"), Map.of(), 0)).toList());
        return ids;
    }

    private String assignee(long id) {
        return inbox.conversation(ADMIN, id).orElseThrow().summary().assignee();
    }

    @ParameterizedTest
    @MethodSource(DATABASES)
    void theScopeIsTheAgentsDepartmentsAndThoseTheirRolesMayReadEverythingForAdmins(String kind) throws SQLException {
        open(kind);
        configured.add(department("support", Department.Assignment.MANUAL));
        configured.add(department("sales", Department.Assignment.MANUAL, "sales-readers"));
        configured.add(department("legal", Department.Assignment.MANUAL, "lawyers"));
        agents.create(Agent.of("jane", null, Set.of("support"), Set.of(), Set.of(), 5), "root");

        assertThat(agents.scopeOf("root", Set.of("admin"))).isEqualTo(Scope.ALL);
        assertThat(agents.scopeOf("jane", Set.of("agent"))).isEqualTo(Scope.departments(Set.of("support")));
        assertThat(agents.scopeOf("jane", Set.of("agent", "sales-readers")))
                .isEqualTo(Scope.departments(Set.of("support", "sales")));
        assertThat(agents.scopeOf("stranger", Set.of("agent"))).isEqualTo(Scope.departments(Set.of()));
        assertThat(agents.scopeOf("stranger", Set.of("lawyers")).covers("legal")).isTrue();
        assertThat(agents.scopeOf("stranger", Set.of("agent")).covers(null)).as("not routed yet: admins only")
                .isFalse();
    }

    @ParameterizedTest
    @MethodSource(DATABASES)
    void aRoundGivesOutTheQueueInTurnWithinCapacityAndGivesBackWhatAnAbsentAgentHolds(String kind)
            throws SQLException {
        open(kind);
        configured.add(department("support", Department.Assignment.ROUND_ROBIN));
        configured.add(department("sales", Department.Assignment.MANUAL));
        agent("ann", 1, "support", "sales");
        agent("bob", 1, "support");
        List<Long> ids = routed(3, "support");
        List<Long> manual = routed(1, "sales");

        assertThat(agents.tick()).isEqualTo(2);
        assertThat(List.of(assignee(ids.get(0)), assignee(ids.get(1)))).containsExactly("ann", "bob");
        assertThat(assignee(ids.get(2))).as("both are at capacity").isNull();
        assertThat(assignee(manual.get(0))).as("sales assigns by hand").isNull();
        assertThat(changes.get()).isPositive();

        // ann leaves: what she did not answer goes back, and nobody is free to take it
        agents.setPresence("ann", Presence.OFFLINE, "ann");
        assertThat(assignee(ids.get(0))).isNull();
        agents.tick();
        assertThat(inbox.conversation(ADMIN, ids.get(0)).orElseThrow().summary().status())
                .isEqualTo(ConversationStatus.QUEUED);

        // bob resolves his: the next in the queue goes to him
        inbox.resolve(new Caller("bob", Set.of("agent"), Scope.departments(Set.of("support"))), ids.get(1));
        assertThat(agents.tick()).isEqualTo(1);
        assertThat(agents.find("bob").orElseThrow().open()).isEqualTo(1);
        assertThat(agents.tick()).isZero();
    }

    @ParameterizedTest
    @MethodSource(DATABASES)
    void aSnoozedConversationComesBackByItselfWhenItsTimeComesAndIsAssignedAgain(String kind) throws SQLException {
        open(kind);
        configured.add(department("support", Department.Assignment.LEAST_LOADED));
        List<Long> ids = routed(1, "support");
        Caller jane = new Caller("jane", Set.of("agent"), Scope.departments(Set.of("support")));
        inbox.snooze(jane, ids.get(0), Instant.now().plus(Duration.ofHours(1)));
        agent("ann", 3, "support");

        assertThat(agents.tick()).as("a snoozed conversation is given to nobody").isZero();
        clock.advance(Duration.ofHours(2));
        assertThat(agents.tick()).isEqualTo(2); // woken, then assigned
        assertThat(assignee(ids.get(0))).isEqualTo("ann");

        assertThatThrownBy(() -> inbox.snooze(new Caller("sam", Set.of("agent"), Scope.departments(Set.of("sales"))),
                ids.get(0), Instant.now().plusSeconds(60))).isInstanceOf(java.util.NoSuchElementException.class);
        assertThatThrownBy(() -> inbox.assign(jane, ids.get(0), "ann"))
                .as("an agent takes conversations, a supervisor gives them").isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("supervisor");
        Caller sup = new Caller("sue", Set.of("supervisor"), Scope.departments(Set.of("support")));
        assertThat(inbox.assign(sup, ids.get(0), "jane").assignee()).isEqualTo("jane");
    }
}
