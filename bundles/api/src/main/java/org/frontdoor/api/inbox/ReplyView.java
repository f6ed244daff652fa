package org.frontdoor.api.inbox;

import java.time.Instant;

import org.frontdoor.api.Visibility;
import org.frontdoor.api.delivery.Delivery;

/**
 * A reply and its delivery status.
 *
 * @param id             reply id
 * @param conversationId the conversation
 * @param text           the text
 * @param visibility     public (a public answer under a post) or private
 * @param author         the agent
 * @param status         queued, retrying, sent or failed
 * @param attempts       delivery attempts so far
 * @param lastError      why the last attempt failed, in words; null once sent
 * @param createdAt      when the agent sent it
 * @param sentAt         when the channel accepted it, or null
 * @param nextAttemptAt  when it is tried next, or null once sent or failed
 * @param via            the other door and recipient it goes to, or null when it answers through the conversation's
 *                       door ({@link Inbox#replyVia})
 * @param seq            its place in the conversation among its messages and replies, in the order they were
 *                       committed (ids do not say it: nodes take ids in blocks); 0 when not known
 * @param delivery       what the door's vendor last said became of it once sent (delivered, read, failed), or null when
 *                       it said nothing (yet, or the door has no receipts)
 */
public record ReplyView(long id, long conversationId, String text, Visibility visibility, String author,
                        ReplyStatus status, int attempts, String lastError, Instant createdAt, Instant sentAt,
                        Instant nextAttemptAt, ReplyRoute via, long seq, Delivery delivery) {

    /** A reply no receipt was reported for. */
    public ReplyView(long id, long conversationId, String text, Visibility visibility, String author,
                     ReplyStatus status, int attempts, String lastError, Instant createdAt, Instant sentAt,
                     Instant nextAttemptAt, ReplyRoute via, long seq) {
        this(id, conversationId, text, visibility, author, status, attempts, lastError, createdAt, sentAt,
                nextAttemptAt, via, seq, null);
    }

    /** A reply whose place in the conversation is not known. */
    public ReplyView(long id, long conversationId, String text, Visibility visibility, String author,
                     ReplyStatus status, int attempts, String lastError, Instant createdAt, Instant sentAt,
                     Instant nextAttemptAt, ReplyRoute via) {
        this(id, conversationId, text, visibility, author, status, attempts, lastError, createdAt, sentAt,
                nextAttemptAt, via, 0);
    }

    /** A reply through the conversation's own door. */
    public ReplyView(long id, long conversationId, String text, Visibility visibility, String author,
                     ReplyStatus status, int attempts, String lastError, Instant createdAt, Instant sentAt,
                     Instant nextAttemptAt) {
        this(id, conversationId, text, visibility, author, status, attempts, lastError, createdAt, sentAt,
                nextAttemptAt, null, 0);
    }
}
