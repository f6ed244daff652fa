package org.frontdoor.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.frontdoor.api.CallbackTask;

/**
 * SLA timers, the callback tasks their escalations leave, and the out-of-hours acknowledgement. Timers are started and
 * stopped from the event log (each by the position of the event that did it, so an event delivered again changes
 * nothing), and fired by workers that claim them as routing claims conversations: rows another transaction holds are
 * skipped, and each claim takes the next fence, so a worker whose claim was taken over records nothing.
 */
public interface SlaStore {

    /** The two clocks of a conversation. */
    enum Kind {
        /** Until an agent's first reply. */
        FIRST_RESPONSE,
        /** Until it is resolved. */
        RESOLUTION;

        /** As events and people say it: {@code first-response}, {@code resolution}. */
        public String id() {
            return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        }
    }

    /**
     * What timers need to know of a conversation.
     *
     * @param department its department, or null before routing
     * @param priority   its priority
     * @param resolved   whether it is resolved
     */
    record Subject(long conversationId, String department, int priority, boolean resolved) {
    }

    /**
     * A timer to start.
     *
     * @param targetMinutes its target in business minutes
     * @param warnAt        when it warns, or null for no warning
     * @param dueAt         when it is breached
     */
    record NewTimer(Kind kind, int targetMinutes, Instant warnAt, Instant dueAt) {
    }

    /**
     * A running timer as claimed by a worker.
     *
     * @param step  what was done: 0 nothing, 1 warned, 2 breached and the chain's first step taken, 2 + n its step n + 1
     * @param fence this claim's fence: only the latest claim records anything
     */
    record Timer(long id, long conversationId, Kind kind, String department, Instant startedAt, int targetMinutes,
                 Instant warnAt, Instant dueAt, Instant nextAt, int step, String claimedBy, long fence) {
    }

    /**
     * What a worker does with a timer it claimed, all in one transaction.
     *
     * @param warn       write {@code sla-warning}
     * @param breach     write {@code sla-breached}
     * @param escalation the chain's step to take now, or null
     * @param nextStep   the timer's step afterwards
     * @param nextAt     when it is due again, or null when nothing is left to do
     */
    record Firing(boolean warn, boolean breach, Escalation escalation, int nextStep, Instant nextAt) {
    }

    /**
     * One escalation step as the store takes it.
     *
     * @param supervisors for a supervisor step: who is told, in words (the event names them); null otherwise
     * @param department  for a transfer: where to; null otherwise
     * @param callback    whether a callback task is written
     */
    record Escalation(String supervisors, String department, boolean callback) {
    }

    /** The conversation as timers need it; empty when there is none. */
    Optional<Subject> subject(long conversationId);

    /**
     * Starts timers for a conversation in a department, at the event at {@code position}: running timers started by an
     * earlier event (another department's, a routing before a reopen) stop; a timer this event started already is not
     * started again.
     *
     * @return how many timers were started
     */
    int startTimers(long conversationId, String department, long position, Instant startedAt, List<NewTimer> timers);

    /** Stops the running timers of these kinds started before the event at {@code position}; returns how many. */
    int stopTimers(long conversationId, Set<Kind> kinds, long position);

    /**
     * Claims running timers due at {@code now} (next step at or before it), not claimed by another worker whose lease
     * lasts, earliest first, until {@code leaseUntil}; each claim takes the next fence. Rows other transactions hold are
     * skipped.
     */
    List<Timer> claimDueTimers(String node, Instant now, Instant leaseUntil, int limit);

    /**
     * Records what was done with a claimed timer, with its events, audit and escalation (a transfer, a callback task)
     * in one transaction; false, and nothing written, when the claim is no longer this worker's (its fence moved on, or
     * the timer stopped meanwhile). A timer of a resolved conversation stops instead, without events.
     */
    boolean fire(Timer claimed, Firing firing, Instant now);

    /** The running timers of a conversation, earliest due first. */
    List<Timer> runningTimers(long conversationId);

    /** Callback tasks of the departments within {@code scope}, newest first: the open ones only, or all. */
    List<CallbackTask> callbacks(org.frontdoor.api.Scope scope, boolean openOnly, int limit);

    /** One callback task; empty when there is none of that id. */
    Optional<CallbackTask> callback(long id);

    /**
     * Marks a callback task done by {@code actor}.
     *
     * @return the task as done; empty when there is none of that id
     * @throws IllegalStateException when it is done already
     */
    Optional<CallbackTask> callbackDone(long id, String actor, Instant at);

    /**
     * Records a call {@code actor} placed from a callback task through {@code door} (its provider's {@code callId}) on
     * the task, as a {@code call-placed} event and in the audit trail, in one transaction. A done task takes it too: the
     * provider placed the call already.
     *
     * @return the task with the call; empty when there is none of that id
     */
    Optional<CallbackTask> callbackCalled(long id, String door, String callId, String actor, Instant at);

    /** Audits a call from a callback task that the door or its provider did not place, with the reason. */
    void callbackCallFailed(long id, long conversationId, String door, String reason, String actor, Instant at);

    /**
     * Queues the out-of-hours acknowledgement {@code text} as a reply by {@code system} through the conversation's door,
     * unless the conversation had one already or its latest customer message is marked automatic
     * ({@code auto-submitted}); the mark and the reply are one transaction, so it is sent at most once per
     * conversation.
     *
     * @return the reply's id; empty when none was queued
     */
    Optional<Long> queueClosedReply(long conversationId, String department, String text, Instant at);
}
