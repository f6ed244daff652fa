package org.frontdoor.api.inbox;

import java.util.NoSuchElementException;
import java.util.Optional;

/** The agents' inbox: an OSGi service published by core. */
public interface Inbox {

    Page<ConversationSummary> conversations(ConversationQuery query);

    Optional<ConversationDetail> conversation(long id);

    /**
     * Queues a reply: it is stored before this returns, then delivered by the channel's outbound route.
     *
     * @throws NoSuchElementException   when the conversation does not exist
     * @throws IllegalArgumentException when the text is empty or does not fit the channel
     */
    ReplyView reply(long conversationId, String text, String agent);

    Optional<CustomerView> customer(long id);
}
