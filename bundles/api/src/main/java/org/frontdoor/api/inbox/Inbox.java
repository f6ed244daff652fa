package org.frontdoor.api.inbox;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;

import org.frontdoor.api.Caller;
import org.frontdoor.api.EventFilter;
import org.frontdoor.api.Visibility;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The agents' inbox: an OSGi service published by core, used by the REST API, the console and the shell.
 *
 * <p>Every method takes the {@link Caller} and sees only what the caller's scope covers. Something outside the scope
 * is answered as if it did not exist (empty, or {@link NoSuchElementException}), so a scope does not tell what
 * other departments have.
 *
 * <p>Changes are compare-and-set on the conversation's state: one that no longer applies (a conversation resolved
 * meanwhile by someone else) throws {@link IllegalStateException} with the reason, and changes nothing. Every method
 * may throw {@link InboxUnavailableException} when the database cannot answer now.
 *
 * <h2>For a plugin</h2>
 * <ul>
 * <li><b>Getting it:</b> {@code @Reference Inbox inbox} in a Declarative Services component; core registers one
 * instance per node, and the reference is satisfied once core runs.</li>
 * <li><b>Scope:</b> a call runs under the {@link Caller} passed, and only it: {@code Caller.system("<name>")} sees
 * everything and is recorded as the actor {@code <name>}; pass the user's caller when acting for a user.</li>
 * <li><b>Transactions:</b> each change is one database transaction together with its
 * {@link org.frontdoor.api.ConversationEvent}s; when the method returns, it is committed and its events are in the log
 * (a {@code frontdoor:events} consumer, this plugin's own included, hears of it). A collision with another
 * transaction is retried once inside the call.</li>
 * <li><b>Exceptions:</b> {@link NoSuchElementException} (absent or outside the scope), {@link IllegalStateException}
 * (the conversation's state no longer allows it; nothing changed: do not retry), {@link IllegalArgumentException}
 * (bad input; nothing changed), {@link SecurityException} (a role is missing), {@link IdempotencyKeyReusedException},
 * and {@link InboxUnavailableException}: the only one worth retrying later. In a {@code frontdoor:events} route,
 * letting it out of the route delivers the event again after a growing delay.</li>
 * <li><b>Idempotency:</b> only the calls that take an {@code idempotencyKey} are safe to repeat as they are; a plugin
 * that may run a change twice (its events come at least once) passes a key derived from what it handles, such as
 * {@code "<consumer>-" + event.position()}, or checks the state first.</li>
 * <li><b>Threads:</b> the service is safe to call from any number of threads at once; it blocks the calling thread
 * on the database, so call it from a route's or a component's own thread, never from an event loop that must not
 * block.</li>
 * </ul>
 *
 * <p>{@link ProviderType}: core implements it; a plugin calls it and never implements it, so a method added in a minor
 * version breaks no plugin.
 */
@ProviderType
public interface Inbox {

    Page<ConversationSummary> conversations(Caller caller, ConversationQuery query);

    /** How many conversations each inbox view holds within the caller's scope ({@link InboxCounts}), in one read. */
    InboxCounts counts(Caller caller);

    /**
     * The SLA state of conversations, for a list's rows: those outside the caller's scope or absent are left out.
     *
     * @param conversationIds at most {@value ConversationQuery#MAX_LIMIT}
     */
    Map<Long, SlaState> sla(Caller caller, Collection<Long> conversationIds);

    Optional<ConversationDetail> conversation(Caller caller, long id);

    /**
     * Why a conversation is where it is: the rule that routed it and its reason, the classifiers' annotations, and
     * its department changes and assignments with who and when. Empty when it does not exist or is outside the
     * caller's scope.
     */
    Optional<ConversationWhy> why(Caller caller, long id);

    /**
     * The position of the latest event committed to the log, whoever may see it (0 for none): where a live view that
     * has just read the current state starts following the log.
     *
     * @since 1.6
     */
    default long eventHead() {
        return 0;
    }

    /**
     * Each department's queue now, within the caller's scope (conversations not routed yet only for the scope of
     * everything), computed by the database: the supervisor's dashboard. A scope of some departments has a row for
     * each of them, quiet ones too; the scope of everything has one for each department with open conversations.
     *
     * @throws SecurityException when the caller is neither a supervisor nor an admin (nor a system caller)
     * @since 1.7
     */
    default List<org.frontdoor.api.dashboard.DepartmentQueue> queues(Caller caller) {
        throw new UnsupportedOperationException("this inbox has no dashboard");
    }

    /**
     * The customer messages each door brought in per hour, over the last {@code hours} hours including the current
     * one, counting only conversations within the caller's scope.
     *
     * @param hours 1 to {@link org.frontdoor.api.dashboard.Volumes#MAX_HOURS}
     * @throws SecurityException        when the caller is neither a supervisor nor an admin (nor a system caller)
     * @throws IllegalArgumentException when hours is out of range
     * @since 1.7
     */
    default org.frontdoor.api.dashboard.Volumes volumes(Caller caller, int hours) {
        throw new UnsupportedOperationException("this inbox has no dashboard");
    }

    /**
     * How a reply would be counted by the conversation's door, before it is sent: its length, the messages (SMS
     * segments, posts) it becomes, and whether the door takes it, with how much to cut when it does not. Nothing is
     * stored.
     *
     * @throws NoSuchElementException when the conversation does not exist or is outside the caller's scope
     */
    default ReplyMeasure measureReply(Caller caller, long conversationId, String text) {
        throw new UnsupportedOperationException("this inbox does not measure replies");
    }

    /**
     * As {@link #measureReply(Caller, long, String)}, as the door a reply {@link #replyVia via} another door would go
     * out through counts it (null: the conversation's own door).
     *
     * @throws NoSuchElementException when the conversation does not exist or is outside the caller's scope
     * @since 1.7
     */
    default ReplyMeasure measureReply(Caller caller, long conversationId, String text, ReplyRoute via) {
        if (via == null) {
            return measureReply(caller, conversationId, text);
        }
        throw new UnsupportedOperationException("this inbox does not measure replies through another door");
    }

    /**
     * Queues a reply: it is stored before this returns, then delivered by the door's outbound route.
     *
     * @param visibility public or private; null to answer as the customer's latest message was written (private where
     *                   the door cannot answer in public)
     * @throws NoSuchElementException   when the conversation does not exist or is outside the caller's scope
     * @throws IllegalArgumentException when the text is empty, too long for its door as the door counts, or the door
     *                                  cannot answer with that visibility
     */
    ReplyView reply(Caller caller, long conversationId, String text, Visibility visibility);

    /**
     * Queues a reply that goes out through another door than the conversation's, as a private message starting a new
     * thread there: the customer's preferred channel, such as e-mail for a web chat visitor who left. It is shown in
     * the conversation like every reply, with the same delivery, retries and events.
     *
     * <p>An agent may send only to an identity the conversation's customer has proven to own ({@link
     * org.frontdoor.api.Customers#linkVerified}); a {@link Caller#system system caller} (a door acting on its own, such
     * as the web chat sending the code that confirms an address) may send to any recipient, and answers for it.
     *
     * @throws NoSuchElementException   when the conversation does not exist or is outside the caller's scope
     * @throws IllegalArgumentException when the text is empty or too long for that door, or an agent names a
     *                                  recipient the customer has not proven to own
     */
    ReplyView replyVia(Caller caller, long conversationId, String text, ReplyRoute via);

    /**
     * As {@link #reply(Caller, long, String, Visibility)}, at most once per idempotency key: the key is stored with the
     * reply, unique per conversation and caller. A repeat with the same key and the same request (text, visibility)
     * stores nothing and answers the reply stored the first time, as it is now; so a client that did not get the
     * answer (a 503, a lost connection) sends again safely.
     *
     * @param idempotencyKey the client's key (1 to {@value #MAX_IDEMPOTENCY_KEY} visible ASCII characters), or null
     *                       for none
     * @throws IdempotencyKeyReusedException when the key was used for a different request in this conversation
     */
    default ReplyView reply(Caller caller, long conversationId, String text, Visibility visibility,
                            String idempotencyKey) {
        if (idempotencyKey == null) {
            return reply(caller, conversationId, text, visibility);
        }
        throw new UnsupportedOperationException("this inbox keeps no idempotency keys");
    }

    /** As {@link #replyVia(Caller, long, String, ReplyRoute)}, at most once per idempotency key (see the above). */
    default ReplyView replyVia(Caller caller, long conversationId, String text, ReplyRoute via,
                               String idempotencyKey) {
        if (idempotencyKey == null) {
            return replyVia(caller, conversationId, text, via);
        }
        throw new UnsupportedOperationException("this inbox keeps no idempotency keys");
    }

    /** The longest idempotency key a reply takes. */
    int MAX_IDEMPOTENCY_KEY = 255;

    /**
     * Writes an internal note on a conversation: one agent asks another (by {@code @name}) without transferring it.
     * A note is never sent to the customer and goes through no door; it may be written on a resolved conversation.
     * Every note is audited and writes a {@code note-added} event naming its mentions.
     *
     * @param text 1 to {@value #MAX_NOTE} characters; {@code @name} tokens (letters, digits, '.', '_', '-') are its
     *             mentions, at most {@value #MAX_MENTIONS} different ones
     * @throws NoSuchElementException   when the conversation does not exist or is outside the caller's scope
     * @throws IllegalArgumentException when the text is empty or too long
     */
    default NoteView addNote(Caller caller, long conversationId, String text) {
        throw new UnsupportedOperationException("this inbox keeps no notes");
    }

    /** The longest internal note. */
    int MAX_NOTE = 4000;

    /** The most mentions a note carries; further ones are kept in its text only. */
    int MAX_MENTIONS = 20;

    /**
     * Hides a customer's public message on its network, for an admin with a reason: the door asks the network
     * ({@link org.frontdoor.api.ChannelModeration}) within this call, and only once the network confirmed it is the
     * message marked hidden, with who, when and why, an audit row and a {@code message-hidden} event in one
     * transaction. The message stays in Frontdoor and in the conversation, shown to agents with its mark: public
     * criticism is answered, not made to disappear. Hiding a hidden message asks the network again (someone may have
     * shown it there by hand) and keeps its mark as it was.
     *
     * @param reason why, 1 to {@value #MAX_MODERATION_REASON} characters; recorded and shown to agents
     * @return the message as it is now
     * @throws SecurityException          when the caller is not an admin (or a system caller)
     * @throws IllegalArgumentException   when the reason is empty or too long
     * @throws NoSuchElementException     when the conversation does not exist, is outside the caller's scope, or the
     *                                    message is not one of its messages
     * @throws IllegalStateException      when the message cannot be hidden: it is private, its door is not running,
     *                                    or its door cannot hide messages
     * @throws ModerationFailedException  when the network did not hide it (nothing was recorded but the attempt)
     */
    default MessageView hide(Caller caller, long conversationId, long messageId, String reason) {
        throw new UnsupportedOperationException("this inbox hides no messages");
    }

    /**
     * Shows a message hidden by {@link #hide} again on its network, with the same rules: an admin, a reason, the
     * network first, then the mark removed, an audit row and a {@code message-unhidden} event. Showing a message that
     * is not hidden asks the network again and records nothing new.
     *
     * @throws IllegalStateException when its door is not running or cannot show messages again
     * @see #hide
     */
    default MessageView unhide(Caller caller, long conversationId, long messageId, String reason) {
        throw new UnsupportedOperationException("this inbox hides no messages");
    }

    /** The longest reason for hiding or showing a message. */
    int MAX_MODERATION_REASON = 1000;

    /**
     * Sends a failed reply again: it is queued with its attempts counted afresh.
     *
     * @throws NoSuchElementException when the reply does not exist or is outside the caller's scope
     * @throws IllegalStateException  when it has not failed
     */
    ReplyView retryReply(Caller caller, long replyId);

    /**
     * Gives a routed conversation to an agent (QUEUED or ASSIGNED to ASSIGNED).
     *
     * @throws NoSuchElementException when the conversation does not exist or is outside the caller's scope
     * @throws IllegalStateException  when it is not routed yet or is resolved
     */
    ConversationSummary assign(Caller caller, long conversationId, String agent);

    /**
     * Moves a routed conversation to another department's queue (QUEUED or ASSIGNED to QUEUED, unassigned).
     *
     * @throws NoSuchElementException when the conversation does not exist or is outside the caller's scope
     * @throws IllegalStateException  when it is not routed yet, is resolved, or is in that department already
     */
    ConversationSummary transfer(Caller caller, long conversationId, String department);

    /**
     * Puts a routed conversation aside until a time: SNOOZED, out of the active queue and of assignment. It comes back
     * by itself (QUEUED, or ASSIGNED to the agent it had) when the time comes or when the customer writes, with an
     * {@code unsnoozed} event. Snoozing a snoozed conversation moves its time.
     *
     * @param until a time in the future, at most a year ahead
     * @throws NoSuchElementException   when the conversation does not exist or is outside the caller's scope
     * @throws IllegalStateException    when it is not routed yet or is resolved
     * @throws IllegalArgumentException when the time is not in the future or more than a year ahead
     */
    ConversationSummary snooze(Caller caller, long conversationId, java.time.Instant until);

    /**
     * Marks a conversation done. A customer who writes again reopens it, and it is routed again.
     *
     * @throws NoSuchElementException when the conversation does not exist or is outside the caller's scope
     * @throws IllegalStateException  when it is resolved already
     */
    ConversationSummary resolve(Caller caller, long conversationId);

    /**
     * Takes a resolved or snoozed conversation up again, without waiting for the customer to write: back in its
     * department's queue (QUEUED), or ASSIGNED when it kept an assignee; one resolved before it was routed goes back
     * to routing (NEW). A {@code REOPENED} event for a resolved one, {@code UNSNOOZED} for a snoozed one, each naming
     * the caller, and an audit row.
     *
     * @throws NoSuchElementException when the conversation does not exist or is outside the caller's scope
     * @throws IllegalStateException  when it is open already (new, queued or assigned)
     * @since 1.7
     */
    default ConversationSummary reopen(Caller caller, long conversationId) {
        throw new UnsupportedOperationException("this inbox does not reopen conversations");
    }

    /**
     * Marks the customer's messages as read by the caller, up to and including one of them. The mark only moves
     * forward; doors that can show it to the customer (the web chat's "Seen") do so from the {@code READ} event
     * written with it.
     *
     * @param upToMessageId a customer message of the conversation, or 0 for every message it has now
     * @return the conversation's read mark afterwards: the id of the latest message read, 0 when it has none
     * @throws NoSuchElementException   when the conversation does not exist or is outside the caller's scope
     * @throws IllegalArgumentException when the message is not one of the conversation's
     */
    long markRead(Caller caller, long conversationId, long upToMessageId);

    /**
     * Says that the caller is writing a reply to the conversation now: a {@code TYPING} event, which doors that can
     * show it to the customer show for a few seconds ("an agent is typing"). A console calls it while the agent types;
     * calls by the same caller for the same conversation within {@value #TYPING_EVERY_SECONDS} seconds of the last
     * one that was kept, on any node, are dropped.
     *
     * @return whether an event was written (false when it was dropped as a repeat)
     * @throws NoSuchElementException when the conversation does not exist or is outside the caller's scope
     * @throws IllegalStateException  when it is resolved
     */
    boolean typing(Caller caller, long conversationId);

    /** At most one {@link #typing} event per caller and conversation in this many seconds. */
    int TYPING_EVERY_SECONDS = 3;

    Optional<CustomerView> customer(Caller caller, long id);

    /**
     * Merges one customer into another: every identity of {@code fromCustomer}, its conversations and their authors'
     * messages move to {@code intoCustomer}, and what moved is recorded so that {@link #unmerge} puts it back. An open
     * suggestion for the pair is decided by it. Writes a {@code CUSTOMER_MERGED} event per conversation moved, and an
     * audit row.
     *
     * @throws NoSuchElementException   when a customer does not exist or is outside the caller's scope
     * @throws IllegalArgumentException when both are the same customer
     * @throws IllegalStateException    when either was merged away already
     */
    CustomerMerge merge(Caller caller, long fromCustomer, long intoCustomer);

    /**
     * Undoes a merge: every identity, conversation and message it moved goes back, and so do messages and
     * conversations that the moved identities wrote since. Writes a {@code CUSTOMER_UNMERGED} event per conversation
     * moved back, and an audit row.
     *
     * @throws NoSuchElementException when the merge does not exist, or a customer is outside the caller's scope
     * @throws IllegalStateException  when it was undone already, or the customer it merged into was merged away since
     *                                (undo that merge first)
     */
    CustomerMerge unmerge(Caller caller, long mergeId);

    /** Open suggestions to merge two customers (a visitor proved an address another customer has), newest first. */
    List<MergeSuggestion> mergeSuggestions(Caller caller);

    /**
     * Checks that every message is keyed by its author's customer (what customer views, exports and erasure rely on).
     *
     * @throws SecurityException when the caller is not an admin or a system caller
     */
    StoreCheck storeCheck(Caller caller);

    /**
     * The events committed after a position, within the caller's scope, oldest first: what live views follow.
     *
     * @param after a position from an earlier page, or 0 for the oldest the log still holds
     * @param limit at most this many events, 1..{@value ConversationQuery#MAX_LIMIT}
     */
    EventPage events(Caller caller, long after, int limit);

    /**
     * As {@link #events(Caller, long, int)}, only the events a filter selects ({@code GET /api/v1/events?types=&department=}).
     * A page may hold fewer events than asked while more follow: go on from its {@code next}.
     */
    EventPage events(Caller caller, long after, int limit, EventFilter filter);
}
