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

import org.frontdoor.api.Annotation;
import org.frontdoor.api.Caller;
import org.frontdoor.api.ConversationEvent;
import org.frontdoor.api.Visibility;
import org.frontdoor.api.inbox.ConversationDetail;
import org.frontdoor.api.inbox.ConversationQuery;
import org.frontdoor.api.inbox.ConversationStatus;
import org.frontdoor.api.inbox.ConversationSummary;
import org.frontdoor.api.inbox.ConversationWhy;
import org.frontdoor.api.inbox.CustomerView;
import org.frontdoor.api.inbox.EventPage;
import org.frontdoor.api.inbox.Inbox;
import org.frontdoor.api.inbox.MessageView;
import org.frontdoor.api.inbox.Page;
import org.frontdoor.api.inbox.ReplyStatus;
import org.frontdoor.api.inbox.ReplyView;

/**
 * An inbox in memory that keeps the contract core keeps: filters, newest activity first, paging, reply rules, the
 * caller's scope (what is outside it is absent), refusals of changes that do not apply. It records every caller.
 */
public class TestInbox implements Inbox {

    public static final Instant T = Instant.parse("2026-11-24T10:00:00Z");
    /** What the test channel accepts in one reply. */
    public static final int MAX_REPLY = 280;

    final Map<Long, ConversationDetail> conversations = new LinkedHashMap<>();
    private final List<ReplyView> queued = new ArrayList<>();
    private final List<ConversationQuery> queries = new ArrayList<>();
    private final List<Caller> callers = new ArrayList<>();
    private final List<ConversationEvent> log = new ArrayList<>();
    private long nextReplyId = 100;

    /**
     * Four conversations, by last activity: 4 Dee (api/demo, billing, ASSIGNED to joe, a reply that FAILED), 2 Bob
     * (email/support, not routed, NEW), 1 Ann (api/demo, support, QUEUED, thread order-1001, two messages, the first
     * annotated, and a reply being retried), 3 Cid (api/shop, support, RESOLVED, a public thread Eli wrote in too).
     * The event log holds four events, one per department and one before routing.
     */
    public static TestInbox sample() {
        TestInbox inbox = new TestInbox();
        inbox.add(new ConversationSummary(1, 11, "Ann Angry", "api", "demo", "order-1001", "support",
                        ConversationStatus.QUEUED, null, 2,
                        "My order\nnever arrived, and this preview is far too long to show", 2, T, T.plusSeconds(120)),
                List.of(new MessageView(1, "m-1", Visibility.PRIVATE, 11, "cust-42", "Ann Angry", "Where is it?", T,
                                List.of(new Annotation("sentiment", "negative", 0.92),
                                        new Annotation("language", "en", 1))),
                        new MessageView(3, "m-3", Visibility.PRIVATE, 11, "cust-42", "Ann Angry", "Hello??",
                                T.plusSeconds(120), List.of())),
                List.of(new ReplyView(2, 1, "It ships today", Visibility.PRIVATE, "jane", ReplyStatus.RETRYING, 2,
                        "callback answered 503", T.plusSeconds(60), null, T.plusSeconds(64))));
        inbox.add(new ConversationSummary(2, 12, "Bob", "email", "support", null, null, ConversationStatus.NEW, null, 0,
                "Is anyone there?", 1, T.plusSeconds(300), T.plusSeconds(300)),
                List.of(new MessageView(4, "<a@b>", Visibility.PRIVATE, 12, "bob@example.org", null, "Is anyone there?",
                        T.plusSeconds(300), List.of())), List.of());
        inbox.add(new ConversationSummary(3, 13, "Cid", "api", "shop", "post-77", "support", ConversationStatus.RESOLVED,
                null, 1, "Thanks!", 2, T.plusSeconds(10), T.plusSeconds(30)),
                List.of(new MessageView(5, "m-5", Visibility.PUBLIC, 13, "cid", "Cid", "Thanks!", T.plusSeconds(10),
                                List.of()),
                        new MessageView(9, "m-9", Visibility.PUBLIC, 15, "eli", "Eli", "Me too!", T.plusSeconds(15),
                                List.of())),
                List.of(new ReplyView(6, 3, "You're welcome", Visibility.PUBLIC, "joe", ReplyStatus.SENT, 1, null,
                        T.plusSeconds(20), T.plusSeconds(30), null)));
        inbox.add(new ConversationSummary(4, 14, "Dee", "api", "demo", null, "billing", ConversationStatus.ASSIGNED,
                "joe", 3, "Refund please", 1, T.plusSeconds(600), T.plusSeconds(600)),
                List.of(new MessageView(7, "m-7", Visibility.PRIVATE, 14, "dee", "Dee", "Refund please",
                        T.plusSeconds(600), List.of())),
                List.of(new ReplyView(8, 4, "Done", Visibility.PRIVATE, "joe", ReplyStatus.FAILED, 5,
                        "the customer blocked this account", T.plusSeconds(610), null, null)));
        inbox.event(ConversationEvent.Type.CREATED, 2, "system", null, T.plusSeconds(300))
                .event(ConversationEvent.Type.ROUTED, 1, "system", "rule default", T.plusSeconds(301))
                .event(ConversationEvent.Type.ASSIGNED, 4, "jane", "joe", T.plusSeconds(602))
                .event(ConversationEvent.Type.REPLY_FAILED, 4, "system", "the customer\u001b[2J blocked\nthis account",
                        T.plusSeconds(611));
        return inbox;
    }

    public TestInbox add(ConversationSummary summary, List<MessageView> messages, List<ReplyView> replies) {
        conversations.put(summary.id(), new ConversationDetail(summary, messages, replies));
        return this;
    }

    /** Appends an event about a conversation, at the next position, with the conversation's department now. */
    public TestInbox event(ConversationEvent.Type type, long conversationId, String actor, String detail, Instant at) {
        ConversationSummary c = conversations.get(conversationId).summary();
        log.add(new ConversationEvent(log.size() + 1, type, conversationId, c.channel(), c.instance(), c.department(),
                0, actor, at, detail));
        return this;
    }

    /** A conversation as it stands, read without a caller: what a test checks after a command. */
    public ConversationDetail detail(long id) {
        return conversations.get(id);
    }

    /** Replies queued through {@link #reply}, in order. */
    public List<ReplyView> queued() {
        return List.copyOf(queued);
    }

    /** Every query asked, in order. */
    public List<ConversationQuery> queries() {
        return List.copyOf(queries);
    }

    /** Every caller of every call, in order. */
    public List<Caller> callers() {
        return List.copyOf(callers);
    }

    @Override
    public Optional<ConversationWhy> why(Caller caller, long id) {
        try {
            ConversationDetail d = visible(caller, id);
            java.util.List<ConversationWhy.Found> found = new java.util.ArrayList<>();
            d.messages().forEach(m -> m.annotations().forEach(a -> found.add(new ConversationWhy
                    .Found(m.id(), a.name(), a.value(), a.confidence(), "org.frontdoor.classifier." + a.name()))));
            return Optional.of(new ConversationWhy(d.summary(), "refunds",
                    "one of its keywords (refund) in the latest message", found, java.util.List.of(
                    new ConversationWhy.Step(T, "system", "routed",
                            "to billing by rule refunds, priority 2"),
                    new ConversationWhy.Step(T.plusSeconds(30), "jane", "transferred",
                            "from billing to " + d.summary().department()))));
        } catch (NoSuchElementException e) {
            return Optional.empty();
        }
    }

    /** The conversation, when it exists within the caller's scope. */
    private ConversationDetail visible(Caller caller, long id) {
        callers.add(caller);
        ConversationDetail d = conversations.get(id);
        if (d == null || !caller.scope().covers(d.summary().department())) {
            throw new NoSuchElementException("conversation " + id);
        }
        return d;
    }

    /** Counted from the rows in memory as the store counts them: open ones per view, every status. */
    @Override
    public org.frontdoor.api.inbox.InboxCounts counts(Caller caller) {
        return org.frontdoor.core.InboxViewsInMemory.counts(caller, conversations.values().stream().map(ConversationDetail::summary).toList());
    }

    /** No SLA timers in memory: every row in scope is ok. */
    @Override
    public Map<Long, org.frontdoor.api.inbox.SlaState> sla(Caller caller, java.util.Collection<Long> ids) {
        return org.frontdoor.core.InboxViewsInMemory.sla(caller, conversations.values().stream().map(ConversationDetail::summary).toList(), ids);
    }

    @Override
    public Page<ConversationSummary> conversations(Caller caller, ConversationQuery query) {
        callers.add(caller);
        queries.add(query);
        List<ConversationSummary> matching = conversations.values().stream().map(ConversationDetail::summary)
                .filter(c -> caller.scope().covers(c.department()))
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
    public Optional<ConversationDetail> conversation(Caller caller, long id) {
        try {
            return Optional.of(visible(caller, id));
        } catch (NoSuchElementException e) {
            return Optional.empty();
        }
    }

    @Override
    public ReplyView reply(Caller caller, long conversationId, String text, Visibility visibility) {
        ConversationDetail d = visible(caller, conversationId);
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("the reply is empty");
        }
        if (text.length() > MAX_REPLY) {
            throw new IllegalArgumentException("the reply has " + text.length() + " characters, the channel takes "
                    + MAX_REPLY);
        }
        // as core: the customer's latest message decides when the agent does not
        Visibility as = visibility != null ? visibility : d.messages().get(d.messages().size() - 1).visibility();
        ReplyView reply = new ReplyView(nextReplyId++, conversationId, text, as, caller.name(), ReplyStatus.QUEUED, 0,
                null, T.plusSeconds(1000), null, T.plusSeconds(1000));
        queued.add(reply);
        return reply;
    }

    private long nextNoteId = 500;

    @Override
    public org.frontdoor.api.inbox.NoteView addNote(Caller caller, long conversationId, String text) {
        callers.add(caller);
        ConversationDetail d = visible(caller, conversationId);
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("note text is empty");
        }
        List<String> mentions = java.util.regex.Pattern.compile("@([\\w.-]+)").matcher(text).results()
                .map(r -> r.group(1)).distinct().toList();
        var note = new org.frontdoor.api.inbox.NoteView(nextNoteId++, conversationId, caller.name(), text, mentions,
                T.plusSeconds(2000), 0);
        List<org.frontdoor.api.inbox.NoteView> notes = new ArrayList<>(d.notes());
        notes.add(note);
        conversations.put(conversationId, new ConversationDetail(d.summary(), d.messages(), d.replies(), d.readUpTo(),
                notes));
        return note;
    }

    @Override
    public ReplyView retryReply(Caller caller, long replyId) {
        callers.add(caller);
        for (ConversationDetail d : conversations.values()) {
            for (ReplyView r : d.replies()) {
                if (r.id() == replyId && caller.scope().covers(d.summary().department())) {
                    if (r.status() != ReplyStatus.FAILED) {
                        throw new IllegalStateException("it has not failed, it is " + r.status());
                    }
                    ReplyView again = new ReplyView(r.id(), r.conversationId(), r.text(), r.visibility(), r.author(),
                            ReplyStatus.QUEUED, 0, null, r.createdAt(), null, T.plusSeconds(1000));
                    List<ReplyView> replies = new ArrayList<>(d.replies());
                    replies.set(replies.indexOf(r), again);
                    add(d.summary(), d.messages(), replies);
                    return again;
                }
            }
        }
        throw new NoSuchElementException("reply " + replyId);
    }

    @Override
    public ConversationSummary assign(Caller caller, long conversationId, String agent) {
        ConversationSummary s = routed(visible(caller, conversationId).summary());
        return put(s, s.department(), ConversationStatus.ASSIGNED, agent);
    }

    /** Snoozed: the time is checked as the store checks it; only the status shows it here. */
    @Override
    public ConversationSummary snooze(Caller caller, long conversationId, java.time.Instant until) {
        ConversationSummary s = routed(visible(caller, conversationId).summary());
        if (!until.isAfter(java.time.Instant.now())) {
            throw new IllegalArgumentException("snooze until a time in the future, not " + until);
        }
        lastSnoozeUntil = until;
        return put(s, s.department(), ConversationStatus.SNOOZED, s.assignee());
    }

    /** The time of the last snooze. */
    java.time.Instant lastSnoozeUntil;

    @Override
    public ConversationSummary transfer(Caller caller, long conversationId, String department) {
        ConversationSummary s = routed(visible(caller, conversationId).summary());
        if (department.equals(s.department())) {
            throw new IllegalStateException("it is in " + department + " already");
        }
        return put(s, department, ConversationStatus.QUEUED, null);
    }

    @Override
    public long markRead(Caller caller, long conversationId, long upToMessageId) {
        throw new UnsupportedOperationException("the shell does not mark conversations read");
    }

    @Override
    public boolean typing(Caller caller, long conversationId) {
        throw new UnsupportedOperationException("the shell does not type");
    }

    @Override
    public ConversationSummary resolve(Caller caller, long conversationId) {
        ConversationSummary s = visible(caller, conversationId).summary();
        if (s.status() == ConversationStatus.RESOLVED) {
            throw new IllegalStateException("it is resolved already");
        }
        return put(s, s.department(), ConversationStatus.RESOLVED, s.assignee());
    }

    @Override
    public ConversationSummary reopen(Caller caller, long conversationId) {
        ConversationSummary s = visible(caller, conversationId).summary();
        if (s.status() != ConversationStatus.RESOLVED && s.status() != ConversationStatus.SNOOZED) {
            throw new IllegalStateException("it is open already");
        }
        return put(s, s.department(), s.assignee() == null ? ConversationStatus.QUEUED : ConversationStatus.ASSIGNED,
                s.assignee());
    }

    private static ConversationSummary routed(ConversationSummary s) {
        if (s.status() == ConversationStatus.NEW) {
            throw new IllegalStateException("it is not routed yet");
        }
        if (s.status() == ConversationStatus.RESOLVED) {
            throw new IllegalStateException("it is resolved");
        }
        return s;
    }

    private ConversationSummary put(ConversationSummary s, String department, ConversationStatus status,
                                    String assignee) {
        ConversationSummary changed = new ConversationSummary(s.id(), s.customerId(), s.customerName(), s.channel(),
                s.instance(), s.threadRef(), department, status, assignee, s.priority(), s.preview(), s.messageCount(),
                s.createdAt(), s.lastActivityAt());
        ConversationDetail d = conversations.get(s.id());
        add(changed, d.messages(), d.replies());
        return changed;
    }

    @Override
    public Optional<CustomerView> customer(Caller caller, long id) {
        callers.add(caller);
        List<ConversationSummary> theirs = conversations.values().stream().map(ConversationDetail::summary)
                .filter(c -> c.customerId() == id && caller.scope().covers(c.department())).toList();
        return theirs.isEmpty() ? Optional.empty()
                : Optional.of(new CustomerView(id, Objects.requireNonNullElse(theirs.get(0).customerName(), ""),
                        theirs.get(0).createdAt(), List.of(), theirs));
    }

    private final List<org.frontdoor.api.inbox.CustomerMerge> merges = new ArrayList<>();
    private final List<org.frontdoor.api.inbox.MergeSuggestion> suggestions = new ArrayList<>();
    private org.frontdoor.api.inbox.StoreCheck check = new org.frontdoor.api.inbox.StoreCheck(0, 0, List.of());

    public TestInbox suggestion(org.frontdoor.api.inbox.MergeSuggestion suggestion) {
        suggestions.add(suggestion);
        return this;
    }

    public TestInbox check(org.frontdoor.api.inbox.StoreCheck check) {
        this.check = check;
        return this;
    }

    @Override
    public org.frontdoor.api.inbox.CustomerMerge merge(Caller caller, long fromCustomer, long intoCustomer) {
        callers.add(caller);
        if (customer(caller, fromCustomer).isEmpty() || customer(caller, intoCustomer).isEmpty()) {
            throw new java.util.NoSuchElementException("no customer");
        }
        if (merges.stream().anyMatch(m -> m.fromCustomer() == fromCustomer && m.unmergedAt() == null)) {
            throw new IllegalStateException("customer " + fromCustomer + " was merged away already (merge 1)");
        }
        org.frontdoor.api.inbox.CustomerMerge merge = new org.frontdoor.api.inbox.CustomerMerge(merges.size() + 1,
                fromCustomer, intoCustomer, null, caller.name(), T, null, null, 1, 2, 5);
        merges.add(merge);
        return merge;
    }

    @Override
    public org.frontdoor.api.inbox.CustomerMerge unmerge(Caller caller, long mergeId) {
        callers.add(caller);
        if (mergeId < 1 || mergeId > merges.size()) {
            throw new java.util.NoSuchElementException("no merge");
        }
        org.frontdoor.api.inbox.CustomerMerge m = merges.get((int) mergeId - 1);
        if (m.unmergedAt() != null) {
            throw new IllegalStateException("merge " + mergeId + " was undone already");
        }
        org.frontdoor.api.inbox.CustomerMerge undone = new org.frontdoor.api.inbox.CustomerMerge(m.id(),
                m.fromCustomer(), m.intoCustomer(), m.reason(), m.mergedBy(), m.mergedAt(), caller.name(), T, 1, 2, 5);
        merges.set((int) mergeId - 1, undone);
        return undone;
    }

    @Override
    public List<org.frontdoor.api.inbox.MergeSuggestion> mergeSuggestions(Caller caller) {
        callers.add(caller);
        return List.copyOf(suggestions);
    }

    @Override
    public org.frontdoor.api.inbox.StoreCheck storeCheck(Caller caller) {
        callers.add(caller);
        if (!caller.hasRole("admin")) {
            throw new SecurityException("checking the store is for admins");
        }
        return check;
    }

    @Override
    public EventPage events(Caller caller, long after, int limit) {
        return events(caller, after, limit, org.frontdoor.api.EventFilter.ALL);
    }

    @Override
    public EventPage events(Caller caller, long after, int limit, org.frontdoor.api.EventFilter filter) {
        callers.add(caller);
        List<ConversationEvent> page = new ArrayList<>();
        long next = after;
        for (ConversationEvent e : log) {
            if (e.position() <= after) {
                continue;
            }
            if (page.size() == limit) {
                break;
            }
            next = e.position(); // passed over when outside the scope, never read again
            if (caller.scope().covers(e.department()) && filter.matches(e)) {
                page.add(e);
            }
        }
        return new EventPage(page, next);
    }

    @Override
    public ReplyView replyVia(Caller caller, long conversationId, String text, org.frontdoor.api.inbox.ReplyRoute via) {
        throw new UnsupportedOperationException("not used by these tests");
    }
}
