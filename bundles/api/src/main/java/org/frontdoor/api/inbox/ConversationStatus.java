package org.frontdoor.api.inbox;

/** Where a conversation stands. */
public enum ConversationStatus {
    /** Stored, not routed yet. */
    NEW,
    /** Routed, waiting in its department's queue. */
    QUEUED,
    /** Taken by an agent. */
    ASSIGNED,
    /**
     * Put aside by an agent until a time ({@link Inbox#snooze}): out of the active queue, and back (QUEUED, or ASSIGNED
     * when it has an assignee) by itself when the time comes or the customer writes.
     */
    SNOOZED,
    /** Done. A new message from the customer opens it again. */
    RESOLVED
}
