package org.frontdoor.core;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;

import org.frontdoor.api.ConversationEvent;
import org.frontdoor.api.Department;
import org.frontdoor.api.SlaPolicy;
import org.frontdoor.store.SlaStore;
import org.frontdoor.store.SlaStore.Kind;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SLA timers from the event log, and the worker that fires them. {@link #onEvent} is the {@code frontdoor-sla}
 * consumer: a routing or a transfer starts a department's timers (the older ones stop), an agent's reply stops the
 * first-response timer, a resolve stops both; a routing into a department that is closed then sends the out-of-hours
 * acknowledgement. {@link #fireDue} is one pass of a worker: it claims the due timers for a lease and takes each one's
 * next step (warn, breach and the chain's first step, the chain's next steps) in one fenced transaction per timer.
 * Every instant comes from the clock given, so a test moves time without waiting.
 */
final class SlaEngine {

    private static final Logger LOG = LoggerFactory.getLogger(SlaEngine.class);
    static final String CONSUMER = "frontdoor-sla";
    static final Set<ConversationEvent.Type> TYPES = Set.of(ConversationEvent.Type.ROUTED,
            ConversationEvent.Type.TRANSFERRED, ConversationEvent.Type.REPLIED, ConversationEvent.Type.RESOLVED);
    static final Duration LEASE = Duration.ofSeconds(60);
    static final int BATCH = 100;
    private static final DateTimeFormatter OPENING = DateTimeFormatter.ofPattern("EEEE d MMMM yyyy 'at' HH:mm",
            Locale.ENGLISH);

    private final SlaStore store;
    private final Function<String, Department> departments;
    private final String node;
    private final Clock clock;
    private final Duration lease;
    private final Function<String, List<String>> supervisors;
    /** Tests only: called before each step is recorded; it may block (a slow worker) or throw (a worker killed). */
    volatile Consumer<SlaStore.Timer> beforeFire = t -> { };

    SlaEngine(SlaStore store, Function<String, Department> departments, String node, Clock clock, Duration lease) {
        this(store, departments, id -> List.of(), node, clock, lease);
    }

    /**
     * @param supervisors a department's supervisors by login name, sorted: the {@code supervisor} step names them (its
     *                    readGroups when there are none)
     */
    SlaEngine(SlaStore store, Function<String, Department> departments, Function<String, List<String>> supervisors,
              String node, Clock clock, Duration lease) {
        this.supervisors = supervisors;
        this.store = store;
        this.departments = departments;
        this.node = node;
        this.clock = clock;
        this.lease = lease;
    }

    private Department department(String id) {
        Department d = id == null ? null : departments.apply(id);
        return d == null ? Department.seenOnly(id == null ? "none" : id) : d;
    }

    /** Handles one event of the log; delivered again, it changes nothing more. */
    void onEvent(ConversationEvent e) {
        switch (e.type()) {
            case ROUTED, TRANSFERRED -> {
                Department d = department(e.department());
                Optional<SlaStore.Subject> subject = store.subject(e.conversationId());
                if (subject.isEmpty()) {
                    return;
                }
                int priority = subject.get().priority();
                List<SlaStore.NewTimer> timers = new ArrayList<>();
                timer(d, Kind.FIRST_RESPONSE, d.firstResponseMinutes(priority), e.at()).ifPresent(timers::add);
                timer(d, Kind.RESOLUTION, d.resolutionMinutes(priority), e.at()).ifPresent(timers::add);
                // an empty list still stops the timers of the department it left
                store.startTimers(e.conversationId(), e.department(), e.position(), e.at(), timers);
                if (e.type() == ConversationEvent.Type.ROUTED) {
                    acknowledgeIfClosed(e, d);
                }
            }
            case REPLIED -> {
                if (!TxActors.SYSTEM.equals(e.actor())) {
                    store.stopTimers(e.conversationId(), Set.of(Kind.FIRST_RESPONSE), e.position());
                }
            }
            case RESOLVED -> store.stopTimers(e.conversationId(), Set.of(Kind.FIRST_RESPONSE, Kind.RESOLUTION),
                    e.position());
            default -> { }
        }
    }

    private static Optional<SlaStore.NewTimer> timer(Department d, Kind kind, int minutes, Instant start) {
        if (minutes <= 0) {
            return Optional.empty();
        }
        Optional<Instant> due = d.plusBusinessTime(start, Duration.ofMinutes(minutes));
        if (due.isEmpty()) {
            LOG.warn("department {} never opens: no {} timer", d.id(), kind.id());
            return Optional.empty();
        }
        Instant warn = d.plusBusinessTime(start, Duration.ofSeconds(minutes * 60L * d.sla().warnAtPercent() / 100))
                .orElse(null);
        return Optional.of(new SlaStore.NewTimer(kind, minutes, warn, due.get()));
    }

    /** The out-of-hours acknowledgement, once per conversation, when it lands in a department closed then. */
    private void acknowledgeIfClosed(ConversationEvent e, Department d) {
        if (d.hours() == null || d.isOpen(e.at()) || d.sla().closedReply().isEmpty()) {
            return;
        }
        Optional<Instant> opening = d.nextOpening(e.at());
        if (opening.isEmpty()) {
            return; // it never opens: there is no time to promise
        }
        String text = closedReply(d, opening.get());
        store.queueClosedReply(e.conversationId(), d.id(), text, clock.instant()).ifPresent(reply ->
                LOG.info("Conversation {} landed in {} while it is closed: acknowledged (reply {})",
                        e.conversationId(), d.id(), reply));
    }

    /** The department's out-of-hours text with its next opening, in its zone. */
    static String closedReply(Department d, Instant opening) {
        ZoneId zone = d.zone() == null ? ZoneId.of("UTC") : d.zone();
        String when = OPENING.format(opening.atZone(zone)) + " (" + zone.getId() + ")";
        return d.sla().closedReply().replace(SlaPolicy.OPENING, when);
    }

    /**
     * One worker pass: claims the due timers for a lease and takes each one's next step.
     *
     * @return how many steps were recorded
     */
    int fireDue() {
        Instant now = clock.instant();
        List<SlaStore.Timer> due = store.claimDueTimers(node, now, now.plus(lease), BATCH);
        int fired = 0;
        for (SlaStore.Timer t : due) {
            beforeFire.accept(t);
            Department d = department(t.department());
            SlaStore.Firing firing = firing(t, d, () -> supervisors.apply(d.id()));
            if (store.fire(t, firing, clock.instant())) {
                fired++;
            } else {
                LOG.info("SLA timer {} was taken over by another worker: its step is theirs", t.id());
            }
        }
        return fired;
    }

    /**
     * What comes next for a due timer: at step 0 the warning; at step 1 the breach and the chain's first step; then
     * each next step of the chain, each {@code target} business minutes after the one before. A chain shortened since
     * ends where it now ends.
     */
    static SlaStore.Firing firing(SlaStore.Timer t, Department d) {
        return firing(t, d, List::of);
    }

    /** As {@link #firing(SlaStore.Timer, Department)}, the department's supervisors asked for only when named. */
    static SlaStore.Firing firing(SlaStore.Timer t, Department d, java.util.function.Supplier<List<String>> supervisors) {
        List<SlaPolicy.Escalation> chain = d.sla().escalation();
        Duration target = Duration.ofMinutes(t.targetMinutes());
        if (t.step() == 0) {
            return new SlaStore.Firing(true, false, null, 1, t.dueAt());
        }
        int index = t.step() - 1; // step 1: the chain's first, step 2: its second, ...
        SlaStore.Escalation escalation = index < chain.size() ? escalation(chain.get(index), d, supervisors) : null;
        Instant base = t.step() == 1 ? t.dueAt() : t.nextAt();
        Instant next = index + 1 < chain.size() ? d.plusBusinessTime(base, target).orElse(null) : null;
        return new SlaStore.Firing(false, t.step() == 1, escalation, t.step() + 1, next);
    }

    private static SlaStore.Escalation escalation(SlaPolicy.Escalation step, Department d,
                                                  java.util.function.Supplier<List<String>> supervisors) {
        return switch (step.step()) {
            case SUPERVISOR -> new SlaStore.Escalation(supervisorsOf(d, supervisors.get()), null, false);
            case DEPARTMENT -> new SlaStore.Escalation(null, step.department(), false);
            case CALLBACK -> new SlaStore.Escalation(null, null, true);
        };
    }

    /** Who the supervisor step names: the department's supervisors, else its readGroups, else a sentence. */
    private static String supervisorsOf(Department d, List<String> supervisors) {
        if (!supervisors.isEmpty()) {
            return String.join(", ", supervisors);
        }
        return d.readGroups().isEmpty() ? "no supervisors configured (the department has no readGroups)"
                : String.join(", ", new java.util.TreeSet<>(d.readGroups()));
    }

    /** The actor the store writes for what Frontdoor itself does. */
    static final class TxActors {
        static final String SYSTEM = "system";

        private TxActors() {
        }
    }
}
