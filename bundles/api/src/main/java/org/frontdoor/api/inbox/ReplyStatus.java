package org.frontdoor.api.inbox;

/** Where a reply stands in the outbox. */
public enum ReplyStatus {
    /** Stored, waiting for its channel. */
    QUEUED,
    /** The last attempt failed; it is retried with backoff. The reason is in {@code lastError}. */
    RETRYING,
    /** Accepted by the channel's peer. */
    SENT
}
