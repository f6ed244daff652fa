package org.frontdoor.api.inbox;

import java.time.Instant;
import java.util.List;

/**
 * An internal note on a conversation: agents ask each other without transferring it. Never sent to the customer.
 *
 * @param id             note id
 * @param conversationId the conversation
 * @param author         the agent who wrote it
 * @param text           the text, as written (data, never markup)
 * @param mentions       the names it mentions with {@code @name}, in order, without repeats
 * @param createdAt      when it was written
 * @param seq            its place in the conversation among its messages, replies and notes, in commit order
 */
public record NoteView(long id, long conversationId, String author, String text, List<String> mentions,
                       Instant createdAt, long seq) {

    public NoteView {
        mentions = List.copyOf(mentions);
    }
}
