package org.frontdoor.store;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.frontdoor.api.ConversationEvent;
import org.frontdoor.api.EventFilter;

/**
 * The event log: read by position, and the named consumers' positions and leases. A lease's time comes from the
 * database's clock, never from a node's, and each takeover takes the next generation: a holder whose generation is no
 * longer the consumer's can neither renew nor move it.
 */
public interface EventStore {

    /** Events after a position, oldest first, every department. */
    List<ConversationEvent> eventsAfter(long position, int limit);

    /** The position of the last event committed, 0 when none ever was. */
    long head();

    /**
     * Takes the lease of a named consumer for this node for {@code lease} from now (the database's now), creating the
     * consumer at {@code startAt} when it is new, and records the filter its route selects with. Each claim takes the
     * next generation. Empty when another node holds an unexpired lease.
     */
    Optional<Lease> claimConsumer(String name, String node, Duration lease, long startAt, EventFilter filter);

    /**
     * Moves a consumer this node holds under {@code generation} to a position and renews its lease for {@code lease}
     * from the database's now. {@code gapTold}: the route has been told of the consumer's gap. False when the lease
     * was lost (another node took it, or an admin reset the consumer): the caller must stop delivering at once.
     */
    boolean advanceConsumer(String name, String node, long generation, long position, Duration lease,
                            String lastError, boolean gapTold);

    /** Moves a consumer to a position and lets go of its lease, if this node still holds it under that generation. */
    void releaseConsumer(String name, String node, long generation, long position);

    /** Every consumer, by name. */
    List<ConsumerState> consumers();

    /**
     * Runs a query on the database, for readiness: returns when it answered, within {@code timeout} for the query
     * itself.
     *
     * @throws org.frontdoor.store.StoreUnavailableException when it cannot be reached or does not answer
     */
    void ping(Duration timeout);

    /**
     * Sets a consumer's position (0: the beginning; {@code -1}: the end, the head as of now), forgets its gap and last
     * error, and takes the lease from whoever holds it (the next generation), so a running consumer stops at its next
     * renewal and goes on from there.
     *
     * @return the consumer as reset, empty when there is none of that name
     */
    Optional<ConsumerState> resetConsumer(String name, long position);

    /**
     * Forgets the per-node consumers (names with {@code @}, see {@code everyNode}) whose node has not held them since
     * before {@code idleBefore}: a node that went away, or one restarted under another name.
     *
     * @return how many were forgotten
     */
    int forgetNodeConsumers(Instant idleBefore);

    /**
     * Deletes old events: at most {@code limit} committed before {@code readCutoff} that every consumer has read, and at
     * most {@code limit} committed before {@code hardCutoff} whether read or not. A consumer that had not read the
     * latter is moved past them, with the range recorded as its gap (and the next generation, so its holder notices).
     */
    Retention deleteOldEvents(Instant readCutoff, Instant hardCutoff, int limit);

    /** Events after a position that a filter selects. */
    long countAfter(long position, EventFilter filter);

    /**
     * The agents who said they type at or after {@code since} (on any node), as {@code TYPING} events at position 0: a
     * signal, not a log entry (see {@code InboxStore#typing}); the latest per agent and conversation.
     */
    List<ConversationEvent> typingSince(Instant since);

    /** Forgets typing signals said before {@code before}; returns how many. */
    int forgetTypingBefore(Instant before);

    /**
     * A consumer's lease as taken.
     *
     * @param position   the last event it has read
     * @param generation the generation this holder delivers under
     * @param missed     events deleted before it read them that its route has not been told of ({@code N-M}), or null
     */
    record Lease(long position, long generation, String missed) {
    }

    /**
     * What a retention pass deleted.
     *
     * @param read        events every consumer had read
     * @param unread      events past the hard cap that a consumer had not read
     * @param gaps        consumers given a gap
     */
    record Retention(int read, int unread, int gaps) {
    }

    /**
     * A named consumer as stored.
     *
     * @param name       its name
     * @param position   the last event it has read
     * @param owner      the node delivering to it, or null
     * @param leaseUntil until when, or null
     * @param lastError  why its last delivery failed, or null
     * @param updatedAt  when it last moved
     * @param generation its lease generation
     * @param gapFrom    the first event retention deleted before it read it, or 0
     * @param gapTo      the last one, or 0
     * @param filter     what its route selects
     * @param behind     events after its position that its filter selects
     */
    record ConsumerState(String name, long position, String owner, Instant leaseUntil, String lastError,
                         Instant updatedAt, long generation, long gapFrom, long gapTo, EventFilter filter,
                         long behind) {
    }
}
