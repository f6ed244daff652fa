package org.frontdoor.api.inbox;

/** Where a conversation stands. */
public enum ConversationStatus {
    /** Stored, not routed yet. */
    NEW,
    /** Routed, waiting in its department's queue. */
    QUEUED,
    /** Taken by an agent. */
    ASSIGNED,
    /** Done. A new message from the customer opens it again. */
    RESOLVED
}
