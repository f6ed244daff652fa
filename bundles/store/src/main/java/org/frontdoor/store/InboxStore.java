package org.frontdoor.store;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;

import org.frontdoor.api.EventFilter;
import org.frontdoor.api.Identity;
import org.frontdoor.api.ProofChallenge;
import org.frontdoor.api.ProofLimits;
import org.frontdoor.api.ProofOutcome;
import org.frontdoor.api.Scope;
import org.frontdoor.api.Visibility;
import org.frontdoor.api.inbox.ConversationDetail;
import org.frontdoor.api.inbox.ConversationQuery;
import org.frontdoor.api.inbox.ConversationSummary;
import org.frontdoor.api.inbox.ConversationWhy;
import org.frontdoor.api.inbox.CustomerMerge;
import org.frontdoor.api.inbox.CustomerView;
import org.frontdoor.api.inbox.EventPage;
import org.frontdoor.api.inbox.InboxCounts;
import org.frontdoor.api.inbox.MergeSuggestion;
import org.frontdoor.api.inbox.Page;
import org.frontdoor.api.inbox.ReplyRoute;
import org.frontdoor.api.inbox.ReplyView;
import org.frontdoor.api.inbox.SlaState;
import org.frontdoor.api.inbox.StoreCheck;

/**
 * The agents' side: reads and changes of conversations, always within a {@link Scope}. Something outside the scope
 * is treated as absent. Changes are compare-and-set on the conversation's status; each writes its event and audit in
 * its own transaction.
 */
public interface InboxStore {

    Page<ConversationSummary> conversations(Scope scope, ConversationQuery query);

    /** How many conversations each inbox view holds within the scope ({@link InboxCounts}), {@code me} the caller. */
    InboxCounts counts(Scope scope, String me);

    /** The SLA state of the conversations named that lie within the scope (the others are left out). */
    Map<Long, SlaState> sla(Scope scope, Collection<Long> conversationIds);

    Optional<ConversationDetail> conversation(Scope scope, long id);

    /**
     * Each department's open conversations by status and its running SLA timers at {@code now}, by the database: a
     * row for each department of a limited scope, for each with open conversations in the scope of everything.
     */
    java.util.List<org.frontdoor.api.dashboard.DepartmentQueue> queues(Scope scope, java.time.Instant now);

    /** Customer messages per door and hour over the {@code hours} hours up to the one of {@code now}. */
    org.frontdoor.api.dashboard.Volumes volumes(Scope scope, java.time.Instant now, int hours);

    /** Why a conversation is where it is; empty when it does not exist or the scope does not cover it. */
    Optional<ConversationWhy> why(Scope scope, long id);

    Optional<CustomerView> customer(Scope scope, long id);

    /** The door of a conversation and the visibility of its latest customer message, for checks before a reply. */
    Optional<ReplyTarget> replyTarget(Scope scope, long conversationId);

    /**
     * Stores a reply, queued for sending now.
     *
     * @throws NoSuchElementException when the conversation does not exist or is outside the scope
     */
    /**
     * Writes an internal note, with its {@code note-added} event and audit row; never a reply.
     *
     * @throws java.util.NoSuchElementException when the conversation does not exist or is outside {@code scope}
     * @throws IllegalArgumentException         when the text is empty or longer than {@link
     *                                          org.frontdoor.api.inbox.Inbox#MAX_NOTE}
     */
    org.frontdoor.api.inbox.NoteView addNote(Scope scope, long conversationId, String text, String agent);

    ReplyView queueReply(Scope scope, long conversationId, String text, Visibility visibility, String agent);

    /**
     * Stores a reply to go out through another door than the conversation's, queued for sending now.
     *
     * @param verifiedOnly whether the recipient must be an identity the conversation's customer proved to own
     * @throws NoSuchElementException   when the conversation does not exist or is outside the scope
     * @throws IllegalArgumentException when {@code verifiedOnly} and the recipient is not such an identity
     */
    ReplyView queueReply(Scope scope, long conversationId, String text, Visibility visibility, String agent,
                         ReplyRoute via, boolean verifiedOnly);

    /**
     * As {@link #queueReply(Scope, long, String, Visibility, String, ReplyRoute, boolean)}, at most once per key: the
     * reply stored earlier by the same agent in the same conversation with this key, when there is one, is answered
     * as it is now and nothing is stored.
     *
     * @param via            another door to send through, or null for the conversation's
     * @param idempotencyKey the client's key, or null for none
     * @param fingerprint    what identifies the request the key came with (a repeat must bring the same)
     * @throws org.frontdoor.api.inbox.IdempotencyKeyReusedException when the key came with another fingerprint
     */
    ReplyView queueReply(Scope scope, long conversationId, String text, Visibility visibility, String agent,
                         ReplyRoute via, boolean verifiedOnly, String idempotencyKey, String fingerprint);

    /**
     * Links {@code proven} to {@code known}'s customer, verified, or suggests a merge when another customer with
     * history has it (nothing moves then).
     *
     * @return {@code known}'s customer
     * @throws NoSuchElementException when {@code known} was never stored
     */
    long linkVerified(Identity known, Identity proven, String actor);

    /**
     * Issues a code proving {@code address} to {@code known}, counted against the limits per address and per known.
     *
     * @throws org.frontdoor.api.RateLimitedException when a limit is reached
     * @throws NoSuchElementException                  when {@code known} was never stored
     */
    ProofChallenge startProof(Identity known, Identity address, ProofLimits limits, String actor);

    /** Checks a code typed back; a right one links or suggests as {@link #linkVerified} does. */
    ProofOutcome proveByCode(String challengeId, Identity known, String code, String actor);

    /** Counts one use of {@code key} in its current window unless {@code limit} are counted; shared by every node. */
    boolean tryTake(String key, int limit, Duration window);

    /** Merges {@code from} into {@code into}, recording what moved; both must be within the scope. */
    CustomerMerge merge(Scope scope, long from, long into, String actor);

    /** Undoes a merge, putting back what it moved and what the moved identities wrote since. */
    CustomerMerge unmerge(Scope scope, long mergeId, String actor);

    /** Open merge suggestions whose customers are both within the scope. */
    List<MergeSuggestion> mergeSuggestions(Scope scope);

    /** The ids of the departments routing or a transfer recorded (seen), in order. */
    List<String> departments();

    /** Messages whose customer is not their author's. */
    StoreCheck storeCheck();

    /** The identities on {@code channel} that {@code of}'s customer proved to own, latest first. */
    List<Identity> verifiedIdentities(Identity of, String channel);

    /**
     * Queues a FAILED reply again, its attempts counted afresh.
     *
     * @throws NoSuchElementException when the reply does not exist or is outside the scope
     * @throws IllegalStateException  when it has not failed
     */
    ReplyView retryReply(Scope scope, long replyId, String agent);

    /** QUEUED or ASSIGNED to ASSIGNED to {@code agent}. */
    ConversationSummary assign(Scope scope, long conversationId, String agent, String actor);

    /** QUEUED or ASSIGNED to QUEUED in another department, unassigned. */
    ConversationSummary transfer(Scope scope, long conversationId, String department, String actor);

    /**
     * QUEUED, ASSIGNED or SNOOZED to SNOOZED until a time (its assignee kept); {@link AgentStore#wakeSnoozed} brings it
     * back.
     *
     * @throws IllegalArgumentException when the time is not in the future or more than a year ahead
     */
    ConversationSummary snooze(Scope scope, long conversationId, Instant until, String actor);

    /** Anything but RESOLVED to RESOLVED. */
    ConversationSummary resolve(Scope scope, long conversationId, String actor);

    /**
     * An agent takes a conversation up again: RESOLVED or SNOOZED back to QUEUED in its department, or ASSIGNED when
     * it kept an assignee; a RESOLVED one never routed goes back to NEW and is routed. A {@code REOPENED} event (for a
     * resolved one) or {@code UNSNOOZED} (for a snoozed one) naming the agent, and an audit row.
     *
     * @throws IllegalStateException when it is open already (NEW, QUEUED or ASSIGNED)
     */
    ConversationSummary reopen(Scope scope, long conversationId, String actor);

    /**
     * Moves the conversation's read mark forward to a customer message (0: its latest), with a READ event.
     *
     * @return the mark afterwards, 0 when the conversation has no message
     * @throws NoSuchElementException   when the conversation does not exist or is outside the scope
     * @throws IllegalArgumentException when the message is not one of the conversation's
     */
    long markRead(Scope scope, long conversationId, long upToMessageId, String actor);

    /**
     * Says that the actor types in the conversation now, unless it said so there at or after {@code since} (on any
     * node): a typing signal ({@link EventStore#typingSince}), never an entry of the event log; nothing else changes.
     *
     * @return whether it was written
     * @throws NoSuchElementException when the conversation does not exist or is outside the scope
     * @throws IllegalStateException  when it is resolved
     */
    boolean typing(Scope scope, long conversationId, String actor, Instant since);

    /** Events after a position within the scope that a filter selects. */
    EventPage events(Scope scope, long after, int limit, EventFilter filter);

    /**
     * A message of a conversation as hiding it on its network needs it.
     *
     * @throws NoSuchElementException when the conversation does not exist, is outside the scope, or the message is not
     *                                one of its messages
     */
    ModerationTarget moderationTarget(Scope scope, long conversationId, long messageId);

    /**
     * Records that the network hid ({@code hidden}) or showed the message: its mark set (who, now, why) or cleared, a
     * {@code message-hidden} or {@code message-unhidden} event and an audit row, in one transaction. A message already
     * so keeps its mark and gets only the audit row.
     *
     * @return whether the mark changed
     * @throws NoSuchElementException when the conversation or the message is not there (within the scope)
     */
    boolean recordHidden(Scope scope, long conversationId, long messageId, boolean hidden, String reason,
                         String actor);

    /** Records in the audit trail an attempt to hide or show a message that the network refused or could not do. */
    void auditModerationFailure(Scope scope, long conversationId, long messageId, boolean hidden, String reason,
                                String failure, String actor);

    /**
     * A message to hide or show.
     *
     * @param door       the conversation's door (the message's own)
     * @param externalId the message's id on its network
     * @param visibility public or private
     * @param inbound    whether a customer wrote it (always, for a message of the message table)
     * @param hidden     whether it is marked hidden now
     */
    record ModerationTarget(Door door, String externalId, Visibility visibility, boolean inbound, boolean hidden) {
    }

    /**
     * Where a reply to a conversation goes.
     *
     * @param door             the conversation's door
     * @param latestVisibility how the customer last wrote, public or private
     */
    record ReplyTarget(Door door, Visibility latestVisibility) {
    }
}
