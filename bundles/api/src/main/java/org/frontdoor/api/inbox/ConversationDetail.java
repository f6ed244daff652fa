package org.frontdoor.api.inbox;

import java.util.List;

/**
 * A conversation with everything in it, oldest first.
 *
 * @param summary  the list row
 * @param messages customer messages
 * @param replies  agents' replies
 * @param readUpTo the latest customer message an agent has marked read ({@link Inbox#markRead}), 0 when none
 * @param notes    agents' internal notes ({@link Inbox#addNote}), never shown to the customer
 */
public record ConversationDetail(ConversationSummary summary, List<MessageView> messages, List<ReplyView> replies,
                                 long readUpTo, List<NoteView> notes) {

    public ConversationDetail {
        messages = List.copyOf(messages);
        replies = List.copyOf(replies);
        notes = notes == null ? List.of() : List.copyOf(notes);
    }

    /** A conversation without notes. */
    public ConversationDetail(ConversationSummary summary, List<MessageView> messages, List<ReplyView> replies,
                              long readUpTo) {
        this(summary, messages, replies, readUpTo, List.of());
    }

    /** A conversation no agent has read yet. */
    public ConversationDetail(ConversationSummary summary, List<MessageView> messages, List<ReplyView> replies) {
        this(summary, messages, replies, 0);
    }
}
