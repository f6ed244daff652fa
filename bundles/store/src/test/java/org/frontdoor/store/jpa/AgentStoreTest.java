package org.frontdoor.store.jpa;

import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.frontdoor.api.Annotation;
import org.frontdoor.api.ConversationEvent;
import org.frontdoor.api.Department.Assignment;
import org.frontdoor.api.RoutingDecision;
import org.frontdoor.api.Scope;
import org.frontdoor.api.Visibility;
import org.frontdoor.api.agents.Agent;
import org.frontdoor.api.agents.AgentConflictException;
import org.frontdoor.api.agents.Presence;
import org.frontdoor.api.inbox.ConversationStatus;
import org.frontdoor.store.AgentStore.Assigned;
import org.frontdoor.store.PendingRoute;
import org.frontdoor.store.RouteResult;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Agents in the database, assignment by department strategy, give-back and snooze, on H2 and PostgreSQL. */
class AgentStoreTest extends StoreTest {

    private Agent online(String name, int capacity, String... departments) {
        store.createAgent(Agent.of(name, null, Set.of(departments), Set.of(), Set.of(), capacity), "admin");
        return store.setPresence(name, Presence.ONLINE, "admin");
    }

    private List<Long> queued(int n, String department) {
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ids.add(conversationOf(message("m" + department + i + "-" + System.nanoTime(), "c" + i + department, null,
                    "hello " + i)));
        }
        routeAll(department);
        return ids;
    }

    private String status(long id) throws SQLException {
        return text("SELECT status FROM conversation WHERE id = " + id);
    }

    private String assignee(long id) throws SQLException {
        return text("SELECT assignee FROM conversation WHERE id = " + id);
    }

    @ParameterizedTest
    @MethodSource("databases")
    void agentsAreStoredAndAChangeAgainstAStaleVersionIsRefused(String kind) throws SQLException {
        open(kind);
        Agent jane = store.createAgent(Agent.of("jane", "Jane Doe", Set.of("support", "sales"), Set.of("refunds"),
                Set.of("en", "de"), 3), "admin");
        assertThat(jane.version()).isEqualTo(1);
        assertThat(jane.presence()).isEqualTo(Presence.OFFLINE);
        assertThat(store.agent("jane")).contains(jane);
        assertThatThrownBy(() -> store.createAgent(Agent.of("jane", null, Set.of(), Set.of(), Set.of(), 1), "admin"))
                .isInstanceOf(AgentConflictException.class).hasMessageContaining("exists");

        Agent changed = store.updateAgent(new Agent("jane", "Jane", Set.of("support"), Set.of(), Set.of("en"), 5,
                null, null, jane.version(), 0), "admin");
        assertThat(changed.departments()).containsExactly("support");
        assertThat(changed.capacity()).isEqualTo(5);
        assertThat(changed.version()).isEqualTo(2);
        assertThatThrownBy(() -> store.updateAgent(new Agent("jane", "Lost update", Set.of(), Set.of(), Set.of(), 1,
                null, null, jane.version(), 0), "other-admin"))
                .isInstanceOf(AgentConflictException.class).hasMessageContaining("changed meanwhile");
        assertThat(store.agent("jane").orElseThrow().displayName()).isEqualTo("Jane");
        assertThatThrownBy(() -> store.updateAgent(Agent.of("nobody", null, Set.of(), Set.of(), Set.of(), 1), "admin"))
                .isInstanceOf(NoSuchElementException.class);
        assertThatThrownBy(() -> store.createAgent(Agent.of("x", null, Set.of("no spaces"), Set.of(), Set.of(), 1),
                "admin")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("department id");
        assertThatThrownBy(() -> store.createAgent(Agent.of("y", null, Set.of(), Set.of(), Set.of("english"), 1),
                "admin")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("language");
        assertThat(scalar("SELECT COUNT(*) FROM audit_event WHERE action IN ('agent.created', 'agent.changed')"))
                .isEqualTo(2);
        assertThat(store.agents()).extracting(Agent::name).containsExactly("jane");
    }

    @ParameterizedTest
    @MethodSource("databases")
    void roundRobinAlternatesRemembersItsPlaceAndHoldsCapacity(String kind) throws SQLException {
        open(kind);
        online("ann", 2, "support");
        online("bob", 2, "support");
        online("cid", 9, "sales");
        List<Long> ids = queued(5, "support");

        List<Assigned> first = store.assignQueued("support", Assignment.ROUND_ROBIN, 1);
        List<Assigned> rest = store.assignQueued("support", Assignment.ROUND_ROBIN, 10);

        assertThat(first).extracting(Assigned::agent).containsExactly("ann");
        assertThat(rest).extracting(Assigned::agent).containsExactly("bob", "ann", "bob");
        assertThat(status(ids.get(4))).as("both agents are full").isEqualTo("QUEUED");
        assertThat(store.agent("ann").orElseThrow().open()).isEqualTo(2);
        assertThat(eventTypes(ids.get(0))).contains(ConversationEvent.Type.ASSIGNED);
        assertThat(scalar("SELECT COUNT(*) FROM audit_event WHERE action = 'conversation.assigned'")).isEqualTo(4);

        // bob resolves one: the rotation goes on where it was (ann was given one last... bob is next after ann)
        store.resolve(Scope.ALL, ids.get(1), "bob");
        assertThat(store.assignQueued("support", Assignment.ROUND_ROBIN, 10)).extracting(Assigned::agent)
                .containsExactly("bob");
        assertThat(store.assignQueued("support", Assignment.MANUAL, 10)).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("databases")
    void leastLoadedGivesToWhoHoldsFewestAndSkillsMatchLanguageAndSkill(String kind) throws SQLException {
        open(kind);
        online("ann", 5, "support");
        online("bob", 5, "support");
        List<Long> ids = queued(3, "support");
        store.assign(Scope.ALL, ids.get(0), "ann", "ann");
        assertThat(store.assignQueued("support", Assignment.LEAST_LOADED, 1)).extracting(Assigned::agent)
                .containsExactly("bob");

        store.createAgent(Agent.of("gus", null, Set.of("billing"), Set.of("refunds"), Set.of("de"), 5), "admin");
        store.setPresence("gus", Presence.ONLINE, "admin");
        store.createAgent(Agent.of("eve", null, Set.of("billing"), Set.of("refunds"), Set.of("en"), 5), "admin");
        store.setPresence("eve", Presence.ONLINE, "admin");
        long german = conversationOf(message("de-1", "hans", null, "Ich möchte mein Geld zurück"));
        long unknown = conversationOf(message("xx-1", "anon", null, "??"));
        List<PendingRoute> pending = store.claimConversationsToRoute(NODE, Instant.now().plusSeconds(60), 10);
        List<RouteResult> results = new ArrayList<>();
        for (PendingRoute p : pending) {
            long messageId = p.messages().get(p.messages().size() - 1).id();
            Map<Long, List<RouteResult.SourcedAnnotation>> found = p.conversationId() == german
                    ? Map.of(messageId, List.of(new RouteResult.SourcedAnnotation(
                    new Annotation("language", "de", 0.9), "lingua"))) : Map.of();
            results.add(new RouteResult(p.conversationId(), new RoutingDecision("billing", 0, "refunds", "r"), found,
                    0));
        }
        store.routed(NODE, results);
        List<Assigned> assigned = store.assignQueued("billing", Assignment.SKILLS, 10);
        Map<Long, String> to = new HashMap<>();
        assigned.forEach(a -> to.put(a.conversationId(), a.agent()));
        assertThat(to.get(german)).as("the German speaker").isEqualTo("gus");
        assertThat(to).containsKey(unknown);

        store.updateAgent(new Agent("eve", null, Set.of("billing"), Set.of(), Set.of("en"), 5, null, null,
                store.agent("eve").orElseThrow().version(), 0), "admin");
        store.setPresence("gus", Presence.OFFLINE, "admin");
        long third = conversationOf(message("xx-2", "anon2", null, "refund"));
        pending = store.claimConversationsToRoute(NODE, Instant.now().plusSeconds(60), 10);
        store.routed(NODE, pending.stream().map(p -> new RouteResult(p.conversationId(),
                new RoutingDecision("billing", 0, "refunds", "r"), Map.of(), 0)).toList());
        assertThat(store.assignQueued("billing", Assignment.SKILLS, 10)).extracting(Assigned::conversationId)
                .as("no online agent has the skill: it waits for a supervisor").doesNotContain(third);
    }

    @ParameterizedTest
    @MethodSource("databases")
    void goingAwayGivesBackTheUnansweredOfflineEverythingAndALowerCapacityTheExcess(String kind) throws SQLException {
        open(kind);
        online("ann", 3, "support");
        List<Long> ids = queued(3, "support");
        assertThat(store.assignQueued("support", Assignment.ROUND_ROBIN, 10)).hasSize(3);
        store.queueReply(Scope.ALL, ids.get(0), "on it", Visibility.PUBLIC, "ann");

        Agent away = store.setPresence("ann", Presence.AWAY, "ann");

        assertThat(away.open()).isEqualTo(1);
        assertThat(assignee(ids.get(0))).isEqualTo("ann");
        assertThat(status(ids.get(1))).isEqualTo("QUEUED");
        assertThat(assignee(ids.get(2))).isNull();
        assertThat(eventTypes(ids.get(1))).endsWith(ConversationEvent.Type.UNASSIGNED);
        assertThat(store.assignQueued("support", Assignment.ROUND_ROBIN, 10)).as("nobody online").isEmpty();

        online("bob", 1, "support");
        assertThat(store.assignQueued("support", Assignment.ROUND_ROBIN, 10)).extracting(Assigned::agent)
                .containsExactly("bob");
        store.setPresence("ann", Presence.OFFLINE, "ann");
        assertThat(status(ids.get(0))).as("nothing waits for an absent agent").isEqualTo("QUEUED");

        store.setPresence("ann", Presence.ONLINE, "ann");
        assertThat(store.assignQueued("support", Assignment.LEAST_LOADED, 10)).hasSize(2);
        Agent ann = store.agent("ann").orElseThrow();
        assertThat(ann.open()).isEqualTo(2);
        store.updateAgent(new Agent("ann", null, ann.departments(), Set.of(), Set.of(), 1, null, null, ann.version(),
                0), "admin");
        assertThat(store.agent("ann").orElseThrow().open()).isEqualTo(1);

        // a conversation given by hand to an agent who is away would go straight back: refused, saying so
        store.setPresence("bob", Presence.AWAY, "bob");
        long queuedOne = ids.stream().filter(id -> {
            try {
                return "QUEUED".equals(status(id));
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }).findFirst().orElseThrow();
        assertThatThrownBy(() -> store.assign(Scope.ALL, queuedOne, "bob", "sup"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("bob is away")
                .hasMessageContaining("set them online first");
        assertThat(status(queuedOne)).isEqualTo("QUEUED");
        // nor beyond an online agent's capacity: ann holds 1 of 1
        assertThatThrownBy(() -> store.assign(Scope.ALL, queuedOne, "ann", "sup"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("ann already holds 1 open");
        // bob taking it himself is back at work: online, and the sweep leaves it with him
        store.assign(Scope.ALL, queuedOne, "bob", "bob");
        assertThat(store.agent("bob").orElseThrow().presence()).isEqualTo(Presence.ONLINE);
        assertThat(store.giveBack(100)).isZero();
        assertThat(assignee(queuedOne)).isEqualTo("bob");
        assertThat(text("SELECT detail FROM audit_event WHERE action = 'agent.presence' AND actor = 'bob' "
                + "AND detail LIKE '%took%'")).isEqualTo("bob away -> online: took conversation " + queuedOne);
    }

    @ParameterizedTest
    @MethodSource("databases")
    void aSnoozedConversationLeavesTheQueueAndComesBackWhenItsTimeComesOrTheCustomerWrites(String kind)
            throws SQLException {
        open(kind);
        online("ann", 5, "support");
        long a = conversationOf(message("s1", "alice", "t-a", "first"));
        long b = conversationOf(message("s2", "bert", "t-b", "second"));
        routeAll("support");
        Instant until = Instant.now().plus(2, ChronoUnit.HOURS);

        assertThat(store.snooze(Scope.ALL, a, until, "ann").status()).isEqualTo(ConversationStatus.SNOOZED);
        store.assign(Scope.ALL, b, "ann", "ann");
        store.snooze(Scope.ALL, b, until, "ann");
        assertThat(store.assignQueued("support", Assignment.ROUND_ROBIN, 10)).as("out of the queue").isEmpty();
        assertThatThrownBy(() -> store.snooze(Scope.ALL, a, Instant.now().minusSeconds(1), "ann"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("future");
        assertThatThrownBy(() -> store.snooze(Scope.departments(Set.of("sales")), a, until, "ann"))
                .isInstanceOf(NoSuchElementException.class);
        assertThat(store.wakeSnoozed(Instant.now(), 10)).isEmpty();

        ingest(message("s3", "bert", "t-b", "are you there?"));
        assertThat(store.wakeSnoozed(Instant.now(), 10)).containsExactly(b);
        assertThat(status(b)).as("back with its assignee").isEqualTo("ASSIGNED");

        assertThat(store.wakeSnoozed(until.plusSeconds(1), 10)).containsExactly(a);
        assertThat(status(a)).isEqualTo("QUEUED");
        assertThat(eventTypes(a)).containsSubsequence(ConversationEvent.Type.SNOOZED, ConversationEvent.Type.UNSNOOZED);
        assertThat(scalar("SELECT COUNT(*) FROM audit_event WHERE action IN ('conversation.snoozed', "
                + "'conversation.unsnoozed')")).isEqualTo(4);
        assertThat(store.assignQueued("support", Assignment.ROUND_ROBIN, 10)).extracting(Assigned::conversationId)
                .containsExactly(a);
    }

    @ParameterizedTest
    @MethodSource("databases")
    void twoNodesAssigningAtOnceNeverAssignTwiceNorOverCapacity(String kind) throws Exception {
        open(kind);
        JpaStore other = new JpaStore(db.emf, db.dataSource);
        int agents = 5;
        int capacity = 3;
        for (int i = 0; i < agents; i++) {
            online("agent" + i, capacity, "support");
        }
        List<Long> ids = queued(40, "support");
        List<Assigned> all = Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<Void>> work = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                JpaStore node = t % 2 == 0 ? store : other;
                Assignment strategy = t % 4 < 2 ? Assignment.ROUND_ROBIN : Assignment.LEAST_LOADED;
                int limit = 1 + t % 3;
                work.add(() -> {
                    // rounds go on while places are free: a node that finds every row held by the other gets nothing
                    for (int round = 0; round < 500 && all.size() < agents * capacity; round++) {
                        all.addAll(retrying(() -> node.assignQueued("support", strategy, limit)));
                    }
                    return null;
                });
            }
            for (Future<Void> f : pool.invokeAll(work)) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(store.assignQueued("support", Assignment.LEAST_LOADED, 100)).as("every agent is full").isEmpty();
        assertThat(all).hasSize(agents * capacity);
        assertThat(all).extracting(Assigned::conversationId).doesNotHaveDuplicates();
        for (int i = 0; i < agents; i++) {
            assertThat(scalar("SELECT COUNT(*) FROM conversation WHERE assignee = 'agent" + i + "'"))
                    .isEqualTo(capacity);
        }
        assertThat(scalar("SELECT COUNT(*) FROM conversation_event WHERE event_type = 'ASSIGNED'"))
                .isEqualTo((long) agents * capacity);
        assertThat(ids).hasSize(40);
        assertDensePositions();
    }

    @ParameterizedTest
    @MethodSource("databases")
    void anAgentWhoGoesAwayWhileTwoNodesAssignKeepsNothingUnanswered(String kind) throws Exception {
        open(kind);
        JpaStore other = new JpaStore(db.emf, db.dataSource);
        online("ann", 4, "support");
        online("bob", 2, "support");
        queued(30, "support");
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> nodes = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                JpaStore node = t % 2 == 0 ? store : other;
                nodes.add(pool.submit(() -> {
                    while (!stop.get()) {
                        retrying(() -> node.assignQueued("support", Assignment.LEAST_LOADED, 2));
                        retrying(() -> node.giveBack(10));
                    }
                    return null;
                }));
            }
            for (int i = 0; i < 20; i++) {
                (i % 2 == 0 ? store : other).setPresence("ann", i % 2 == 0 ? Presence.AWAY : Presence.ONLINE, "ann");
            }
            other.setPresence("ann", Presence.AWAY, "ann");
            // the nodes go on assigning after ann went away: she must get nothing more
            for (int round = 0; round < 20; round++) {
                store.assignQueued("support", Assignment.ROUND_ROBIN, 5);
            }
            stop.set(true);
            for (Future<?> f : nodes) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(scalar("SELECT COUNT(*) FROM conversation WHERE assignee = 'ann'")).isZero();
        assertThat(scalar("SELECT COUNT(*) FROM conversation WHERE assignee = 'bob'")).isEqualTo(2);
        assertThat(scalar("SELECT COUNT(*) FROM conversation WHERE status = 'ASSIGNED' AND assignee IS NULL")).isZero();
        assertDensePositions();
    }
}
