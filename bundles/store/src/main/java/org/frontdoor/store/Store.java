package org.frontdoor.store;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;

import org.frontdoor.api.Message;
import org.frontdoor.api.OutboundReply;
import org.frontdoor.api.inbox.ConversationDetail;
import org.frontdoor.api.inbox.ConversationQuery;
import org.frontdoor.api.inbox.ConversationSummary;
import org.frontdoor.api.inbox.CustomerView;
import org.frontdoor.api.inbox.Page;
import org.frontdoor.api.inbox.ReplyView;

/** The Frontdoor database, one transaction per call. An OSGi service of the store bundle. */
public interface Store {

    /**
     * Stores a group of inbound messages in one transaction (group commit): dedupes on channel instance +
     * external id, identifies the customer (same handle on the same channel = same customer), and opens or joins
     * a conversation. Results are in the order of the messages. Throws if the transaction fails; nothing of the
     * group is stored then.
     */
    List<Ingested> ingest(List<Message> messages);

    /** Conversations waiting to be routed, oldest first, each with its latest customer message. */
    List<PendingRoute> conversationsToRoute(int limit);

    /** Records routing decisions; a conversation routed meanwhile by another node is left alone. */
    void routed(List<RouteResult> results);

    /**
     * Stores a reply in the outbox, queued for sending now.
     *
     * @throws NoSuchElementException when the conversation does not exist
     */
    ReplyView queueReply(long conversationId, String text, String agent);

    /** Replies due for sending on these channels, oldest first. */
    List<OutboundReply> dueReplies(Collection<String> channels, Instant now, int limit);

    /** Instant of the earliest future retry on these channels, if any. */
    Optional<Instant> nextReplyDue(Collection<String> channels);

    void replySent(long replyId, Instant at);

    void replyFailed(long replyId, String reason, Instant nextAttemptAt);

    Page<ConversationSummary> conversations(ConversationQuery query);

    Optional<ConversationDetail> conversation(long id);

    Optional<CustomerView> customer(long id);

    /** Channel and instance of a conversation, for checks before a reply is queued. */
    Optional<ChannelInstance> channelOf(long conversationId);
}
