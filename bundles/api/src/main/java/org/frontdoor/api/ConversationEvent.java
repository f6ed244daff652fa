package org.frontdoor.api;

import java.time.Instant;
import java.util.Locale;
import java.util.Objects;

/**
 * Something that happened to a conversation, read from core's event log: written in the same transaction as the
 * change it describes, at a {@link #position()} that only grows in the order the changes were committed. Delivered
 * to {@code frontdoor:events} consumers and to the REST API's event feed.
 *
 * <h2>Order and gaps</h2>
 * Positions are given out by one counter that every transaction writing events takes just before it commits, so:
 * <ul>
 * <li>positions grow in commit order, across every writer and every node sharing the database;</li>
 * <li>the log has no gaps: a transaction that rolls back gives its positions back with everything else it did;</li>
 * <li>what a reader sees is a prefix of the log: an event it has not seen yet can only come after those it has.</li>
 * </ul>
 * Within one transaction events keep the order of what happened ({@code created} then {@code message-added}). The one
 * exception to "no gaps" for a consumer is retention: events older than core's {@code eventRetentionMaxHours} are
 * deleted even when a consumer has not read them, and the first event after such a hole carries the header
 * {@link Frontdoor#HEADER_EVENTS_MISSED}.
 *
 * <h2>Delivery and idempotency</h2>
 * A {@code frontdoor:events?consumer=NAME} route gets the events one at a time, in position order, <em>at least
 * once</em>: after a crash or a takeover by another node the last few may come again. A consumer is idempotent on the
 * position: remember the highest one handled (header {@link Frontdoor#HEADER_EVENT_POSITION}, or {@link #position()})
 * and pass over what is not above it; a peer that keeps state also refuses a write carrying a lease generation lower
 * than the highest it has seen ({@link Frontdoor#HEADER_LEASE_GENERATION}). An exception thrown by the route delivers
 * the same event again after 1 s, 2 s, 4 s, ... up to a minute; the events before it are never delivered again.
 * Each consumer runs on a thread of its own: a route never sees two events at once, and a slow one delays only
 * itself.
 *
 * <h2>Which fields are set</h2>
 * Every event has {@code position}, {@code type}, {@code conversationId}, {@code channel}, {@code instance},
 * {@code actor} ({@code system}, an agent's name, or {@code customer:<id>}) and {@code at}. The others depend on the
 * type, as each {@link Type} says; {@code docs/events.md} has the full table. {@code detail} is words for people and
 * may change between versions: a program reads the fields, never the detail. {@code preview} and
 * {@code customerName} are customer text: data, never markup, never logged raw.
 *
 * <p>A record: immutable and safe to share between threads. Events are read again from the database on every
 * delivery, so {@code customerId} and {@code customerName} are as of reading (a customer merge moves them).
 *
 * @param position       the event's place in the log: each event's is larger than every event committed before it
 * @param type           what happened
 * @param conversationId the conversation
 * @param channel        the conversation's channel
 * @param instance       the conversation's channel instance
 * @param department     the conversation's department when the event was written, null before routing
 * @param itemId         the message or reply the event is about, 0 when none
 * @param actor          who did it: an agent's name, or {@code system}
 * @param at             when it was committed
 * @param detail         a short detail in words (the rule that routed, the agent assigned, why a reply failed), or null;
 *                       for people: what a program needs is in the fields below
 * @param previousDepartment for {@code transferred}: the department it left; null otherwise
 * @param reopened       for {@code routed}: true when a customer's message reopened a resolved conversation and this is
 *                       its routing again, false for its first routing; false for the other types
 * @param customerId     the customer the conversation belongs to (as of reading: a merge moves it), 0 when unknown
 * @param customerName   that customer's name as shown to agents, or null
 * @param preview        for {@code message-added}: the start of the message; otherwise the start of the conversation's
 *                       latest customer message; at most {@value #PREVIEW_LENGTH} characters, customer text (data, never
 *                       markup), or null
 */
public record ConversationEvent(long position, Type type, long conversationId, String channel, String instance,
                                String department, long itemId, String actor, Instant at, String detail,
                                String previousDepartment, boolean reopened, long customerId, String customerName,
                                String preview) {

    /** The longest {@link #preview()}. */
    public static final int PREVIEW_LENGTH = 200;

    /** Event types; {@link #id()} is the value used in {@code frontdoor:events?types=} and the REST API. */
    public enum Type {
        /**
         * A customer's first message opened the conversation: {@code department} is null (not routed yet),
         * {@code itemId} the message, {@code actor} {@code customer:<id>}. A {@code message-added} for the same message
         * follows in the same transaction.
         */
        CREATED,
        /**
         * A customer message was added (also the first one, after CREATED); {@code itemId} is the message,
         * {@code preview} its start, {@code actor} {@code customer:<id>} of its author.
         */
        MESSAGE_ADDED,
        /**
         * Routing put it in a department's queue: {@code department} is that one, {@code actor} {@code system},
         * {@code reopened} true when this routes a conversation a customer reopened (false for its first routing); the
         * detail names the rule and priority. A ticketing integration opens a ticket here.
         */
        ROUTED,
        /** An agent took it, or was given it; the detail names the agent. */
        ASSIGNED,
        /**
         * It moved to another department's queue, unassigned: {@code department} is the new one,
         * {@code previousDepartment} the one it left (a {@code department=} filter matches either).
         */
        TRANSFERRED,
        /** An agent queued a reply; {@code itemId} is the reply. */
        REPLIED,
        /** The channel delivered a reply; {@code itemId} is the reply. */
        REPLY_SENT,
        /** A reply failed for good (refused by its door, or out of attempts); the detail says why. */
        REPLY_FAILED,
        /** An agent (or the system) marked it done; {@code actor} says who. */
        RESOLVED,
        /**
         * A customer wrote on it after it was resolved: it is routed again. Or an agent reopened it ({@code
         * Inbox.reopen}, {@code actor} the agent): back in its department's queue or with its assignee, as the detail
         * says.
         */
        REOPENED,
        /** An agent read the customer's messages up to {@code itemId} (the conversation's read mark moved). */
        READ,
        /**
         * An agent is writing a reply now; nothing changed. Doors that can show it to the customer do so for a few
         * seconds. At most one per agent and conversation every {@link org.frontdoor.api.inbox.Inbox#TYPING_EVERY_SECONDS}
         * seconds.
         */
        TYPING,
        /**
         * An agent merged the customer of this conversation into another customer ({@code Inbox.merge}): written for
         * each conversation that moved; {@code itemId} is the merge, the detail names both customers.
         */
        CUSTOMER_MERGED,
        /** An agent undid a merge ({@code Inbox.unmerge}): written for each conversation that moved back. */
        CUSTOMER_UNMERGED,
        /**
         * A breached SLA timer took a step of its department's escalation chain: the detail says which (the
         * supervisors told, a transfer, a callback task).
         */
        ESCALATED,
        /** An SLA timer ran out: the detail names the kind (first-response or resolution) and when it was due. */
        SLA_BREACHED,
        /** Reserved for the listening feature: not written yet. */
        MENTION_SPIKE,
        /**
         * An agent wrote an internal note ({@code Inbox.addNote}); never sent to the customer. {@code itemId} is the
         * note, the detail names the agents it mentions.
         */
        NOTE_ADDED,
        /**
         * An SLA timer reached its department's warning point ({@code warnAtPercent} of its target): the detail names
         * the kind and when it is due.
         */
        SLA_WARNING,
        /**
         * Its assignee gave it back, unanswered (went away or offline, or over capacity): it is in its department's
         * queue again. The detail names the agent and why.
         */
        UNASSIGNED,
        /** An agent snoozed it: out of the active queue until the time in the detail. */
        SNOOZED,
        /** A snooze ended: its time came, or the customer wrote. Back in the queue, or with its assignee. */
        UNSNOOZED,
        /**
         * An admin hid a customer's public message on its network ({@code Inbox.hide}); it stays in Frontdoor, marked
         * hidden. {@code itemId} is the message, {@code actor} the admin, the detail the reason given.
         */
        MESSAGE_HIDDEN,
        /** An admin showed a hidden message again on its network ({@code Inbox.unhide}); as {@link #MESSAGE_HIDDEN}. */
        MESSAGE_UNHIDDEN,
        /**
         * The door's vendor reported a sent reply delivered to the customer ({@code org.frontdoor.api.delivery});
         * {@code itemId} is the reply.
         */
        REPLY_DELIVERED,
        /** The door's vendor reported a sent reply read by the customer; {@code itemId} is the reply. */
        REPLY_READ,
        /**
         * The door's vendor reported a reply it had accepted as not delivered; {@code itemId} is the reply, the detail
         * the vendor's reason.
         */
        REPLY_DELIVERY_FAILED,
        /**
         * A customer's consent changed ({@code org.frontdoor.api.consent.Consents}): they opted out (STOP) or in again
         * (START), or an admin recorded it. Written on the identity's latest conversation on that channel (none when it
         * has none yet); {@code channel} and {@code instance} are that conversation's, {@code itemId} the keyword
         * message or 0, {@code actor} {@code system} or the admin, the detail {@code opted-out}/{@code opted-in}, the
         * identity and why.
         */
        CONSENT_CHANGED,
        /**
         * An agent placed a phone call to the customer from a callback task ({@code Callbacks.call}); the provider
         * accepted it. {@code itemId} is the callback task, {@code actor} the agent, the detail names the door and the
         * provider's call id.
         */
        CALL_PLACED;

        /** The id used in {@code frontdoor:events?types=}, the REST API and the console: {@code message-added}. */
        public String id() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        /** The type of an id such as {@code message-added}, in any case. */
        public static Type fromId(String id) {
            return valueOf(id.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
        }
    }

    public ConversationEvent {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(actor, "actor");
        if (preview != null && preview.length() > PREVIEW_LENGTH) {
            preview = preview.substring(0, PREVIEW_LENGTH);
        }
    }

    /** An event without the fields for integrations (previous department, reopened, customer, preview). */
    public ConversationEvent(long position, Type type, long conversationId, String channel, String instance,
                             String department, long itemId, String actor, Instant at, String detail) {
        this(position, type, conversationId, channel, instance, department, itemId, actor, at, detail, null, false, 0,
                null, null);
    }
}
