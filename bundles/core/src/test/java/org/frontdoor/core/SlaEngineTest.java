package org.frontdoor.core;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.frontdoor.api.Annotation;
import org.frontdoor.api.BusinessHours;
import org.frontdoor.api.ConversationEvent;
import org.frontdoor.api.Department;
import org.frontdoor.api.Message;
import org.frontdoor.api.RoutingDecision;
import org.frontdoor.api.Scope;
import org.frontdoor.api.SlaPolicy;
import org.frontdoor.api.Visibility;
import org.frontdoor.store.IngestLimits;
import org.frontdoor.store.PendingRoute;
import org.frontdoor.store.RouteResult;
import org.frontdoor.store.SlaStore;
import org.frontdoor.store.jpa.JpaStore;
import org.frontdoor.store.jpa.StoreTestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * SLA timers from the real event log, on H2 and PostgreSQL, with a clock the test moves: started, stopped, fired once
 * per step by two workers on one database (one killed mid-batch, one slower than its lease), after a restart too; the
 * escalation chain; the out-of-hours acknowledgement.
 */
class SlaEngineTest {

    private static final String DATABASES = "org.frontdoor.store.jpa.StoreTestDatabase#kinds";
    private static final IngestLimits LIMITS = new IngestLimits(30_000, 2_000);
    private static final Duration LEASE = Duration.ofSeconds(60);

    private StoreTestDatabase db;
    private JpaStore store;
    private final MutableClock clock = new MutableClock(Instant.now());
    private final Map<String, Department> departments = new HashMap<>();
    private long fed;

    private void open(String kind) throws SQLException {
        db = StoreTestDatabase.create(kind);
        store = db.store();
    }

    @AfterEach
    void close() throws SQLException {
        if (db != null) {
            db.close();
        }
    }

    private SlaEngine engine(JpaStore on, String node) {
        return new SlaEngine(on, departments::get, node, clock, LEASE);
    }

    /** Always open (elapsed time), targets in minutes, the chain given. */
    private void department(String id, int first, int resolve, String chain) {
        departments.put(id, new Department(id, id, Department.Status.CONFIGURED, null, "test",
                BusinessHours.parse("always", java.time.ZoneId.of("UTC"), List.of()), 0, first, resolve,
                Set.of("sup-" + id), false, new SlaPolicy(Map.of(), Map.of(), 80, SlaPolicy.parseEscalation(chain),
                null)));
    }

    private long conversation(Message m, String department) {
        long id = store.ingest(List.of(m), LIMITS).get(0).receipt().conversationId();
        List<PendingRoute> pending = store.claimConversationsToRoute("node-a", Instant.now().plusSeconds(60), 100);
        store.routed("node-a", pending.stream().map(p -> new RouteResult(p.conversationId(),
                new RoutingDecision(department, 0, null, "test"), Map.of(), 0)).toList());
        return id;
    }

    /** Hands the engine the events it has not seen, as the consumer would: its types only. */
    private void feed(SlaEngine engine) {
        for (ConversationEvent e : store.eventsAfter(fed, 10_000)) {
            if (SlaEngine.TYPES.contains(e.type())) {
                engine.onEvent(e);
            }
            fed = e.position();
        }
    }

    private long count(ConversationEvent.Type type, long conversation) {
        return store.eventsAfter(0, 100_000).stream()
                .filter(e -> e.type() == type && e.conversationId() == conversation).count();
    }

    private List<ConversationEvent> events(ConversationEvent.Type type) {
        return store.eventsAfter(0, 100_000).stream().filter(e -> e.type() == type).toList();
    }

    @ParameterizedTest
    @MethodSource(DATABASES)
    void routingStartsTimersAReplyAndAResolveStopThemAndAReplayChangesNothing(String kind) throws SQLException {
        open(kind);
        department("support", 10, 60, "");
        SlaEngine engine = engine(store, "node-a");
        long id = conversation(Messages.api("1", "alice", "help"), "support");
        feed(engine);
        List<SlaStore.Timer> timers = store.runningTimers(id);
        assertThat(timers).extracting(SlaStore.Timer::kind)
                .containsExactly(SlaStore.Kind.FIRST_RESPONSE, SlaStore.Kind.RESOLUTION);
        Instant routedAt = events(ConversationEvent.Type.ROUTED).get(0).at();
        assertThat(timers.get(0).dueAt()).isEqualTo(routedAt.plus(Duration.ofMinutes(10)));
        assertThat(timers.get(0).warnAt()).isEqualTo(routedAt.plus(Duration.ofMinutes(8)));

        store.queueReply(Scope.ALL, id, "on it", Visibility.PUBLIC, "jane");
        feed(engine);
        assertThat(store.runningTimers(id)).extracting(SlaStore.Timer::kind).containsExactly(SlaStore.Kind.RESOLUTION);

        fed = 0; // the consumer delivered everything again (a crash before it saved its position)
        feed(engine);
        assertThat(store.runningTimers(id)).extracting(SlaStore.Timer::kind).containsExactly(SlaStore.Kind.RESOLUTION);
        assertThat(db.count("sla_timer")).isEqualTo(2);

        store.resolve(Scope.ALL, id, "jane");
        feed(engine);
        assertThat(store.runningTimers(id)).isEmpty();
        clock.advance(Duration.ofHours(2));
        assertThat(engine.fireDue()).isZero();
    }

    @ParameterizedTest
    @MethodSource(DATABASES)
    void theChainWarnsBreachesTellsSupervisorsCallsBackThenTransfersAndTheNewDepartmentStartsAgain(String kind)
            throws SQLException {
        open(kind);
        department("support", 10, 0, "supervisor, callback, department:sales");
        department("sales", 30, 0, "");
        SlaEngine engine = engine(store, "node-a");
        long id = conversation(Messages.api("1", "alice", "help"), "support");
        feed(engine);
        clock.catchUp();

        clock.advance(Duration.ofMinutes(9));
        assertThat(engine.fireDue()).isEqualTo(1);
        assertThat(count(ConversationEvent.Type.SLA_WARNING, id)).isEqualTo(1);
        clock.advance(Duration.ofMinutes(2));
        assertThat(engine.fireDue()).isEqualTo(1);
        assertThat(engine.fireDue()).isZero();
        assertThat(count(ConversationEvent.Type.SLA_BREACHED, id)).isEqualTo(1);
        assertThat(events(ConversationEvent.Type.ESCALATED).get(0).detail())
                .isEqualTo("first-response: supervisors of support told: sup-support");
        clock.advance(Duration.ofMinutes(10));
        assertThat(engine.fireDue()).isEqualTo(1);
        assertThat(store.callbacks(org.frontdoor.api.Scope.ALL, true, 10)).hasSize(1);
        assertThat(store.callbacks(org.frontdoor.api.Scope.ALL, true, 10).get(0).note()).contains("no number known");
        clock.advance(Duration.ofMinutes(10));
        assertThat(engine.fireDue()).isEqualTo(1);
        assertThat(store.subject(id).orElseThrow().department()).isEqualTo("sales");
        assertThat(count(ConversationEvent.Type.ESCALATED, id)).isEqualTo(3);

        feed(engine);
        assertThat(store.runningTimers(id)).extracting(SlaStore.Timer::department).containsExactly("sales");
        clock.advance(Duration.ofHours(5));
        assertThat(engine.fireDue()).as("sales' warning").isEqualTo(1);
        assertThat(engine.fireDue()).as("then its breach, no chain").isEqualTo(1);
        assertThat(count(ConversationEvent.Type.SLA_BREACHED, id)).isEqualTo(2);
        assertThat(count(ConversationEvent.Type.ESCALATED, id)).isEqualTo(3);
    }

    @ParameterizedTest
    @MethodSource(DATABASES)
    void twoWorkersOneKilledMidBatchAndOneSlowerThanItsLeaseTakeEachStepOnce(String kind) throws Exception {
        open(kind);
        department("support", 60, 0, "callback");
        SlaEngine a = engine(store, "node-a");
        SlaEngine b = engine(db.anotherStore(), "node-b");
        for (int i = 0; i < 10; i++) {
            conversation(Messages.api("k" + i, "c" + i, "help"), "support");
        }
        feed(a);
        clock.catchUp();
        clock.advance(Duration.ofMinutes(49)); // every warning is due (at 48 minutes), no breach (at 60)

        // A is killed after 4 warnings: the other 6 stay claimed by it until its lease runs out
        int[] seen = {0};
        a.beforeFire = t -> {
            if (++seen[0] > 4) {
                throw new IllegalStateException("node-a killed");
            }
        };
        assertThatThrownBy(a::fireDue).hasMessage("node-a killed");
        assertThat(b.fireDue()).as("A's lease holds").isZero();
        clock.advance(LEASE.plusSeconds(1));
        assertThat(b.fireDue()).isEqualTo(6);
        assertThat(events(ConversationEvent.Type.SLA_WARNING)).hasSize(10);

        // every breach is due; A, back, is slow: it holds its batch past its lease while B takes it over
        clock.advance(Duration.ofMinutes(11));
        CountDownLatch aHolds = new CountDownLatch(1);
        CountDownLatch bDone = new CountDownLatch(1);
        a.beforeFire = t -> {
            aHolds.countDown();
            try {
                bDone.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<Integer> slow = pool.submit(a::fireDue);
            assertThat(aHolds.await(30, TimeUnit.SECONDS)).isTrue();
            clock.advance(LEASE.plusSeconds(1));
            assertThat(b.fireDue()).isEqualTo(10);
            bDone.countDown();
            assertThat(slow.get(30, TimeUnit.SECONDS)).as("every late commit of A refused by the fence").isZero();
        } finally {
            pool.shutdownNow();
        }
        assertThat(events(ConversationEvent.Type.SLA_BREACHED)).hasSize(10);
        assertThat(events(ConversationEvent.Type.ESCALATED)).hasSize(10);
        assertThat(db.count("callback_task")).isEqualTo(10);
        assertThat(store.eventsAfter(0, 100_000).stream().filter(e -> e.type() == ConversationEvent.Type.SLA_BREACHED)
                .map(ConversationEvent::conversationId).distinct().count()).isEqualTo(10);
    }

    @ParameterizedTest
    @MethodSource(DATABASES)
    void aRestartMidSlaFiresTheBreachOnceOnTheNewWorker(String kind) throws Exception {
        open(kind);
        department("support", 10, 0, "supervisor");
        SlaEngine before = engine(store, "node-a");
        long id = conversation(Messages.api("1", "alice", "help"), "support");
        feed(before);
        clock.catchUp();
        clock.advance(Duration.ofMinutes(9));
        assertThat(before.fireDue()).isEqualTo(1);

        SlaEngine after = engine(db.anotherStore(), "node-a"); // the same node, started again
        clock.advance(Duration.ofMinutes(2));
        assertThat(after.fireDue()).isEqualTo(1);
        assertThat(after.fireDue()).isZero();
        assertThat(before.fireDue()).isZero();
        assertThat(count(ConversationEvent.Type.SLA_WARNING, id)).isEqualTo(1);
        assertThat(count(ConversationEvent.Type.SLA_BREACHED, id)).isEqualTo(1);
        assertThat(count(ConversationEvent.Type.ESCALATED, id)).isEqualTo(1);
    }

    @ParameterizedTest
    @MethodSource(DATABASES)
    void aConversationLandingWhileClosedIsAcknowledgedOnceAndAutomaticMailNever(String kind) throws SQLException {
        open(kind);
        java.time.LocalDate today = java.time.LocalDate.now(java.time.ZoneOffset.UTC);
        // open around the clock, but today and tomorrow are holidays: closed now, opens the day after at 00:00
        departments.put("support", new Department("support", "Support", Department.Status.CONFIGURED, null, "t",
                BusinessHours.parse("always", java.time.ZoneId.of("UTC"),
                        List.of(today.toString(), today.plusDays(1).toString())), 0, 0, 0, Set.of(), false,
                new SlaPolicy(Map.of(), Map.of(), 80, List.of(), "Closed; we answer from {opening}. <b>x</b>")));
        SlaEngine engine = engine(store, "node-a");
        long id = conversation(Messages.api("1", "alice", "help"), "support");
        feed(engine);
        fed = 0;
        feed(engine); // delivered again
        Message robot = Message.inbound("api", "demo").externalId("2")
                .author(new org.frontdoor.api.Identity("api", "robot", "Robot", null, null, 0)).text("out of office")
                .annotations(List.of(new Annotation("auto-submitted", "Auto-Submitted: auto-replied", 1.0))).build();
        long automatic = conversation(robot, "support");
        feed(engine);

        var replies = store.conversation(Scope.ALL, id).orElseThrow().replies();
        assertThat(replies).hasSize(1);
        String opening = java.time.format.DateTimeFormatter.ofPattern("EEEE d MMMM yyyy", java.util.Locale.ENGLISH)
                .format(today.plusDays(2));
        assertThat(replies.get(0).text()).isEqualTo("Closed; we answer from " + opening + " at 00:00 (UTC). <b>x</b>");
        assertThat(replies.get(0).author()).isEqualTo("system");
        assertThat(store.conversation(Scope.ALL, automatic).orElseThrow().replies()).isEmpty();
        assertThat(store.runningTimers(id)).as("a system reply is no first response").isEmpty();
    }
}
