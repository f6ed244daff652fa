package org.frontdoor.shell;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;

import org.frontdoor.api.Visibility;
import org.frontdoor.api.inbox.ConversationDetail;
import org.frontdoor.api.inbox.ConversationQuery;
import org.frontdoor.api.inbox.ConversationStatus;
import org.frontdoor.api.inbox.ConversationSummary;
import org.frontdoor.api.inbox.CustomerView;
import org.frontdoor.api.inbox.Inbox;
import org.frontdoor.api.inbox.MessageView;
import org.frontdoor.api.inbox.Page;
import org.frontdoor.api.inbox.ReplyStatus;
import org.frontdoor.api.inbox.ReplyView;

/** An inbox in memory that keeps the contract core keeps: filters, newest activity first, paging, reply rules. */
public class TestInbox implements Inbox {

    public static final Instant T = Instant.parse("2026-11-24T10:00:00Z");
    /** What the test channel accepts in one reply. */
    public static final int MAX_REPLY = 280;

    private final Map<Long, ConversationDetail> conversations = new LinkedHashMap<>();
    private final List<ReplyView> queued = new ArrayList<>();
    private final List<ConversationQuery> queries = new ArrayList<>();
    private long nextReplyId = 100;

    /**
     * Four conversations, by last activity: 4 Dee (api/demo, billing, ASSIGNED), 2 Bob (email/support, not routed,
     * NEW), 1 Ann (api/demo, support, QUEUED, two messages and a reply being retried), 3 Cid (api/shop, support,
     * RESOLVED).
     */
    public static TestInbox sample() {
        TestInbox inbox = new TestInbox();
        inbox.add(new ConversationSummary(1, 11, "Ann Angry", "api", "demo", "support", ConversationStatus.QUEUED, 2,
                        "My order\nnever arrived, and this preview is far too long to show", 2, T, T.plusSeconds(120)),
                List.of(new MessageView(1, "m-1", Visibility.PRIVATE, "cust-42", "Ann Angry", "Where is it?", T),
                        new MessageView(3, "m-3", Visibility.PRIVATE, "cust-42", "Ann Angry", "Hello??", T.plusSeconds(120))),
                List.of(new ReplyView(2, 1, "It ships today", "jane", ReplyStatus.RETRYING, 2, "callback answered 503",
                        T.plusSeconds(60), null, T.plusSeconds(64))));
        inbox.add(new ConversationSummary(2, 12, "Bob", "email", "support", null, ConversationStatus.NEW, 0,
                "Is anyone there?", 1, T.plusSeconds(300), T.plusSeconds(300)),
                List.of(new MessageView(4, "<a@b>", Visibility.PRIVATE, "bob@example.org", null, "Is anyone there?",
                        T.plusSeconds(300))), List.of());
        inbox.add(new ConversationSummary(3, 13, "Cid", "api", "shop", "support", ConversationStatus.RESOLVED, 1,
                "Thanks!", 1, T.plusSeconds(10), T.plusSeconds(30)),
                List.of(new MessageView(5, "m-5", Visibility.PUBLIC, "cid", "Cid", "Thanks!", T.plusSeconds(10))),
                List.of(new ReplyView(6, 3, "You're welcome", "joe", ReplyStatus.SENT, 1, null, T.plusSeconds(20),
                        T.plusSeconds(30), null)));
        inbox.add(new ConversationSummary(4, 14, "Dee", "api", "demo", "billing", ConversationStatus.ASSIGNED, 3,
                "Refund please", 1, T.plusSeconds(600), T.plusSeconds(600)),
                List.of(new MessageView(7, "m-7", Visibility.PRIVATE, "dee", "Dee", "Refund please", T.plusSeconds(600))),
                List.of());
        return inbox;
    }

    public TestInbox add(ConversationSummary summary, List<MessageView> messages, List<ReplyView> replies) {
        conversations.put(summary.id(), new ConversationDetail(summary, messages, replies));
        return this;
    }

    /** Replies queued through {@link #reply}, in order. */
    public List<ReplyView> queued() {
        return List.copyOf(queued);
    }

    /** Every query asked, in order. */
    public List<ConversationQuery> queries() {
        return List.copyOf(queries);
    }

    @Override
    public Page<ConversationSummary> conversations(ConversationQuery query) {
        queries.add(query);
        List<ConversationSummary> matching = conversations.values().stream().map(ConversationDetail::summary)
                .filter(c -> query.status() == null || c.status() == query.status())
                .filter(c -> query.department() == null || query.department().equals(c.department()))
                .filter(c -> query.channel() == null || query.channel().equals(c.channel()))
                .sorted(Comparator.comparing(ConversationSummary::lastActivityAt).reversed()
                        .thenComparing(Comparator.comparingLong(ConversationSummary::id).reversed()))
                .toList();
        List<ConversationSummary> items = matching.stream().skip(query.offset()).limit(query.limit()).toList();
        return new Page<>(items, matching.size(), query.offset(), query.limit());
    }

    @Override
    public Optional<ConversationDetail> conversation(long id) {
        return Optional.ofNullable(conversations.get(id));
    }

    @Override
    public ReplyView reply(long conversationId, String text, String agent) {
        if (!conversations.containsKey(conversationId)) {
            throw new NoSuchElementException("conversation " + conversationId);
        }
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("the reply is empty");
        }
        if (text.length() > MAX_REPLY) {
            throw new IllegalArgumentException("the reply has " + text.length() + " characters, the channel takes "
                    + MAX_REPLY);
        }
        ReplyView reply = new ReplyView(nextReplyId++, conversationId, text, agent, ReplyStatus.QUEUED, 0, null,
                T.plusSeconds(1000), null, T.plusSeconds(1000));
        queued.add(reply);
        return reply;
    }

    @Override
    public Optional<CustomerView> customer(long id) {
        List<ConversationSummary> theirs = conversations.values().stream().map(ConversationDetail::summary)
                .filter(c -> c.customerId() == id).toList();
        return theirs.isEmpty() ? Optional.empty()
                : Optional.of(new CustomerView(id, Objects.requireNonNullElse(theirs.get(0).customerName(), ""),
                        theirs.get(0).createdAt(), List.of(), theirs));
    }
}
