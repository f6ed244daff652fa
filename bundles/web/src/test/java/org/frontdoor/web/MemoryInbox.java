package org.frontdoor.web;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;

import org.frontdoor.api.Visibility;
import org.frontdoor.api.inbox.ConversationDetail;
import org.frontdoor.api.inbox.ConversationQuery;
import org.frontdoor.api.inbox.ConversationStatus;
import org.frontdoor.api.inbox.ConversationSummary;
import org.frontdoor.api.inbox.CustomerView;
import org.frontdoor.api.inbox.IdentityView;
import org.frontdoor.api.inbox.Inbox;
import org.frontdoor.api.inbox.MessageView;
import org.frontdoor.api.inbox.Page;
import org.frontdoor.api.inbox.ReplyStatus;
import org.frontdoor.api.inbox.ReplyView;

/** An inbox over a few conversations in memory, following the Inbox contract. */
class MemoryInbox implements Inbox {

    final Map<Long, ConversationSummary> conversations = new LinkedHashMap<>();
    final Map<Long, List<ReplyView>> replies = new LinkedHashMap<>();
    ConversationQuery lastQuery;

    MemoryInbox add(long id, String department, String channel, ConversationStatus status, Instant lastActivity) {
        conversations.put(id, new ConversationSummary(id, id * 10, "Customer " + id, channel, "demo", department, status,
                0, "Message of " + id, 1, lastActivity.minusSeconds(60), lastActivity));
        replies.put(id, new ArrayList<>());
        return this;
    }

    @Override
    public Page<ConversationSummary> conversations(ConversationQuery query) {
        lastQuery = query;
        List<ConversationSummary> matching = conversations.values().stream()
                .filter(c -> query.status() == null || c.status() == query.status())
                .filter(c -> query.department() == null || query.department().equals(c.department()))
                .filter(c -> query.channel() == null || query.channel().equals(c.channel()))
                .sorted(Comparator.comparing(ConversationSummary::lastActivityAt).reversed())
                .toList();
        return new Page<>(matching.stream().skip(query.offset()).limit(query.limit()).toList(), matching.size(),
                query.offset(), query.limit());
    }

    @Override
    public Optional<ConversationDetail> conversation(long id) {
        ConversationSummary s = conversations.get(id);
        if (s == null) {
            return Optional.empty();
        }
        return Optional.of(new ConversationDetail(s, List.of(new MessageView(id * 100, "ext-" + id, Visibility.PRIVATE,
                "handle-" + id, s.customerName(), s.preview(), s.createdAt())), replies.get(id)));
    }

    @Override
    public ReplyView reply(long conversationId, String text, String agent) {
        if (!conversations.containsKey(conversationId)) {
            throw new NoSuchElementException("no conversation " + conversationId);
        }
        if (text.length() > 280) {
            throw new IllegalArgumentException("the reply is " + text.length() + " characters long; the channel takes 280");
        }
        ReplyView reply = new ReplyView(replies.values().stream().mapToLong(List::size).sum() + 1, conversationId, text,
                agent, ReplyStatus.QUEUED, 0, null, Instant.now(), null, Instant.now());
        replies.get(conversationId).add(reply);
        return reply;
    }

    @Override
    public Optional<CustomerView> customer(long id) {
        return conversations.values().stream().filter(c -> c.customerId() == id).findFirst()
                .map(c -> new CustomerView(id, c.customerName(), c.createdAt(),
                        List.of(new IdentityView(c.channel(), "handle-" + c.id(), c.customerName(), null, null)), List.of(c)));
    }
}
