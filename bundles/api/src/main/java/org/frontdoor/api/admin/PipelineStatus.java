package org.frontdoor.api.admin;

import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

/** The pipeline as an administrator sees it: an OSGi service published by core. */
@ProviderType
public interface PipelineStatus {

    /** The routing rules, in the order they are asked (highest ranking first). */
    List<RuleInfo> rules();

    /**
     * Whether the database answers a query now: null when it answered within {@link #DATABASE_TIMEOUT_MILLIS}, else
     * what is wrong (for administrators: it may name the database's host). Cheap to call often: callers within a
     * second of each other share one query.
     */
    String databaseProblem();

    /** The longest {@link #databaseProblem()} waits for the database's answer. */
    long DATABASE_TIMEOUT_MILLIS = 2_000;

    /** The named consumers of the event log, by name. */
    List<EventConsumerInfo> eventConsumers();

    /**
     * Rewinds or forwards a consumer ({@code frontdoor:event-consumer-reset}): it goes on after {@code position}, its
     * gap and last error are forgotten, and it takes the next lease generation, so the node delivering to it stops at
     * its next renewal (within seconds) and goes on from there.
     *
     * @param position a position, {@link #BEGINNING} (the oldest event the log still holds) or {@link #END} (what is
     *                 committed from now on)
     * @return the consumer as reset
     * @throws java.util.NoSuchElementException when there is no consumer of that name
     * @throws IllegalArgumentException         for a position below {@link #END}
     */
    EventConsumerInfo resetEventConsumer(String name, long position);

    /** {@link #resetEventConsumer}: from the oldest event the log holds. */
    long BEGINNING = 0;
    /** {@link #resetEventConsumer}: from the head, what is committed from now on. */
    long END = -1;
}
