package org.frontdoor.api.admin;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import org.frontdoor.api.ChannelHealth;

/**
 * What needs an administrator, in one place ({@code frontdoor:health}, {@code GET /api/v1/health}): core not running,
 * the database not answering, doors that are not up, and event consumers that missed events or keep failing.
 * {@link State#UP} when there is none. The node is ready (takes traffic) unless the state is {@link State#DOWN}: a door
 * that is not up makes it {@link State#DEGRADED} only, since every node shares the door's server and taking nodes out
 * of a load balancer would not bring it back.
 *
 * @param state    the worst of the problems
 * @param problems each with what to do, worst first
 */
public record HealthReport(State state, List<Problem> problems) {

    /** How Frontdoor is, from an administrator's point of view. */
    public enum State {
        /** Nothing needs an administrator. */
        UP,
        /** It runs, but something needs an administrator (a door down, an integration that missed or fails events). */
        DEGRADED,
        /** Core is not running, or the database does not answer: nothing is stored or sent. Not ready. */
        DOWN
    }

    /**
     * One thing that needs an administrator.
     *
     * @param part   what it is about ({@code core}, {@code door email/support}, {@code events consumer tickets})
     * @param state  how bad it is
     * @param reason what is wrong and what to do
     */
    public record Problem(String part, State state, String reason) {
        public Problem {
            Objects.requireNonNull(part, "part");
            Objects.requireNonNull(state, "state");
            Objects.requireNonNull(reason, "reason");
        }
    }

    /** A door as its health tells: channel id, instance and health (null when its health() failed). */
    public record Door(String channel, String instance, ChannelHealth health) {
    }

    public HealthReport {
        Objects.requireNonNull(state, "state");
        problems = List.copyOf(problems);
    }

    /** Whether this node should take traffic: core runs and the database answers. */
    public boolean ready() {
        return state != State.DOWN;
    }

    /**
     * The report of what there is.
     *
     * @param status the pipeline, or null when core is not running
     * @param doors  every registered door
     */
    public static HealthReport of(PipelineStatus status, List<Door> doors) {
        return of(status, status == null ? null : status.databaseProblem(), doors);
    }

    /**
     * The report of what there is, the database's answer already had.
     *
     * @param status          the pipeline, or null when core is not running
     * @param databaseProblem what {@link PipelineStatus#databaseProblem()} said: null when the database answered
     * @param doors           every registered door
     */
    public static HealthReport of(PipelineStatus status, String databaseProblem, List<Door> doors) {
        List<Problem> problems = new ArrayList<>();
        if (status == null) {
            problems.add(new Problem("core", State.DOWN, "Frontdoor core is not running: nothing is stored, routed or "
                    + "sent (feature:list | grep frontdoor-core, and karaf.log)"));
        } else if (databaseProblem != null) {
            problems.add(new Problem("database", State.DOWN, databaseProblem));
        }
        for (Door d : doors) {
            String part = "door " + d.channel() + "/" + d.instance();
            if (d.health() == null) {
                problems.add(new Problem(part, State.DEGRADED, "the door could not tell its health"));
            } else if (d.health().status() != ChannelHealth.Status.UP) {
                problems.add(new Problem(part, State.DEGRADED, d.health().status() + (d.health().reason() == null
                        ? "" : ": " + d.health().reason())));
            }
        }
        if (status != null && databaseProblem == null) {
            for (EventConsumerInfo c : status.eventConsumers()) {
                String part = "events consumer " + c.name();
                if (c.missedEvents()) {
                    problems.add(new Problem(part, State.DEGRADED, "missed events " + c.missedFrom() + " to "
                            + c.missedTo() + ": retention deleted them before it read them (eventRetentionMaxHours); "
                            + "once its integration has caught up by other means, frontdoor:event-consumer-reset "
                            + c.name() + " --to " + c.position()));
                }
                if (c.lastError() != null) {
                    problems.add(new Problem(part, State.DEGRADED, "fails at position " + (c.position() + 1)
                            + " and retries: " + c.lastError()));
                }
            }
        }
        problems.sort(java.util.Comparator.comparing(Problem::state).reversed());
        State worst = problems.isEmpty() ? State.UP : problems.get(0).state();
        return new HealthReport(worst, problems);
    }
}
