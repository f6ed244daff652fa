package org.frontdoor.api.inbox;

/** Where a reply stands in the outbox. */
public enum ReplyStatus {
    /** Stored, waiting for its door. */
    QUEUED,
    /** The last attempt failed; it is retried with backoff. The reason is in {@code lastError}. */
    RETRYING,
    /** Accepted by the channel's peer. */
    SENT,
    /**
     * Given up: its door refused it for good, or it failed as many times as its door allows. The reason is in
     * {@code lastError}; an agent may send it again ({@link Inbox#retryReply}).
     */
    FAILED
}
