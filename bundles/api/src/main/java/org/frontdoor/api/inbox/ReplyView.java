package org.frontdoor.api.inbox;

import java.time.Instant;

/**
 * A reply and its delivery status.
 *
 * @param id             reply id
 * @param conversationId the conversation
 * @param text           the text
 * @param author         the agent
 * @param status         queued, retrying or sent
 * @param attempts       delivery attempts so far
 * @param lastError      why the last attempt failed, or null
 * @param createdAt      when the agent sent it
 * @param sentAt         when the channel accepted it, or null
 * @param nextAttemptAt  when it is tried next, or null once sent
 */
public record ReplyView(long id, long conversationId, String text, String author, ReplyStatus status, int attempts,
                        String lastError, Instant createdAt, Instant sentAt, Instant nextAttemptAt) {
}
