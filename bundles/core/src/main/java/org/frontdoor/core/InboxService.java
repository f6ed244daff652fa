package org.frontdoor.core;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.frontdoor.api.Caller;
import org.frontdoor.api.ChannelCapabilities;
import org.frontdoor.api.ChannelModeration;
import org.frontdoor.api.EventFilter;
import org.frontdoor.api.ModerationRefusedException;
import org.frontdoor.api.ModerationUnavailableException;
import org.frontdoor.api.Visibility;
import org.frontdoor.api.inbox.ConversationDetail;
import org.frontdoor.api.inbox.ConversationQuery;
import org.frontdoor.api.inbox.ConversationSummary;
import org.frontdoor.api.inbox.ConversationWhy;
import org.frontdoor.api.inbox.CustomerMerge;
import org.frontdoor.api.inbox.CustomerView;
import org.frontdoor.api.inbox.EventPage;
import org.frontdoor.api.inbox.Inbox;
import org.frontdoor.api.inbox.InboxCounts;
import org.frontdoor.api.inbox.MergeSuggestion;
import org.frontdoor.api.inbox.MessageView;
import org.frontdoor.api.inbox.ModerationFailedException;
import org.frontdoor.api.inbox.NoteView;
import org.frontdoor.api.inbox.Page;
import org.frontdoor.api.inbox.ReplyMeasure;
import org.frontdoor.api.inbox.ReplyRoute;
import org.frontdoor.api.inbox.ReplyView;
import org.frontdoor.api.inbox.SlaState;
import org.frontdoor.api.inbox.StoreCheck;
import org.frontdoor.store.Door;
import org.frontdoor.store.InboxStore;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * The agents' inbox over the store, within each caller's scope. A reply is checked against its door before it is
 * queued: the visibility the door can answer with, and the length as the door counts it.
 */
@Component(service = Inbox.class)
public class InboxService implements Inbox {

    private final InboxStore store;
    private final Doors doors;
    private final Runnable replyQueued;
    private final Runnable changed;
    /** When each caller last had a TYPING event kept, per conversation ("name conversationId"), in nanos. */
    private final ConcurrentHashMap<String, Long> typedAt = new ConcurrentHashMap<>();
    private static final int TYPING_REMEMBERED = 10_000;
    /**
     * Requests to hide or show one message take turns on this node (a stripe of locks by message id), so the network
     * and the store see them in the same order.
     */
    private final Object[] moderating = java.util.stream.IntStream.range(0, 64).mapToObj(i -> new Object())
            .toArray();

    @Activate
    public InboxService(@Reference InboxStore store, @Reference Pipeline pipeline) {
        this(store, pipeline.doors(), pipeline::wakeOutbox, pipeline::wakeEventConsumers);
    }

    /**
     * @param replyQueued run after a reply is queued (the outbox looks at once)
     * @param changed     run after any change (its event is in the log)
     */
    InboxService(InboxStore store, Doors doors, Runnable replyQueued, Runnable changed) {
        this.store = store;
        this.doors = doors;
        this.replyQueued = replyQueued;
        this.changed = changed;
    }

    @Override
    public List<org.frontdoor.api.dashboard.DepartmentQueue> queues(Caller caller) {
        supervising(caller);
        return call(() -> store.queues(caller.scope(), Instant.now()));
    }

    @Override
    public org.frontdoor.api.dashboard.Volumes volumes(Caller caller, int hours) {
        supervising(caller);
        if (hours < 1 || hours > org.frontdoor.api.dashboard.Volumes.MAX_HOURS) {
            throw new IllegalArgumentException("hours must be within 1.." + org.frontdoor.api.dashboard.Volumes.MAX_HOURS
                    + ", not " + hours);
        }
        return call(() -> store.volumes(caller.scope(), Instant.now(), hours));
    }

    /** The dashboard is for supervisors and admins: an agent sees their own inbox, not the department's figures. */
    private static void supervising(Caller caller) {
        if (!caller.hasRole("supervisor") && !caller.hasRole("admin") && !caller.hasRole(Caller.SYSTEM_ROLE)) {
            throw new SecurityException("the dashboard is for role supervisor or admin");
        }
    }

    @Override
    public Page<ConversationSummary> conversations(Caller caller, ConversationQuery query) {
        return call(() -> store.conversations(caller.scope(), query));
    }

    @Override
    public InboxCounts counts(Caller caller) {
        return call(() -> store.counts(caller.scope(), caller.name()));
    }

    @Override
    public Map<Long, SlaState> sla(Caller caller, Collection<Long> conversationIds) {
        if (conversationIds.size() > ConversationQuery.MAX_LIMIT) {
            throw new IllegalArgumentException("at most " + ConversationQuery.MAX_LIMIT + " conversations at once");
        }
        return call(() -> store.sla(caller.scope(), conversationIds));
    }

    @Override
    public Optional<ConversationDetail> conversation(Caller caller, long id) {
        return call(() -> store.conversation(caller.scope(), id));
    }

    @Override
    public Optional<ConversationWhy> why(Caller caller, long id) {
        return call(() -> store.why(caller.scope(), id));
    }

    @Override
    public ReplyView reply(Caller caller, long conversationId, String text, Visibility visibility) {
        return reply(caller, conversationId, text, visibility, null);
    }

    @Override
    public ReplyMeasure measureReply(Caller caller, long conversationId, String text) {
        Objects.requireNonNull(text, "text");
        InboxStore.ReplyTarget target = call(() -> store.replyTarget(caller.scope(), conversationId)).orElseThrow(
                () -> new NoSuchElementException("conversation " + conversationId + " does not exist"));
        Optional<Doors.Registered> door = doors.get(target.door());
        if (door.isEmpty()) {
            return new ReplyMeasure(target.door().channel(), target.door().instance(),
                    text.codePointCount(0, text.length()), "characters", 0, 1, 1, true, "", false);
        }
        return measure(target.door(), door.get(), text, false);
    }

    @Override
    public ReplyMeasure measureReply(Caller caller, long conversationId, String text, ReplyRoute via) {
        if (via == null) {
            return measureReply(caller, conversationId, text);
        }
        Objects.requireNonNull(text, "text");
        call(() -> store.replyTarget(caller.scope(), conversationId)).orElseThrow(
                () -> new NoSuchElementException("conversation " + conversationId + " does not exist"));
        Door door = new Door(via.channel(), via.instance());
        Optional<Doors.Registered> registered = doors.get(door);
        if (registered.isEmpty()) {
            return new ReplyMeasure(door.channel(), door.instance(), text.codePointCount(0, text.length()),
                    "characters", 0, 1, 1, true, "", false);
        }
        return measure(door, registered.get(), text, true);
    }

    /** How a running door counts a reply, and how it can answer (only in private through it as another door). */
    private static ReplyMeasure measure(Door door, Doors.Registered registered, String text, boolean via) {
        ChannelCapabilities caps = registered.channel().capabilities();
        int most = caps.segmentation() ? Math.min(ReplyLength.MAX_SEGMENTS, registered.mostSegments()) : 1;
        ReplyLength.Measure m = ReplyLength.measure(text, caps, most);
        List<Visibility> visibilities = new ArrayList<>();
        if (caps.publicReplies() && !via) {
            visibilities.add(Visibility.PUBLIC);
        }
        if (caps.privateReplies()) {
            visibilities.add(Visibility.PRIVATE);
        }
        return new ReplyMeasure(door.channel(), door.instance(), m.length(), m.unit(),
                ReplyLength.oneMessage(text, caps), m.segments(), most, m.fits(), m.refusal(), true, visibilities);
    }

    @Override
    public ReplyView reply(Caller caller, long conversationId, String text, Visibility visibility,
                           String idempotencyKey) {
        String key = idempotencyKey(idempotencyKey);
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("reply text is empty");
        }
        InboxStore.ReplyTarget target = call(() -> store.replyTarget(caller.scope(), conversationId)).orElseThrow(
                () -> new NoSuchElementException("conversation " + conversationId + " does not exist"));
        Visibility answer = visibility;
        Optional<Doors.Registered> door = doors.get(target.door());
        if (door.isPresent()) {
            ChannelCapabilities caps = door.get().channel().capabilities();
            answer = visibility(visibility, target.latestVisibility(), caps, target.door().toString());
            ReplyLength.Measure measure = ReplyLength.measure(text, caps, door.get().mostSegments());
            if (!measure.fits()) {
                throw new IllegalArgumentException(measure.refusal());
            }
        } else if (answer == null) {
            answer = target.latestVisibility();
        }
        Visibility chosen = answer;
        // the request as the client made it (visibility as asked): what a repeat with the same key must bring again
        String fingerprint = key == null ? null : fingerprint("reply", text, visibility == null ? "" : visibility.name());
        ReplyView reply = call(() -> store.queueReply(caller.scope(), conversationId, text, chosen, caller.name(),
                null, false, key, fingerprint));
        replyQueued.run();
        changed.run();
        return reply;
    }

    @Override
    public ReplyView replyVia(Caller caller, long conversationId, String text, ReplyRoute via) {
        return replyVia(caller, conversationId, text, via, null);
    }

    @Override
    public ReplyView replyVia(Caller caller, long conversationId, String text, ReplyRoute via, String idempotencyKey) {
        Objects.requireNonNull(via, "via");
        String key = idempotencyKey(idempotencyKey);
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("reply text is empty");
        }
        Door door = new Door(via.channel(), via.instance());
        Optional<Doors.Registered> registered = doors.get(door);
        if (registered.isPresent()) {
            ChannelCapabilities caps = registered.get().channel().capabilities();
            visibility(Visibility.PRIVATE, Visibility.PRIVATE, caps, door.toString());
            ReplyLength.Measure measure = ReplyLength.measure(text, caps, registered.get().mostSegments());
            if (!measure.fits()) {
                throw new IllegalArgumentException(measure.refusal());
            }
        }
        // a door acting on its own answers for its recipient (the code that confirms a claimed address); an agent
        // sends only to an identity the customer proved to own
        boolean verifiedOnly = !caller.hasRole(Caller.SYSTEM_ROLE);
        String fingerprint = key == null ? null : fingerprint("via", text, via.channel(), via.instance(),
                via.recipient().handle(), Objects.toString(via.recipient().displayName(), ""));
        ReplyView reply = call(() -> store.queueReply(caller.scope(), conversationId, text, Visibility.PRIVATE,
                caller.name(), via, verifiedOnly, key, fingerprint));
        replyQueued.run();
        changed.run();
        return reply;
    }

    /** A client's idempotency key as given, or null for none; refused when it is not 1 to 255 visible characters. */
    static String idempotencyKey(String key) {
        if (key == null) {
            return null;
        }
        if (key.isEmpty() || key.length() > MAX_IDEMPOTENCY_KEY || !key.chars().allMatch(ch -> ch > 0x20 && ch < 0x7f)) {
            throw new IllegalArgumentException("an idempotency key is 1 to " + MAX_IDEMPOTENCY_KEY
                    + " visible ASCII characters");
        }
        return key;
    }

    /** SHA-256 of the request's parts, hex: equal for the same request only. */
    static String fingerprint(String... parts) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (String part : parts) {
                byte[] bytes = part.getBytes(StandardCharsets.UTF_8);
                sha.update(ByteBuffer.allocate(4).putInt(bytes.length).array()); // lengths keep parts apart
                sha.update(bytes);
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this Java runtime", e);
        }
    }

    /** The visibility asked for, or the customer's own where the door can answer so; refused when it cannot. */
    static Visibility visibility(Visibility asked, Visibility latest, ChannelCapabilities caps, String door) {
        if (asked == null) {
            if (latest == Visibility.PUBLIC && caps.publicReplies()) {
                return Visibility.PUBLIC;
            }
            return caps.privateReplies() ? Visibility.PRIVATE : Visibility.PUBLIC;
        }
        if (asked == Visibility.PUBLIC && !caps.publicReplies()) {
            throw new IllegalArgumentException(door + " cannot answer in public");
        }
        if (asked == Visibility.PRIVATE && !caps.privateReplies()) {
            throw new IllegalArgumentException(door + " cannot answer in private");
        }
        return asked;
    }

    @Override
    public ReplyView retryReply(Caller caller, long replyId) {
        ReplyView reply = call(() -> store.retryReply(caller.scope(), replyId, caller.name()));
        replyQueued.run();
        changed.run();
        return reply;
    }

    @Override
    public ConversationSummary assign(Caller caller, long conversationId, String agent) {
        String who = agent == null || agent.isBlank() ? caller.name() : agent.trim();
        if (!who.equals(caller.name()) && !mayAssignOthers(caller)) {
            throw new IllegalArgumentException(caller.name() + " may take a conversation but not give it to " + who
                    + ": assigning others is for role supervisor or admin");
        }
        return changed(call(() -> store.assign(caller.scope(), conversationId, who, caller.name())));
    }

    @Override
    public ConversationSummary transfer(Caller caller, long conversationId, String department) {
        Objects.requireNonNull(department, "department");
        return changed(call(() -> store.transfer(caller.scope(), conversationId, department, caller.name())));
    }

    /** Whether the caller gives conversations to others: a supervisor, an admin, or Frontdoor itself. */
    static boolean mayAssignOthers(Caller caller) {
        return caller.hasRole("supervisor") || caller.hasRole("admin") || caller.hasRole(Caller.SYSTEM_ROLE)
                || !caller.hasRole("agent");
    }

    @Override
    public ConversationSummary snooze(Caller caller, long conversationId, Instant until) {
        Objects.requireNonNull(until, "until");
        return changed(call(() -> store.snooze(caller.scope(), conversationId, until, caller.name())));
    }

    @Override
    public ConversationSummary resolve(Caller caller, long conversationId) {
        return changed(call(() -> store.resolve(caller.scope(), conversationId, caller.name())));
    }

    @Override
    public ConversationSummary reopen(Caller caller, long conversationId) {
        return changed(call(() -> store.reopen(caller.scope(), conversationId, caller.name())));
    }

    @Override
    public NoteView addNote(Caller caller, long conversationId, String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("note text is empty");
        }
        if (text.length() > MAX_NOTE) {
            throw new IllegalArgumentException("a note is at most " + MAX_NOTE + " characters");
        }
        // a note is not a reply: no door and no outbox, so replyQueued is not run
        NoteView note = call(() -> store.addNote(caller.scope(), conversationId, text, caller.name()));
        changed.run();
        return note;
    }

    @Override
    public MessageView hide(Caller caller, long conversationId, long messageId, String reason) {
        return moderate(caller, conversationId, messageId, reason, true);
    }

    @Override
    public MessageView unhide(Caller caller, long conversationId, long messageId, String reason) {
        return moderate(caller, conversationId, messageId, reason, false);
    }

    /**
     * Asks the message's door to hide or show it on its network, synchronously, and records the change only once the
     * network confirmed it: a failure leaves the message as Frontdoor had it (and says so in the audit trail). One
     * request at a time per message on this node.
     */
    private MessageView moderate(Caller caller, long conversationId, long messageId, String reason, boolean hidden) {
        String verb = hidden ? "hide" : "show";
        if (!caller.hasRole("admin") && !caller.hasRole(Caller.SYSTEM_ROLE)) {
            throw new SecurityException("Hiding or showing a customer's message on its network is for role admin");
        }
        String why = reason == null ? "" : reason.strip();
        if (why.isEmpty()) {
            throw new IllegalArgumentException("give a reason to " + verb + " a customer's message: it is recorded "
                    + "and shown to agents");
        }
        if (why.length() > MAX_MODERATION_REASON) {
            throw new IllegalArgumentException("a reason is at most " + MAX_MODERATION_REASON + " characters");
        }
        InboxStore.ModerationTarget target = call(() -> store.moderationTarget(caller.scope(), conversationId,
                messageId));
        if (!target.inbound() || target.visibility() != Visibility.PUBLIC) {
            throw new IllegalStateException("message " + messageId + " is a private message: only a public message "
                    + "can be hidden or shown on its network");
        }
        Doors.Registered door = doors.get(target.door()).orElseThrow(() -> new IllegalStateException("door "
                + target.door() + " is not running: its messages cannot be " + (hidden ? "hidden" : "shown")
                + " now"));
        ChannelModeration.Action action = hidden ? ChannelModeration.Action.HIDE : ChannelModeration.Action.UNHIDE;
        if (!(door.channel() instanceof ChannelModeration moderation)
                || !moderation.moderationActions().contains(action)) {
            throw new IllegalStateException("door " + target.door() + " cannot " + verb + " messages on its network"
                    + (hidden ? ": answer the customer instead" : ""));
        }
        synchronized (moderating[(int) Math.floorMod(messageId, (long) moderating.length)]) {
            try {
                moderation.setHidden(target.externalId(), hidden);
            } catch (ModerationRefusedException e) {
                failed(caller, conversationId, messageId, hidden, why, e.getMessage());
                throw new ModerationFailedException(e.getMessage(), false);
            } catch (ModerationUnavailableException e) {
                failed(caller, conversationId, messageId, hidden, why, e.getMessage());
                throw new ModerationFailedException(e.getMessage(), true);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ModerationFailedException("the request was interrupted before door " + target.door()
                        + " answered: try again", true);
            } catch (RuntimeException e) {
                String said = "door " + target.door() + " failed to " + verb + " the message: " + e;
                failed(caller, conversationId, messageId, hidden, why, said);
                throw new ModerationFailedException(said, true);
            }
            try {
                call(() -> store.recordHidden(caller.scope(), conversationId, messageId, hidden, why,
                        caller.name()));
            } catch (RuntimeException e) {
                throw new ModerationFailedException("door " + target.door() + " " + (hidden ? "hid" : "showed")
                        + " the message, but Frontdoor could not record it (" + e.getMessage() + "): "
                        + verb + " it again", true);
            }
        }
        changed.run();
        return call(() -> store.conversation(caller.scope(), conversationId)).orElseThrow(
                () -> new NoSuchElementException("conversation " + conversationId + " does not exist"))
                .messages().stream().filter(m -> m.id() == messageId).findFirst().orElseThrow(
                        () -> new NoSuchElementException("message " + messageId + " is gone"));
    }

    private void failed(Caller caller, long conversationId, long messageId, boolean hidden, String reason,
                        String failure) {
        try {
            call(() -> {
                store.auditModerationFailure(caller.scope(), conversationId, messageId, hidden, reason, failure,
                        caller.name());
                return null;
            });
        } catch (RuntimeException e) {
            // the admin is told the network's answer; the audit row of a failed attempt is not worth hiding it
        }
    }

    @Override
    public long markRead(Caller caller, long conversationId, long upToMessageId) {
        if (upToMessageId < 0) {
            throw new IllegalArgumentException("upTo must be a message id, or 0 for the latest message");
        }
        long mark = call(() -> store.markRead(caller.scope(), conversationId, upToMessageId, caller.name()));
        changed.run();
        return mark;
    }

    @Override
    public boolean typing(Caller caller, long conversationId) {
        String key = caller.name() + " " + conversationId;
        long now = System.nanoTime();
        long every = TimeUnit.SECONDS.toNanos(TYPING_EVERY_SECONDS);
        boolean[] due = {false};
        typedAt.compute(key, (k, last) -> {
            if (last == null || now - last >= every) {
                due[0] = true;
                return now;
            }
            return last;
        });
        if (!due[0]) {
            return false;
        }
        if (typedAt.size() > TYPING_REMEMBERED) {
            typedAt.values().removeIf(t -> now - t >= every);
        }
        boolean written;
        try {
            // this node's window first; the store's look at the log covers the other nodes
            written = call(() -> store.typing(caller.scope(), conversationId, caller.name(),
                    Instant.now().minusSeconds(TYPING_EVERY_SECONDS)));
        } catch (RuntimeException e) {
            typedAt.remove(key, now); // not written: the next call may try again
            throw e;
        }
        if (written) {
            changed.run();
        }
        return written;
    }

    @Override
    public Optional<CustomerView> customer(Caller caller, long id) {
        return call(() -> store.customer(caller.scope(), id));
    }

    @Override
    public CustomerMerge merge(Caller caller, long fromCustomer, long intoCustomer) {
        Objects.requireNonNull(caller, "caller");
        CustomerMerge merge = call(() -> store.merge(caller.scope(), fromCustomer, intoCustomer, caller.name()));
        changed.run();
        return merge;
    }

    @Override
    public CustomerMerge unmerge(Caller caller, long mergeId) {
        Objects.requireNonNull(caller, "caller");
        CustomerMerge merge = call(() -> store.unmerge(caller.scope(), mergeId, caller.name()));
        changed.run();
        return merge;
    }

    @Override
    public List<MergeSuggestion> mergeSuggestions(Caller caller) {
        return call(() -> store.mergeSuggestions(caller.scope()));
    }

    @Override
    public StoreCheck storeCheck(Caller caller) {
        if (!caller.hasRole("admin") && !caller.hasRole(Caller.SYSTEM_ROLE)) {
            throw new SecurityException("checking the store is for admins");
        }
        return call(store::storeCheck);
    }

    @Override
    public long eventHead() {
        return store instanceof org.frontdoor.store.EventStore log ? call(log::head) : 0;
    }

    @Override
    public EventPage events(Caller caller, long after, int limit) {
        return events(caller, after, limit, EventFilter.ALL);
    }

    @Override
    public EventPage events(Caller caller, long after, int limit, EventFilter filter) {
        if (after < 0) {
            throw new IllegalArgumentException("after must not be negative");
        }
        if (limit < 1 || limit > ConversationQuery.MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be within 1.." + ConversationQuery.MAX_LIMIT);
        }
        EventFilter f = filter == null ? EventFilter.ALL : filter;
        return call(() -> store.events(caller.scope(), after, limit, f));
    }

    private ConversationSummary changed(ConversationSummary summary) {
        changed.run();
        return summary;
    }

    private static <T> T call(Supplier<T> work) {
        return StoreCalls.retryOnce(work, "the inbox");
    }
}
