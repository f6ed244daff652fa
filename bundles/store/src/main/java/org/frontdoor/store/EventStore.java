package org.frontdoor.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.frontdoor.api.ConversationEvent;

/** The event log: read by position, and the named consumers' positions and leases. */
public interface EventStore {

    /** Events after a position, oldest first, every department. */
    List<ConversationEvent> eventsAfter(long position, int limit);

    /** The position of the last event committed, 0 when none ever was. */
    long head();

    /**
     * Takes (or renews) the lease of a named consumer for this node until {@code until}, creating the consumer at
     * {@code startAt} when it is new. Empty when another node holds an unexpired lease.
     *
     * @return the consumer's position: it has read every event up to it
     */
    Optional<Long> claimConsumer(String name, String node, Instant now, Instant until, long startAt);

    /**
     * Moves a consumer this node holds to a position, renewing its lease. False when the lease was lost (another node
     * took it after it ran out): the caller must stop delivering.
     */
    boolean advanceConsumer(String name, String node, long position, Instant until, String lastError);

    /** Lets go of a consumer's lease, keeping its position. */
    void releaseConsumer(String name, String node);

    /** Every consumer, by name. */
    List<ConsumerState> consumers();

    /**
     * Forgets the per-node consumers (names with {@code @}, see {@code everyNode}) whose node has not held them since
     * before {@code idleBefore}: a node that went away, or one restarted under another name.
     *
     * @return how many were forgotten
     */
    int forgetNodeConsumers(Instant idleBefore);

    /** Deletes at most {@code limit} events committed before {@code cutoff}; returns how many. */
    int deleteEventsBefore(Instant cutoff, int limit);

    /**
     * A named consumer as stored.
     *
     * @param name       its name
     * @param position   the last event it has read
     * @param owner      the node delivering to it, or null
     * @param leaseUntil until when, or null
     * @param lastError  why its last delivery failed, or null
     * @param updatedAt  when it last moved
     */
    record ConsumerState(String name, long position, String owner, Instant leaseUntil, String lastError,
                         Instant updatedAt) {
    }
}
