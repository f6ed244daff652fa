package org.frontdoor.api.inbox;

import java.util.List;

/**
 * A conversation with everything in it, oldest first.
 *
 * @param summary  the list row
 * @param messages customer messages
 * @param replies  agents' replies
 */
public record ConversationDetail(ConversationSummary summary, List<MessageView> messages, List<ReplyView> replies) {

    public ConversationDetail {
        messages = List.copyOf(messages);
        replies = List.copyOf(replies);
    }
}
