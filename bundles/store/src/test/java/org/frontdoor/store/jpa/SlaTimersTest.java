package org.frontdoor.store.jpa;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.frontdoor.api.Annotation;
import org.frontdoor.api.CallbackTask;
import org.frontdoor.api.ConversationEvent;
import org.frontdoor.api.Identity;
import org.frontdoor.api.Message;
import org.frontdoor.api.Scope;
import org.frontdoor.store.Door;
import org.frontdoor.store.SlaStore;
import org.frontdoor.store.SlaStore.Kind;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** SLA timers: started and stopped once per event, fired once per step by fenced claims; callbacks; out of hours. */
class SlaTimersTest extends StoreTest {

    private static final Instant T0 = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    private static final Duration LEASE = Duration.ofSeconds(30);

    private long routed(String handle) {
        long id = conversationOf(message("m-" + handle, handle, null, "help"));
        routeAll("support");
        return id;
    }

    private long routedPosition(long conversation) {
        return events().stream().filter(e -> e.conversationId() == conversation
                && e.type() == ConversationEvent.Type.ROUTED).reduce((a, b) -> b).orElseThrow().position();
    }

    private static List<SlaStore.NewTimer> both() {
        return List.of(new SlaStore.NewTimer(Kind.FIRST_RESPONSE, 10, T0.plusSeconds(480), T0.plusSeconds(600)),
                new SlaStore.NewTimer(Kind.RESOLUTION, 60, T0.plusSeconds(2880), T0.plusSeconds(3600)));
    }

    private long count(ConversationEvent.Type type, long conversation) {
        return events().stream().filter(e -> e.type() == type && e.conversationId() == conversation).count();
    }

    /** Fires the warning or the breach of each claimed timer, the breach with a supervisor step. */
    private boolean fireNext(SlaStore store, SlaStore.Timer t) {
        boolean breach = t.step() >= 1;
        return store.fire(t, new SlaStore.Firing(!breach, breach, breach ? new SlaStore.Escalation("ann, bob", null,
                false) : null, t.step() + 1, breach ? null : t.dueAt()), t.nextAt());
    }

    @ParameterizedTest
    @MethodSource("databases")
    void timersStartOncePerEventAndStopByKindAndPosition(String kind) throws SQLException {
        open(kind);
        long id = routed("alice");
        long p = routedPosition(id);
        assertThat(store.subject(id)).contains(new SlaStore.Subject(id, "support", 0, false));

        assertThat(store.startTimers(id, "support", p, T0, both())).isEqualTo(2);
        assertThat(store.startTimers(id, "support", p, T0, both())).as("the same event delivered again").isZero();
        assertThat(store.runningTimers(id)).extracting(SlaStore.Timer::kind)
                .containsExactly(Kind.FIRST_RESPONSE, Kind.RESOLUTION);
        assertThat(store.runningTimers(id).get(0).nextAt()).as("warns first").isEqualTo(T0.plusSeconds(480));

        assertThat(store.stopTimers(id, Set.of(Kind.FIRST_RESPONSE), p + 5)).isEqualTo(1);
        assertThat(store.stopTimers(id, Set.of(Kind.FIRST_RESPONSE), p + 5)).isZero();
        assertThat(store.startTimers(id, "support", p, T0, both())).as("a replayed start after the stop").isZero();
        assertThat(store.runningTimers(id)).extracting(SlaStore.Timer::kind).containsExactly(Kind.RESOLUTION);

        // a later event (a transfer) starts new ones and stops the older
        assertThat(store.startTimers(id, "billing", p + 9, T0, both())).isEqualTo(2);
        assertThat(store.runningTimers(id)).extracting(SlaStore.Timer::department).containsOnly("billing");
        assertThat(store.stopTimers(id, Set.of(Kind.FIRST_RESPONSE), p + 7)).as("started after that event").isZero();
        assertThat(count("sla_timer")).isEqualTo(4);
    }

    @ParameterizedTest
    @MethodSource("databases")
    void aWarningThenABreachWithItsEscalationEachOnceAndNothingBeforeItIsDue(String kind) throws SQLException {
        open(kind);
        long id = routed("alice");
        store.startTimers(id, "support", routedPosition(id), T0, both());

        assertThat(store.claimDueTimers(NODE, T0.plusSeconds(479), T0.plusSeconds(509), 10)).isEmpty();
        List<SlaStore.Timer> warned = store.claimDueTimers(NODE, T0.plusSeconds(480), T0.plusSeconds(510), 10);
        assertThat(warned).hasSize(1);
        assertThat(fireNext(store, warned.get(0))).isTrue();
        assertThat(fireNext(store, warned.get(0))).as("the same claim twice").isFalse();
        assertThat(count(ConversationEvent.Type.SLA_WARNING, id)).isEqualTo(1);

        List<SlaStore.Timer> due = store.claimDueTimers(NODE, T0.plusSeconds(600), T0.plusSeconds(630), 10);
        assertThat(due).extracting(SlaStore.Timer::step).containsExactly(1);
        assertThat(fireNext(store, due.get(0))).isTrue();
        assertThat(store.claimDueTimers(NODE, T0.plusSeconds(9999), T0.plusSeconds(9999), 10))
                .extracting(SlaStore.Timer::kind).containsExactly(Kind.RESOLUTION);

        ConversationEvent breach = events().stream().filter(e -> e.type() == ConversationEvent.Type.SLA_BREACHED)
                .findFirst().orElseThrow();
        assertThat(breach.department()).isEqualTo("support");
        assertThat(breach.detail()).isEqualTo("first-response, due " + T0.plusSeconds(600));
        assertThat(breach.itemId()).isEqualTo(due.get(0).id());
        ConversationEvent escalated = events().stream().filter(e -> e.type() == ConversationEvent.Type.ESCALATED)
                .findFirst().orElseThrow();
        assertThat(escalated.detail()).isEqualTo("first-response: supervisors of support told: ann, bob");
        assertThat(scalar("SELECT COUNT(*) FROM audit_event WHERE action = 'sla.breached' AND subject_id = " + id))
                .isEqualTo(1);
        assertThat(ConversationEvent.Type.SLA_WARNING.id()).isEqualTo("sla-warning");
    }

    @ParameterizedTest
    @MethodSource("databases")
    void aTransferStepMovesTheConversationKeepsItsHistoryAndStopsItsTimers(String kind) throws SQLException {
        open(kind);
        long id = routed("alice");
        store.startTimers(id, "support", routedPosition(id), T0, both());
        SlaStore.Timer t = store.claimDueTimers(NODE, T0.plusSeconds(480), T0.plusSeconds(510), 10).get(0);

        assertThat(store.fire(t, new SlaStore.Firing(false, true, new SlaStore.Escalation(null, "sales", false), 2,
                T0.plusSeconds(1200)), T0.plusSeconds(600))).isTrue();

        assertThat(store.subject(id).orElseThrow().department()).isEqualTo("sales");
        ConversationEvent transfer = events().stream().filter(e -> e.type() == ConversationEvent.Type.TRANSFERRED)
                .findFirst().orElseThrow();
        assertThat(transfer.previousDepartment()).isEqualTo("support");
        assertThat(transfer.department()).isEqualTo("sales");
        assertThat(eventTypes(id)).containsSubsequence(ConversationEvent.Type.ROUTED,
                ConversationEvent.Type.SLA_BREACHED, ConversationEvent.Type.ESCALATED,
                ConversationEvent.Type.TRANSFERRED);
        assertThat(scalar("SELECT COUNT(*) FROM audit_event WHERE action = 'conversation.transferred' "
                + "AND subject_id = " + id)).isEqualTo(1);
        assertThat(store.runningTimers(id)).as("the transfer's event starts sales' timers").isEmpty();
        assertThat(store.conversation(Scope.ALL, id).orElseThrow().messages()).hasSize(1);
    }

    @ParameterizedTest
    @MethodSource("databases")
    void aCallbackTaskCarriesThePhoneNumberOrSaysNoneIsKnown(String kind) throws SQLException {
        open(kind);
        long withPhone = conversationOf(Message.inbound("sms", "twilio").externalId("s1")
                .author(new Identity("sms", "+33612345678", "Zoé", null, null, 0)).text("call me").build());
        long without = routed("bob");
        routeAll("support");
        for (long id : List.of(withPhone, without)) {
            store.startTimers(id, "support", routedPosition(id), T0, both());
        }
        for (SlaStore.Timer t : store.claimDueTimers(NODE, T0.plusSeconds(480), T0.plusSeconds(510), 10)) {
            assertThat(store.fire(t, new SlaStore.Firing(false, true, new SlaStore.Escalation(null, null, true), 2,
                    null), T0.plusSeconds(600))).isTrue();
        }

        List<CallbackTask> tasks = store.callbacks(org.frontdoor.api.Scope.ALL, true, 10);
        assertThat(tasks).hasSize(2);
        CallbackTask sms = tasks.stream().filter(c -> c.conversationId() == withPhone).findFirst().orElseThrow();
        assertThat(sms.phone()).isEqualTo("+33612345678");
        assertThat(sms.note()).contains("first-response", "sms");
        CallbackTask none = tasks.stream().filter(c -> c.conversationId() == without).findFirst().orElseThrow();
        assertThat(none.phone()).isNull();
        assertThat(none.note()).contains("no number known");
        assertThat(none.customerName()).isNotNull();

        assertThat(store.callback(none.id())).contains(none);
        assertThat(store.callback(999_999)).isEmpty();
        CallbackTask done = store.callbackDone(none.id(), "jane", T0.plusSeconds(700)).orElseThrow();
        assertThat(done.doneBy()).isEqualTo("jane");
        assertThat(done.open()).isFalse();
        assertThatThrownBy(() -> store.callbackDone(none.id(), "jane", T0)).hasMessage("callback task " + none.id()
                + " is done already");
        assertThat(store.callbackDone(999_999, "jane", T0)).isEmpty();
        assertThat(store.callbacks(org.frontdoor.api.Scope.ALL, true, 10)).extracting(CallbackTask::id).containsExactly(sms.id());
        assertThat(store.callbacks(org.frontdoor.api.Scope.ALL, false, 10)).hasSize(2);
    }

    @ParameterizedTest
    @MethodSource("databases")
    void aWorkerKilledMidBatchAndOneSlowerThanItsLeaseFireEachStepOnce(String kind) throws Exception {
        open(kind);
        List<Long> conversations = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            conversations.add(conversationOf(message("k" + i, "c" + i, null, "help")));
        }
        routeAll("support");
        for (long id : conversations) {
            store.startTimers(id, "support", routedPosition(id), T0,
                    List.of(new SlaStore.NewTimer(Kind.FIRST_RESPONSE, 10, null, T0.plusSeconds(600))));
        }
        JpaStore other = db.store(); // a second node on the same database
        Instant due = T0.plusSeconds(600);

        // node A claims everything, fires 5, and dies: its lease holds the other 7 until it runs out
        List<SlaStore.Timer> a = store.claimDueTimers("node-a", due, due.plus(LEASE), 100);
        assertThat(a).hasSize(12);
        for (SlaStore.Timer t : a.subList(0, 5)) {
            assertThat(fireNext(store, t)).isTrue();
        }
        assertThat(other.claimDueTimers("node-b", due.plusSeconds(10), due.plusSeconds(40), 100))
                .as("held by A's lease").isEmpty();
        // after the lease, B takes the rest: two B threads at once never take the same timer
        Instant later = due.plus(LEASE).plusSeconds(1);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Callable<List<SlaStore.Timer>> claim = () -> other.claimDueTimers("node-b", later, later.plus(LEASE), 4);
            Future<List<SlaStore.Timer>> b1 = pool.submit(claim);
            Future<List<SlaStore.Timer>> b2 = pool.submit(claim);
            List<SlaStore.Timer> b = new ArrayList<>(b1.get());
            b.addAll(b2.get());
            b.addAll(other.claimDueTimers("node-b", later, later.plus(LEASE), 100));
            assertThat(b).extracting(SlaStore.Timer::id).doesNotHaveDuplicates().hasSize(7);
            for (SlaStore.Timer t : b) {
                assertThat(fireNext(other, t)).isTrue();
            }
        } finally {
            pool.shutdownNow();
        }
        // A was only slow: its late commits are refused by the fence
        for (SlaStore.Timer t : a.subList(5, 12)) {
            assertThat(fireNext(store, t)).as("A's claim of timer " + t.id() + " was taken over").isFalse();
        }
        for (long id : conversations) {
            assertThat(count(ConversationEvent.Type.SLA_BREACHED, id)).as("conversation " + id).isEqualTo(1);
            assertThat(count(ConversationEvent.Type.ESCALATED, id)).isEqualTo(1);
        }
        assertThat(count("sla_timer")).isEqualTo(12);
        assertThat(scalar("SELECT COUNT(*) FROM sla_timer WHERE state = 'DONE'")).isEqualTo(12);
    }

    @ParameterizedTest
    @MethodSource("databases")
    void aRestartMidSlaPicksUpWhereItWasAndFiresOnce(String kind) throws Exception {
        open(kind);
        long id = routed("alice");
        store.startTimers(id, "support", routedPosition(id), T0, both());
        SlaStore.Timer warned = store.claimDueTimers(NODE, T0.plusSeconds(480), T0.plusSeconds(510), 10).get(0);
        assertThat(fireNext(store, warned)).isTrue();

        JpaStore restarted = db.store();
        List<SlaStore.Timer> due = restarted.claimDueTimers(NODE, T0.plusSeconds(600), T0.plusSeconds(630), 10);
        assertThat(due).extracting(SlaStore.Timer::step).containsExactly(1);
        assertThat(fireNext(restarted, due.get(0))).isTrue();
        assertThat(restarted.claimDueTimers(NODE, T0.plusSeconds(700), T0.plusSeconds(730), 10)).isEmpty();
        assertThat(count(ConversationEvent.Type.SLA_WARNING, id)).isEqualTo(1);
        assertThat(count(ConversationEvent.Type.SLA_BREACHED, id)).isEqualTo(1);
    }

    @ParameterizedTest
    @MethodSource("databases")
    void aTimerOfAConversationResolvedMeanwhileStopsWithoutEvents(String kind) throws SQLException {
        open(kind);
        long id = routed("alice");
        store.startTimers(id, "support", routedPosition(id), T0, both());
        store.resolve(Scope.ALL, id, "jane");
        SlaStore.Timer t = store.claimDueTimers(NODE, T0.plusSeconds(480), T0.plusSeconds(510), 10).get(0);
        assertThat(fireNext(store, t)).isTrue();
        assertThat(count(ConversationEvent.Type.SLA_WARNING, id)).isZero();
        assertThat(store.runningTimers(id)).extracting(SlaStore.Timer::kind).containsExactly(Kind.RESOLUTION);
    }

    @ParameterizedTest
    @MethodSource("databases")
    void theOutOfHoursReplyIsQueuedOncePerConversationAndNeverToAMachine(String kind) throws SQLException {
        open(kind);
        long id = routed("alice");
        Instant at = Instant.now();

        long reply = store.queueClosedReply(id, "support", "We are closed now.", at).orElseThrow();
        assertThat(store.queueClosedReply(id, "support", "We are closed now.", at)).as("once").isEmpty();
        assertThat(store.claimDueReplies(new Door("api", "demo"), NODE, "t-1", at.plusSeconds(1),
                at.plusSeconds(60), 10)).extracting(r -> r.reply().replyId()).containsExactly(reply);
        ConversationEvent replied = events().stream().filter(e -> e.type() == ConversationEvent.Type.REPLIED)
                .findFirst().orElseThrow();
        assertThat(replied.actor()).isEqualTo("system");
        assertThat(replied.itemId()).isEqualTo(reply);

        long automatic = conversationOf(Message.inbound("api", "demo").externalId("auto-1")
                .author(new Identity("api", "robot", "Robot", null, null, 0)).text("I am out of office")
                .annotations(List.of(new Annotation("auto-submitted", "Auto-Submitted: auto-replied", 1.0))).build());
        routeAll("support");
        assertThat(store.queueClosedReply(automatic, "support", "We are closed now.", at)).isEmpty();
        assertThat(count("closed_reply")).isEqualTo(1);
        assertThat(new HashSet<>(List.of(count("reply")))).containsExactly(1L);
    }
}
