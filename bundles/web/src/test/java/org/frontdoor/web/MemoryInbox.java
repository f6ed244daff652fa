package org.frontdoor.web;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;

import org.frontdoor.api.Annotation;
import org.frontdoor.api.Attachment;
import org.frontdoor.api.Caller;
import org.frontdoor.api.ConversationEvent;
import org.frontdoor.api.Visibility;
import org.frontdoor.api.inbox.ConversationDetail;
import org.frontdoor.api.inbox.ConversationQuery;
import org.frontdoor.api.inbox.ConversationStatus;
import org.frontdoor.api.inbox.ConversationSummary;
import org.frontdoor.api.inbox.ConversationWhy;
import org.frontdoor.api.inbox.CustomerMerge;
import org.frontdoor.api.inbox.CustomerView;
import org.frontdoor.api.inbox.EventPage;
import org.frontdoor.api.inbox.IdentityView;
import org.frontdoor.api.inbox.Inbox;
import org.frontdoor.api.inbox.MergeSuggestion;
import org.frontdoor.api.inbox.MessageView;
import org.frontdoor.api.inbox.Page;
import org.frontdoor.api.inbox.ReplyStatus;
import org.frontdoor.api.inbox.ReplyView;
import org.frontdoor.api.inbox.StoreCheck;

/**
 * An inbox over a few conversations in memory, following the Inbox contract: it records every caller, and what is
 * outside a caller's scope is absent.
 */
class MemoryInbox implements Inbox {

    /** What every conversation's message carries: a page the customer sent as HTML, and a video its door refused. */
    static final List<Attachment> ATTACHMENTS = List.of(
            new Attachment("page \"1\".html", "text/html", 11, "sha256:" + "ab".repeat(32)),
            new Attachment("clip.mp4", "video/mp4", 90_000_000, null));

    final Map<Long, ConversationSummary> conversations = new LinkedHashMap<>();
    final Map<Long, List<ReplyView>> replies = new LinkedHashMap<>();
    final List<ConversationEvent> log = new ArrayList<>();
    final List<Caller> callers = new ArrayList<>();
    final Map<Long, Long> readMarks = new LinkedHashMap<>();
    final List<Long> typed = new ArrayList<>();
    ConversationQuery lastQuery;

    MemoryInbox add(long id, String department, String channel, ConversationStatus status, Instant lastActivity) {
        conversations.put(id, new ConversationSummary(id, id * 10, "Customer " + id, channel, "demo", "thread-" + id,
                department, status, null, 0, "Message of " + id, 1, lastActivity.minusSeconds(60), lastActivity));
        replies.put(id, new ArrayList<>());
        return this;
    }

    /** Adds a reply to a conversation as core would have stored it. */
    MemoryInbox addReply(long conversationId, long replyId, ReplyStatus status, String lastError) {
        replies.get(conversationId).add(new ReplyView(replyId, conversationId, "Reply " + replyId, Visibility.PRIVATE,
                "joe", status, 3, lastError, Instant.EPOCH, null, null));
        return this;
    }

    /** Adds a sent reply its door's vendor reported on. */
    MemoryInbox addDeliveredReply(long conversationId, long replyId, org.frontdoor.api.delivery.Delivery delivery) {
        replies.get(conversationId).add(new ReplyView(replyId, conversationId, "Reply " + replyId, Visibility.PRIVATE,
                "joe", ReplyStatus.SENT, 1, null, Instant.EPOCH, Instant.EPOCH, null, null, 0, delivery));
        return this;
    }

    /** Appends an event of a conversation to the log, at the next position. */
    MemoryInbox event(ConversationEvent.Type type, long conversationId, String actor, String detail) {
        ConversationSummary c = conversations.get(conversationId);
        log.add(new ConversationEvent(log.size() + 1, type, conversationId, c.channel(), c.instance(), c.department(),
                0, actor, Instant.EPOCH.plusSeconds(log.size()), detail));
        return this;
    }

    /** A transfer out of a department, as core writes it. */
    MemoryInbox transferred(long conversationId, String from) {
        ConversationSummary c = conversations.get(conversationId);
        log.add(new ConversationEvent(log.size() + 1, ConversationEvent.Type.TRANSFERRED, conversationId, c.channel(),
                c.instance(), c.department(), 0, "jane", Instant.EPOCH.plusSeconds(log.size()), "from " + from, from,
                false, c.customerId(), c.customerName(), c.preview()));
        return this;
    }

    /** The conversation, when it exists within the caller's scope. */
    private ConversationSummary visible(Caller caller, long id) {
        callers.add(caller);
        ConversationSummary s = conversations.get(id);
        if (s == null || !caller.scope().covers(s.department())) {
            throw new NoSuchElementException("conversation " + id);
        }
        return s;
    }

    /** Counted from the rows in memory as the store counts them: open ones per view, every status. */
    @Override
    public org.frontdoor.api.inbox.InboxCounts counts(Caller caller) {
        return org.frontdoor.core.InboxViewsInMemory.counts(caller, conversations.values());
    }

    /** No SLA timers in memory: every row in scope is ok. */
    @Override
    public Map<Long, org.frontdoor.api.inbox.SlaState> sla(Caller caller, java.util.Collection<Long> ids) {
        return org.frontdoor.core.InboxViewsInMemory.sla(caller, conversations.values(), ids);
    }

    @Override
    public Page<ConversationSummary> conversations(Caller caller, ConversationQuery query) {
        callers.add(caller);
        lastQuery = query;
        List<ConversationSummary> matching = conversations.values().stream()
                .filter(c -> caller.scope().covers(c.department()))
                .filter(c -> query.status() == null || c.status() == query.status())
                .filter(c -> query.department() == null || query.department().equals(c.department()))
                .filter(c -> query.channel() == null || query.channel().equals(c.channel()))
                .sorted(Comparator.comparing(ConversationSummary::lastActivityAt).reversed())
                .toList();
        return new Page<>(matching.stream().skip(query.offset()).limit(query.limit()).toList(), matching.size(),
                query.offset(), query.limit());
    }

    @Override
    public Optional<ConversationDetail> conversation(Caller caller, long id) {
        try {
            ConversationSummary s = visible(caller, id);
            return Optional.of(new ConversationDetail(s, List.of(new MessageView(id * 100, "ext-" + id,
                    Visibility.PRIVATE, s.customerId(), "handle-" + id, s.customerName(), s.preview(), s.createdAt(),
                    List.of(new Annotation("sentiment", "negative", 0.92)), ATTACHMENTS)), replies.get(id),
                    readMarks.getOrDefault(id, 0L), notes.getOrDefault(id, List.of())));
        } catch (NoSuchElementException e) {
            return Optional.empty();
        }
    }

    @Override
    public Optional<ConversationWhy> why(Caller caller, long id) {
        try {
            ConversationSummary s = visible(caller, id);
            return Optional.of(new ConversationWhy(s, "refunds",
                    "one of its keywords (refund) in the latest message",
                    List.of(new ConversationWhy.Found(id * 100, "language", "fr", 0.97,
                            "org.frontdoor.classifier.language")),
                    List.of(new ConversationWhy.Step(s.createdAt(), "system", "routed",
                            "to " + s.department() + " by rule refunds, priority 0"))));
        } catch (NoSuchElementException e) {
            return Optional.empty();
        }
    }

    /** Replies stored with an idempotency key (conversation, caller, key), and the request each came with. */
    private final Map<String, ReplyView> keyed = new java.util.HashMap<>();
    private final Map<String, String> keyedRequests = new java.util.HashMap<>();

    @Override
    public synchronized ReplyView reply(Caller caller, long conversationId, String text, Visibility visibility,
                                        String idempotencyKey) {
        if (idempotencyKey == null) {
            return reply(caller, conversationId, text, visibility);
        }
        String k = conversationId + "\n" + caller.name() + "\n" + idempotencyKey;
        String request = text + "\n" + visibility;
        ReplyView earlier = keyed.get(k);
        if (earlier != null) {
            if (!keyedRequests.get(k).equals(request)) {
                throw new org.frontdoor.api.inbox.IdempotencyKeyReusedException("this Idempotency-Key was used for "
                        + "another reply in conversation " + conversationId + " (reply " + earlier.id() + ")",
                        earlier.id());
            }
            return earlier;
        }
        ReplyView reply = reply(caller, conversationId, text, visibility);
        keyed.put(k, reply);
        keyedRequests.put(k, request);
        return reply;
    }

    @Override
    public ReplyView reply(Caller caller, long conversationId, String text, Visibility visibility) {
        visible(caller, conversationId);
        if (text.length() > 280) {
            throw new IllegalArgumentException("the reply is " + text.length() + " characters long; the channel takes 280");
        }
        ReplyView reply = new ReplyView(replies.values().stream().mapToLong(List::size).sum() + 1, conversationId, text,
                visibility == null ? Visibility.PRIVATE : visibility, caller.name(), ReplyStatus.QUEUED, 0, null,
                Instant.now(), null, Instant.now());
        replies.get(conversationId).add(reply);
        return reply;
    }

    final Map<Long, List<org.frontdoor.api.inbox.NoteView>> notes = new LinkedHashMap<>();

    @Override
    public org.frontdoor.api.inbox.NoteView addNote(Caller caller, long conversationId, String text) {
        callers.add(caller);
        visible(caller, conversationId);
        List<String> mentions = java.util.regex.Pattern.compile("@([\\w.-]+)").matcher(text).results()
                .map(r -> r.group(1)).distinct().toList();
        var note = new org.frontdoor.api.inbox.NoteView(notes.values().stream().mapToLong(List::size).sum() + 1,
                conversationId, caller.name(), text, mentions, Instant.EPOCH, 2);
        notes.computeIfAbsent(conversationId, id -> new ArrayList<>()).add(note);
        return note;
    }

    @Override
    public ReplyView retryReply(Caller caller, long replyId) {
        callers.add(caller);
        for (List<ReplyView> list : replies.values()) {
            for (int i = 0; i < list.size(); i++) {
                ReplyView r = list.get(i);
                if (r.id() == replyId && caller.scope().covers(conversations.get(r.conversationId()).department())) {
                    if (r.status() != ReplyStatus.FAILED) {
                        throw new IllegalStateException("reply " + replyId + " has not failed: it is " + r.status());
                    }
                    ReplyView again = new ReplyView(r.id(), r.conversationId(), r.text(), r.visibility(), r.author(),
                            ReplyStatus.QUEUED, 0, null, r.createdAt(), null, Instant.now());
                    list.set(i, again);
                    return again;
                }
            }
        }
        throw new NoSuchElementException("reply " + replyId);
    }

    @Override
    public ConversationSummary assign(Caller caller, long conversationId, String agent) {
        ConversationSummary s = routed(visible(caller, conversationId));
        return put(s, s.department(), ConversationStatus.ASSIGNED, agent);
    }

    /** Snoozed: the time is checked as the store checks it; only the status shows it here. */
    @Override
    public ConversationSummary snooze(Caller caller, long conversationId, java.time.Instant until) {
        ConversationSummary s = routed(visible(caller, conversationId));
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
        ConversationSummary s = routed(visible(caller, conversationId));
        if (department.equals(s.department())) {
            throw new IllegalStateException("conversation " + conversationId + " is in " + department + " already");
        }
        return put(s, department, ConversationStatus.QUEUED, null);
    }

    /** The one message of conversation {@code id} is {@code id * 100}. */
    @Override
    public long markRead(Caller caller, long conversationId, long upToMessageId) {
        visible(caller, conversationId);
        if (upToMessageId != 0 && upToMessageId != conversationId * 100) {
            throw new IllegalArgumentException("message " + upToMessageId + " is not one of conversation "
                    + conversationId + "'s");
        }
        readMarks.put(conversationId, conversationId * 100);
        return conversationId * 100;
    }

    /** Kept when the conversation was not typed in before (a fake of the time window). */
    @Override
    public boolean typing(Caller caller, long conversationId) {
        ConversationSummary s = visible(caller, conversationId);
        if (s.status() == ConversationStatus.RESOLVED) {
            throw new IllegalStateException("conversation " + conversationId + " is resolved");
        }
        if (typed.contains(conversationId)) {
            return false;
        }
        typed.add(conversationId);
        return true;
    }

    @Override
    public ConversationSummary resolve(Caller caller, long conversationId) {
        ConversationSummary s = visible(caller, conversationId);
        if (s.status() == ConversationStatus.RESOLVED) {
            throw new IllegalStateException("conversation " + conversationId + " is resolved already");
        }
        return put(s, s.department(), ConversationStatus.RESOLVED, s.assignee());
    }

    @Override
    public ConversationSummary reopen(Caller caller, long conversationId) {
        ConversationSummary s = visible(caller, conversationId);
        if (s.status() != ConversationStatus.RESOLVED && s.status() != ConversationStatus.SNOOZED) {
            throw new IllegalStateException("conversation " + conversationId + " is open already");
        }
        return put(s, s.department(), s.assignee() == null ? ConversationStatus.QUEUED : ConversationStatus.ASSIGNED,
                s.assignee());
    }

    private static ConversationSummary routed(ConversationSummary s) {
        if (s.status() == ConversationStatus.NEW) {
            throw new IllegalStateException("conversation " + s.id() + " is not routed yet");
        }
        if (s.status() == ConversationStatus.RESOLVED) {
            throw new IllegalStateException("conversation " + s.id() + " is resolved");
        }
        return s;
    }

    private ConversationSummary put(ConversationSummary s, String department, ConversationStatus status,
                                    String assignee) {
        ConversationSummary changed = new ConversationSummary(s.id(), s.customerId(), s.customerName(), s.channel(),
                s.instance(), s.threadRef(), department, status, assignee, s.priority(), s.preview(), s.messageCount(),
                s.createdAt(), s.lastActivityAt());
        conversations.put(s.id(), changed);
        return changed;
    }

    @Override
    public Optional<CustomerView> customer(Caller caller, long id) {
        callers.add(caller);
        List<ConversationSummary> theirs = conversations.values().stream()
                .filter(c -> c.customerId() == id && caller.scope().covers(c.department())).toList();
        return theirs.stream().findFirst().map(c -> new CustomerView(id, c.customerName(), c.createdAt(),
                List.of(new IdentityView(c.channel(), "handle-" + c.id(), c.customerName(), null, null)), theirs));
    }

    /** Merges done, by id; suggestions waiting. */
    final java.util.Map<Long, CustomerMerge> merges = new java.util.LinkedHashMap<>();
    final List<MergeSuggestion> suggestions = new ArrayList<>();

    @Override
    public CustomerMerge merge(Caller caller, long fromCustomer, long intoCustomer) {
        callers.add(caller);
        if (customer(caller, fromCustomer).isEmpty() || customer(caller, intoCustomer).isEmpty()) {
            throw new java.util.NoSuchElementException("no such customer");
        }
        if (fromCustomer == intoCustomer) {
            throw new IllegalArgumentException("a customer is not merged into itself");
        }
        if (merges.values().stream().anyMatch(m -> m.fromCustomer() == fromCustomer && m.unmergedAt() == null)) {
            throw new IllegalStateException("customer " + fromCustomer + " was merged away already");
        }
        CustomerMerge merge = new CustomerMerge(merges.size() + 1L, fromCustomer, intoCustomer, null, caller.name(),
                java.time.Instant.now(), null, null, 1, 1, 2);
        merges.put(merge.id(), merge);
        return merge;
    }

    @Override
    public CustomerMerge unmerge(Caller caller, long mergeId) {
        callers.add(caller);
        CustomerMerge m = merges.get(mergeId);
        if (m == null) {
            throw new java.util.NoSuchElementException("no merge " + mergeId);
        }
        if (m.unmergedAt() != null) {
            throw new IllegalStateException("merge " + mergeId + " was undone already");
        }
        CustomerMerge undone = new CustomerMerge(m.id(), m.fromCustomer(), m.intoCustomer(), m.reason(), m.mergedBy(),
                m.mergedAt(), caller.name(), java.time.Instant.now(), m.identities(), m.conversations(), m.messages());
        merges.put(mergeId, undone);
        return undone;
    }

    @Override
    public List<MergeSuggestion> mergeSuggestions(Caller caller) {
        callers.add(caller);
        return List.copyOf(suggestions);
    }

    @Override
    public StoreCheck storeCheck(Caller caller) {
        callers.add(caller);
        return new StoreCheck(0, 0, List.of());
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
        visible(caller, conversationId);
        if (!via.recipient().handle().equals("ann@example.org")) {
            throw new IllegalArgumentException(via.recipient().handle() + " is not confirmed");
        }
        routes.add(via);
        return reply(caller, conversationId, text, Visibility.PRIVATE);
    }

    /** The doors replies were sent through, other than their conversations'. */
    final List<org.frontdoor.api.inbox.ReplyRoute> routes = new ArrayList<>();
}
