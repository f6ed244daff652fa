package org.frontdoor.store.jpa;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;

import org.frontdoor.api.ConversationEvent;
import org.frontdoor.api.Direction;
import org.frontdoor.api.Identity;
import org.frontdoor.api.Scope;
import org.frontdoor.api.Visibility;
import org.frontdoor.api.consent.ConsentRefusedException;
import org.frontdoor.api.inbox.ConversationStatus;
import org.frontdoor.api.inbox.IdempotencyKeyReusedException;
import org.frontdoor.api.inbox.Inbox;
import org.frontdoor.api.inbox.NoteView;
import org.frontdoor.api.inbox.ReplyRoute;
import org.frontdoor.api.inbox.ReplyStatus;
import org.frontdoor.api.inbox.ReplyView;
import org.frontdoor.store.Door;
import org.frontdoor.store.InboxStore;
import org.frontdoor.store.RoutingStore;
import org.frontdoor.store.jpa.SequenceIds.Sequence;

/**
 * The agents' changes, each one transaction: a compare-and-set on the conversation's status within the caller's
 * scope, its event and its audit row. A change that no longer applies changes nothing and says why.
 */
final class InboxWrites {

    static final int MAX_NAME = 100;

    private final Jdbc jdbc;
    private final SequenceIds ids;

    InboxWrites(Jdbc jdbc, SequenceIds ids) {
        this.jdbc = jdbc;
        this.ids = ids;
    }

    /** A conversation row as the changes need it. */
    private record Current(long id, String channel, String instance, String department, ConversationStatus status,
                           String assignee) {
    }

    ReplyView queueReply(Scope scope, long conversationId, String text, Visibility visibility, String agent) {
        return queueReply(scope, conversationId, text, visibility, agent, null, false);
    }

    /**
     * @param via          another door to send through, or null for the conversation's
     * @param verifiedOnly whether {@code via}'s recipient must be an identity the conversation's customer proved to own
     */
    ReplyView queueReply(Scope scope, long conversationId, String text, Visibility visibility, String agent,
                         ReplyRoute via, boolean verifiedOnly) {
        return queueReply(scope, conversationId, text, visibility, agent, via, verifiedOnly, null, null);
    }

    /**
     * @param idempotencyKey the client's key, or null: a reply the same agent stored with it in this conversation is
     *                       answered instead, when the fingerprint matches
     */
    ReplyView queueReply(Scope scope, long conversationId, String text, Visibility visibility, String agent,
                         ReplyRoute via, boolean verifiedOnly, String idempotencyKey, String fingerprint) {
        Objects.requireNonNull(agent, "agent");
        if (idempotencyKey != null && (idempotencyKey.isEmpty() || idempotencyKey.length() > Inbox.MAX_IDEMPOTENCY_KEY
                || fingerprint == null || fingerprint.length() > 64)) {
            throw new IllegalArgumentException("an idempotency key is 1 to " + Inbox.MAX_IDEMPOTENCY_KEY
                    + " characters, with a fingerprint of its request");
        }
        Objects.requireNonNull(visibility, "visibility");
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("reply text is empty");
        }
        String author = Jdbc.cut(agent, MAX_NAME);
        return jdbc.inTransaction("queue a reply to conversation " + conversationId, c -> {
            // with a key, the conversation is held: a repeat sent at once waits for this one and then finds its reply
            Current conversation = find(c, scope, conversationId, idempotencyKey != null);
            if (idempotencyKey != null) {
                ReplyView earlier = keyed(c, conversationId, author, idempotencyKey, fingerprint);
                if (earlier != null) {
                    return earlier;
                }
            }
            if (via != null && verifiedOnly && !provenBy(c, conversationId, via.recipient())) {
                throw new IllegalArgumentException(via.recipient().channel() + " " + via.recipient().handle()
                        + " is not an identity the customer of conversation " + conversationId + " has confirmed");
            }
            String optedOut = via != null ? ConsentStore.refusal(c, via.channel(), via.recipient().handle())
                    : recipientRefusal(c, conversationId, conversation.channel());
            if (optedOut != null) {
                throw new ConsentRefusedException(optedOut);
            }
            Instant now = Instant.now();
            // the reply's place in the conversation, taken under the conversation's row lock (held to the commit, as
            // ingest takes it): the conversation's messages and replies are numbered in the order they commit.
            // Activity only moves forward, whatever else changes the row meanwhile.
            long seq = nextItemSeq(c, conversationId, now);
            Long last = latestMessage(c, conversationId);
            long replyId = ids.take(c, Map.of(Sequence.REPLY, 1)).get(Sequence.REPLY)[0];
            // through another door a reply starts a new thread: it answers no message there
            Long inReplyTo = via == null ? last : null;
            String channel = via == null ? conversation.channel() : Jdbc.cut(via.channel(), MAX_NAME);
            String instance = via == null ? conversation.instance() : Jdbc.cut(via.instance(), MAX_NAME);
            jdbc.insert(c, "reply", List.of(replyId),
                    new Jdbc.Column<>("id", "bigint", id -> id),
                    new Jdbc.Column<>("conversation_id", "bigint", id -> conversationId),
                    new Jdbc.Column<>("seq", "bigint", id -> seq),
                    new Jdbc.Column<>("channel", "varchar", id -> channel),
                    new Jdbc.Column<>("instance", "varchar", id -> instance),
                    new Jdbc.Column<>("recipient_handle", "varchar",
                            id -> via == null ? null : Jdbc.cut(via.recipient().handle(), 255)),
                    new Jdbc.Column<>("recipient_name", "varchar",
                            id -> via == null ? null : Jdbc.cut(via.recipient().displayName(), 255)),
                    new Jdbc.Column<>("body", "text", id -> text),
                    new Jdbc.Column<>("visibility", "varchar", id -> visibility.name()),
                    new Jdbc.Column<>("author", "varchar", id -> author),
                    new Jdbc.Column<>("status", "varchar", id -> ReplyStatus.QUEUED.name()),
                    new Jdbc.Column<>("attempts", "integer", id -> 0),
                    new Jdbc.Column<>("created_at", "timestamptz", id -> now),
                    new Jdbc.Column<>("next_attempt_at", "timestamptz", id -> now),
                    new Jdbc.Column<>("in_reply_to_message_id", "bigint", id -> inReplyTo),
                    new Jdbc.Column<>("idempotency_key", "varchar", id -> idempotencyKey),
                    new Jdbc.Column<>("idempotency_fingerprint", "varchar", id -> fingerprint),
                    new Jdbc.Column<>("version", "bigint", id -> 1L));
            TxLog log = new TxLog();
            String how = visibility.name().toLowerCase(java.util.Locale.ROOT)
                    + (via == null ? "" : " via " + channel + "/" + instance);
            log.event(ConversationEvent.Type.REPLIED, conversationId, conversation.channel(), conversation.instance(),
                    conversation.department(), replyId, author, how);
            log.audit(author, "reply.queued", "conversation", conversationId, "reply " + replyId
                    + (via == null ? "" : " via " + channel + "/" + instance + " to " + via.recipient().handle()));
            log.flush(c, jdbc, ids, now);
            return new ReplyView(replyId, conversationId, text, visibility, author, ReplyStatus.QUEUED, 0, null, now,
                    null, now, null, seq);
        });
    }

    /** An {@code @name} mention: letters, digits, '.', '_' and '-' after an '@' that does not follow a word. */
    private static final java.util.regex.Pattern MENTION =
            java.util.regex.Pattern.compile("(?<![\\p{L}\\p{N}._@-])@([\\p{L}\\p{N}._-]+)");

    /** The names a note mentions, in order, without repeats, at most {@link Inbox#MAX_MENTIONS}. */
    static List<String> mentions(String text) {
        java.util.LinkedHashSet<String> found = new java.util.LinkedHashSet<>();
        java.util.regex.Matcher m = MENTION.matcher(text);
        while (m.find() && found.size() < Inbox.MAX_MENTIONS) {
            // a trailing '.' or '-' ends the sentence rather than the name
            String name = m.group(1).replaceAll("[.-]+$", "");
            if (!name.isEmpty()) {
                found.add(Jdbc.cut(name, MAX_NAME));
            }
        }
        return List.copyOf(found);
    }

    /**
     * Writes an internal note: never a reply, so no door and no outbox sees it. Allowed on a resolved conversation.
     * Its seq is taken under the conversation's row lock, as a reply's is; its event and audit row commit with it.
     */
    NoteView addNote(Scope scope, long conversationId, String text, String agent) {
        Objects.requireNonNull(agent, "agent");
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("note text is empty");
        }
        if (text.length() > Inbox.MAX_NOTE) {
            throw new IllegalArgumentException("a note is at most " + Inbox.MAX_NOTE + " characters");
        }
        String author = Jdbc.cut(agent, MAX_NAME);
        List<String> mentions = mentions(text);
        return jdbc.inTransaction("add a note to conversation " + conversationId, c -> {
            Current conversation = find(c, scope, conversationId, true);
            Instant now = Instant.now();
            long seq = nextItemSeq(c, conversationId, now);
            long noteId = ids.take(c, Map.of(Sequence.CONVERSATION_NOTE, 1)).get(Sequence.CONVERSATION_NOTE)[0];
            jdbc.insert(c, "conversation_note", List.of(noteId),
                    new Jdbc.Column<>("id", "bigint", id -> id),
                    new Jdbc.Column<>("conversation_id", "bigint", id -> conversationId),
                    new Jdbc.Column<>("seq", "bigint", id -> seq),
                    new Jdbc.Column<>("author", "varchar", id -> author),
                    new Jdbc.Column<>("body", "varchar", id -> text),
                    new Jdbc.Column<>("mentions", "varchar", id -> String.join(",", mentions)),
                    new Jdbc.Column<>("created_at", "timestamptz", id -> now));
            String detail = mentions.isEmpty() ? "no mentions" : "mentions " + String.join(", ", mentions);
            TxLog log = new TxLog();
            log.event(ConversationEvent.Type.NOTE_ADDED, conversationId, conversation.channel(),
                    conversation.instance(), conversation.department(), noteId, author, detail);
            log.audit(author, "note.added", "conversation", conversationId, "note " + noteId + "; " + detail);
            log.flush(c, jdbc, ids, now);
            return new NoteView(noteId, conversationId, author, text, mentions, now, seq);
        });
    }

    /** The message of a conversation within the scope, with what hiding it on its network needs. */
    InboxStore.ModerationTarget moderationTarget(Scope scope, long conversationId, long messageId) {
        return jdbc.inTransaction("read message " + messageId + " of conversation " + conversationId, c -> {
            find(c, scope, conversationId, false);
            return target(c, conversationId, messageId, false);
        });
    }

    private static InboxStore.ModerationTarget target(Connection c, long conversationId, long messageId, boolean lock)
            throws SQLException {
        try (PreparedStatement q = c.prepareStatement("SELECT channel, instance, external_id, visibility, direction, "
                + "hidden_at FROM message WHERE id = ? AND conversation_id = ?" + (lock ? " FOR UPDATE" : ""))) {
            q.setLong(1, messageId);
            q.setLong(2, conversationId);
            try (ResultSet rs = q.executeQuery()) {
                if (!rs.next()) {
                    throw new NoSuchElementException("message " + messageId + " is not one of conversation "
                            + conversationId + "'s");
                }
                return new InboxStore.ModerationTarget(new Door(rs.getString(1), rs.getString(2)), rs.getString(3),
                        Visibility.valueOf(rs.getString(4)), Direction.INBOUND.name().equals(rs.getString(5)),
                        rs.getTimestamp(6) != null);
            }
        }
    }

    /**
     * Marks a message hidden (or shown) after its network confirmed it, with its event and audit row; a message already
     * so keeps its mark and gets the audit row only. The message row is locked, so two admins at once record in turn.
     */
    boolean recordHidden(Scope scope, long conversationId, long messageId, boolean hidden, String reason,
                         String actor) {
        String who = Jdbc.cut(Objects.requireNonNull(actor, "actor"), MAX_NAME);
        String why = Jdbc.cut(Objects.requireNonNull(reason, "reason"), Inbox.MAX_MODERATION_REASON);
        return jdbc.inTransaction((hidden ? "hide" : "show") + " message " + messageId, c -> {
            Current conversation = find(c, scope, conversationId, false);
            InboxStore.ModerationTarget now = target(c, conversationId, messageId, true);
            Instant at = Instant.now();
            boolean changes = now.hidden() != hidden;
            if (changes) {
                try (PreparedStatement u = c.prepareStatement("UPDATE message SET hidden_at = ?, hidden_by = ?, "
                        + "hidden_reason = ? WHERE id = ?")) {
                    u.setTimestamp(1, hidden ? Jdbc.ts(at) : null);
                    u.setString(2, hidden ? who : null);
                    u.setString(3, hidden ? why : null);
                    u.setLong(4, messageId);
                    u.executeUpdate();
                }
            }
            TxLog log = new TxLog();
            if (changes) {
                log.event(hidden ? ConversationEvent.Type.MESSAGE_HIDDEN : ConversationEvent.Type.MESSAGE_UNHIDDEN,
                        conversationId, conversation.channel(), conversation.instance(), conversation.department(),
                        messageId, who, why);
            }
            log.audit(who, hidden ? "conversation.message-hidden" : "conversation.message-unhidden", "conversation",
                    conversationId, "message " + messageId + (changes ? "" : " (" + (hidden ? "hidden" : "shown")
                    + " already; asked the network again)") + ": " + why);
            log.flush(c, jdbc, ids, at);
            return changes;
        });
    }

    /** An attempt to hide or show a message that its network refused or could not do, in the audit trail. */
    void auditModerationFailure(Scope scope, long conversationId, long messageId, boolean hidden, String reason,
                                String failure, String actor) {
        String who = Jdbc.cut(Objects.requireNonNull(actor, "actor"), MAX_NAME);
        jdbc.inTransaction("audit a refused " + (hidden ? "hide" : "unhide") + " of message " + messageId, c -> {
            find(c, scope, conversationId, false);
            TxLog log = new TxLog();
            log.audit(who, hidden ? "conversation.message-hide-failed" : "conversation.message-unhide-failed",
                    "conversation", conversationId, "message " + messageId + ": " + failure + "; reason given: "
                    + reason);
            log.flush(c, jdbc, ids, Instant.now());
            return null;
        });
    }

    /**
     * The reply this agent stored in the conversation with this key, as it is now; null when there is none.
     *
     * @throws IdempotencyKeyReusedException when it was stored for another request
     */
    private static ReplyView keyed(Connection c, long conversationId, String author, String key, String fingerprint)
            throws SQLException {
        try (PreparedStatement q = c.prepareStatement("SELECT id, body, visibility, status, attempts, last_error, "
                + "created_at, sent_at, next_attempt_at, idempotency_fingerprint FROM reply WHERE conversation_id = ? "
                + "AND author = ? AND idempotency_key = ?")) {
            q.setLong(1, conversationId);
            q.setString(2, author);
            q.setString(3, key);
            try (ResultSet rs = q.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                long id = rs.getLong(1);
                if (!fingerprint.equals(rs.getString(10))) {
                    throw new IdempotencyKeyReusedException("this Idempotency-Key was used for another reply in "
                            + "conversation " + conversationId + " (reply " + id + "): a retry must send the same "
                            + "request, a new reply needs a new key", id);
                }
                return new ReplyView(id, conversationId, rs.getString(2), Visibility.valueOf(rs.getString(3)), author,
                        ReplyStatus.valueOf(rs.getString(4)), rs.getInt(5), rs.getString(6),
                        Jdbc.instant(rs, "created_at"), Jdbc.instant(rs, "sent_at"),
                        Jdbc.instant(rs, "next_attempt_at"));
            }
        }
    }

    void retryReply(Scope scope, long replyId, String agent) {
        String actor = Jdbc.cut(agent, MAX_NAME);
        jdbc.inTransaction("send reply " + replyId + " again", c -> {
            long conversationId;
            String status;
            try (PreparedStatement q = c.prepareStatement("SELECT r.conversation_id, r.status, c.department_id "
                    + "FROM reply r JOIN conversation c ON c.id = r.conversation_id WHERE r.id = ? FOR UPDATE")) {
                q.setLong(1, replyId);
                try (ResultSet rs = q.executeQuery()) {
                    if (!rs.next() || !scope.covers(rs.getString(3))) {
                        throw new NoSuchElementException("reply " + replyId + " does not exist");
                    }
                    conversationId = rs.getLong(1);
                    status = rs.getString(2);
                }
            }
            if (!ReplyStatus.FAILED.name().equals(status)) {
                throw new IllegalStateException("reply " + replyId + " is " + status + ": only a failed reply is sent "
                        + "again");
            }
            String optedOut = replyRefusal(c, replyId);
            if (optedOut != null) {
                throw new ConsentRefusedException(optedOut);
            }
            Instant now = Instant.now();
            try (PreparedStatement u = c.prepareStatement("UPDATE reply SET status = 'QUEUED', attempts = 0, "
                    + "last_error = NULL, next_attempt_at = ?, claim_owner = NULL, claim_until = NULL, "
                    + "version = version + 1 WHERE id = ? AND status = 'FAILED'")) {
                u.setTimestamp(1, Jdbc.ts(now));
                u.setLong(2, replyId);
                u.executeUpdate();
            }
            TxLog log = new TxLog();
            log.audit(actor, "reply.retried", "reply", replyId, "of conversation " + conversationId);
            log.flush(c, jdbc, ids, now);
            return null;
        });
    }

    void assign(Scope scope, long conversationId, String agent, String actor) {
        String assignee = Jdbc.cut(Objects.requireNonNull(agent, "agent"), MAX_NAME);
        if (assignee.isBlank()) {
            throw new IllegalArgumentException("name the agent to assign");
        }
        change(scope, conversationId, "assign", actor, (c, current) -> {
            requireRouted(current, "assigned");
            if (current.status() == ConversationStatus.ASSIGNED && assignee.equals(current.assignee())) {
                return null; // nothing changes
            }
            TxLog presence = new TxLog();
            AgentWrites.admitManual(c, presence, assignee, Jdbc.cut(actor, MAX_NAME), conversationId);
            update(c, current, "status = 'ASSIGNED', assignee = ?, assigned_at = CURRENT_TIMESTAMP, "
                    + "snoozed_until = NULL, snoozed_at = NULL", assignee);
            presence.flush(c, jdbc, ids, Instant.now());
            return new Change(ConversationEvent.Type.ASSIGNED, current.department(), "to " + assignee,
                    "conversation.assigned", "to " + assignee);
        });
    }

    void transfer(Scope scope, long conversationId, String department, String actor) {
        String to = Objects.requireNonNull(department, "department").trim();
        if (to.isEmpty() || to.length() > RoutingStore.MAX_DEPARTMENT) {
            throw new IllegalArgumentException("a department id takes 1 to " + RoutingStore.MAX_DEPARTMENT + " characters");
        }
        change(scope, conversationId, "transfer", actor, (c, current) -> {
            requireRouted(current, "transferred");
            if (to.equals(current.department())) {
                throw new IllegalStateException("conversation " + conversationId + " is in " + to + " already");
            }
            Departments.ensure(c, jdbc, List.of(to), Instant.now());
            update(c, current, "status = 'QUEUED', assignee = NULL, assigned_at = NULL, snoozed_until = NULL, "
                    + "snoozed_at = NULL, department_id = ?", to);
            return new Change(ConversationEvent.Type.TRANSFERRED, to, "from " + current.department(),
                    "conversation.transferred", "from " + current.department() + " to " + to, current.department());
        });
    }

    /** The furthest a snooze reaches. */
    static final java.time.Duration MAX_SNOOZE = java.time.Duration.ofDays(366);

    void snooze(Scope scope, long conversationId, Instant until, String actor) {
        Objects.requireNonNull(until, "until");
        Instant now = Instant.now();
        if (!until.isAfter(now)) {
            throw new IllegalArgumentException("snooze until a time in the future, not " + until);
        }
        if (until.isAfter(now.plus(MAX_SNOOZE))) {
            throw new IllegalArgumentException("a snooze reaches at most a year ahead, not to " + until);
        }
        change(scope, conversationId, "snooze", actor, (c, current) -> {
            requireRouted(current, "snoozed");
            try (PreparedStatement u = c.prepareStatement("UPDATE conversation SET status = 'SNOOZED', "
                    + "snoozed_until = ?, snoozed_at = ?, version = version + 1 WHERE id = ? AND status = ?")) {
                u.setTimestamp(1, Jdbc.ts(until));
                u.setTimestamp(2, Jdbc.ts(now));
                u.setLong(3, conversationId);
                u.setString(4, current.status().name());
                if (u.executeUpdate() != 1) {
                    throw new IllegalStateException("conversation " + conversationId + " changed meanwhile; try again");
                }
            }
            return new Change(ConversationEvent.Type.SNOOZED, current.department(), "until " + until,
                    "conversation.snoozed", "until " + until + (current.assignee() == null ? ""
                    : ", assigned to " + current.assignee()));
        });
    }

    void resolve(Scope scope, long conversationId, String actor) {
        change(scope, conversationId, "resolve", actor, (c, current) -> {
            if (current.status() == ConversationStatus.RESOLVED) {
                throw new IllegalStateException("conversation " + conversationId + " is resolved already");
            }
            update(c, current, "status = 'RESOLVED'", null);
            return new Change(ConversationEvent.Type.RESOLVED, current.department(), null, "conversation.resolved",
                    "was " + current.status());
        });
    }

    void reopen(Scope scope, long conversationId, String actor) {
        change(scope, conversationId, "reopen", actor, (c, current) -> {
            boolean resolved = current.status() == ConversationStatus.RESOLVED;
            if (!resolved && current.status() != ConversationStatus.SNOOZED) {
                throw new IllegalStateException("conversation " + conversationId + " is open already ("
                        + current.status().name().toLowerCase(java.util.Locale.ROOT) + "): only a resolved or "
                        + "snoozed conversation is reopened");
            }
            String status;
            String where;
            if (current.department() == null) {
                status = "NEW"; // resolved before it was routed: routing takes it up again
                where = "to be routed";
            } else if (current.assignee() == null) {
                status = "QUEUED";
                where = "back in the queue of " + current.department();
            } else {
                status = "ASSIGNED";
                where = "with " + current.assignee();
            }
            update(c, current, "status = '" + status + "', snoozed_until = NULL, snoozed_at = NULL", null);
            String detail = "reopened by " + Jdbc.cut(actor, MAX_NAME) + "; " + where;
            return resolved
                    ? new Change(ConversationEvent.Type.REOPENED, current.department(), detail,
                    "conversation.reopened", detail)
                    : new Change(ConversationEvent.Type.UNSNOOZED, current.department(), detail,
                    "conversation.unsnoozed", detail);
        });
    }

    long markRead(Scope scope, long conversationId, long upToMessageId, String actor) {
        String who = Jdbc.cut(Objects.requireNonNull(actor, "actor"), MAX_NAME);
        return jdbc.inTransaction("mark conversation " + conversationId + " read", c -> {
            Current current = find(c, scope, conversationId, true);
            Long latest = upToMessageId > 0 ? Long.valueOf(messageOf(c, conversationId, upToMessageId))
                    : latestMessage(c, conversationId);
            long target = latest == null ? 0 : latest;
            long mark = 0;
            long markSeq = 0;
            // the mark is a message; which is later is their order in the conversation (seq), never their ids
            try (PreparedStatement q = c.prepareStatement("SELECT c.read_up_to, m.seq FROM conversation c "
                    + "LEFT JOIN message m ON m.id = c.read_up_to WHERE c.id = ?")) {
                q.setLong(1, conversationId);
                try (ResultSet rs = q.executeQuery()) {
                    rs.next();
                    mark = rs.getLong(1);
                    markSeq = rs.getLong(2);
                }
            }
            if (target == 0 || target == mark || (mark > 0 && seqOf(c, target) <= markSeq)) {
                return mark; // read already: the mark never moves back
            }
            try (PreparedStatement u = c.prepareStatement(
                    "UPDATE conversation SET read_up_to = ?, version = version + 1 WHERE id = ?")) {
                u.setLong(1, target);
                u.setLong(2, conversationId);
                u.executeUpdate();
            }
            TxLog log = new TxLog();
            log.event(ConversationEvent.Type.READ, conversationId, current.channel(), current.instance(),
                    current.department(), target, who, null);
            log.audit(who, "conversation.read", "conversation", conversationId, "up to message " + target);
            log.flush(c, jdbc, ids, Instant.now());
            return target;
        });
    }

    boolean typing(Scope scope, long conversationId, String actor, Instant since) {
        String who = Jdbc.cut(Objects.requireNonNull(actor, "actor"), MAX_NAME);
        return jdbc.inTransaction("say an agent types in conversation " + conversationId, c -> {
            // not locked: nothing of the conversation changes
            Current current = find(c, scope, conversationId, false);
            if (current.status() == ConversationStatus.RESOLVED) {
                throw new IllegalStateException("conversation " + conversationId + " is resolved");
            }
            // one row per agent and conversation, moved on only once the window passed (on whichever node)
            Instant now = Instant.now();
            try (PreparedStatement u = c.prepareStatement("UPDATE agent_typing SET at = ?, channel = ?, instance = ?, "
                    + "department_id = ? WHERE conversation_id = ? AND actor = ? AND at < ?")) {
                u.setTimestamp(1, Jdbc.ts(now));
                u.setString(2, current.channel());
                u.setString(3, current.instance());
                u.setString(4, current.department());
                u.setLong(5, conversationId);
                u.setString(6, who);
                u.setTimestamp(7, Jdbc.ts(since));
                if (u.executeUpdate() == 1) {
                    return true;
                }
            }
            try (PreparedStatement q = c.prepareStatement("SELECT 1 FROM agent_typing WHERE conversation_id = ? "
                    + "AND actor = ?")) {
                q.setLong(1, conversationId);
                q.setString(2, who);
                try (ResultSet rs = q.executeQuery()) {
                    if (rs.next()) {
                        return false; // said within the window
                    }
                }
            }
            try (PreparedStatement i = c.prepareStatement("INSERT INTO agent_typing (conversation_id, actor, channel, "
                    + "instance, department_id, at) VALUES (?, ?, ?, ?, ?, ?)")) {
                i.setLong(1, conversationId);
                i.setString(2, who);
                i.setString(3, current.channel());
                i.setString(4, current.instance());
                i.setString(5, current.department());
                i.setTimestamp(6, Jdbc.ts(now));
                i.executeUpdate();
            }
            return true;
        });
    }

    private static long messageOf(Connection c, long conversationId, long messageId) throws SQLException {
        try (PreparedStatement q = c.prepareStatement("SELECT id FROM message WHERE id = ? AND conversation_id = ?")) {
            q.setLong(1, messageId);
            q.setLong(2, conversationId);
            try (ResultSet rs = q.executeQuery()) {
                if (!rs.next()) {
                    throw new IllegalArgumentException("message " + messageId + " is not one of conversation "
                            + conversationId + "'s");
                }
                return messageId;
            }
        }
    }

    /** The conversation's latest message in commit order (seq), or null when it has none. */
    /**
     * Why a reply in the conversation's own door may not be sent (its customer opted out there: the conversation's
     * identity, or the author of its latest message, whom the reply answers), or null.
     */
    private static String recipientRefusal(Connection c, long conversationId, String channel) throws SQLException {
        try (PreparedStatement q = c.prepareStatement("SELECT ci.handle FROM customer_identity ci WHERE ci.channel = ? "
                + "AND (ci.id = (SELECT identity_id FROM conversation WHERE id = ?) OR ci.id = (SELECT m.identity_id "
                + "FROM message m WHERE m.conversation_id = ? ORDER BY m.seq DESC LIMIT 1))")) {
            q.setString(1, channel);
            q.setLong(2, conversationId);
            q.setLong(3, conversationId);
            for (String handle : Jdbc.strings(q)) {
                String refusal = ConsentStore.refusal(c, channel, handle);
                if (refusal != null) {
                    return refusal;
                }
            }
        }
        return null;
    }

    /** Why a stored reply may not be sent again (its recipient opted out), or null. */
    private static String replyRefusal(Connection c, long replyId) throws SQLException {
        try (PreparedStatement q = c.prepareStatement("SELECT r.conversation_id, r.channel, r.recipient_handle "
                + "FROM reply r WHERE r.id = ?")) {
            q.setLong(1, replyId);
            try (ResultSet rs = q.executeQuery()) {
                rs.next();
                String handle = rs.getString(3);
                return handle != null ? ConsentStore.refusal(c, rs.getString(2), handle)
                        : recipientRefusal(c, rs.getLong(1), rs.getString(2));
            }
        }
    }

    private static Long latestMessage(Connection c, long conversationId) throws SQLException {
        try (PreparedStatement q = c.prepareStatement("SELECT id FROM message WHERE conversation_id = ? "
                + "ORDER BY seq DESC LIMIT 1")) {
            q.setLong(1, conversationId);
            try (ResultSet rs = q.executeQuery()) {
                return rs.next() ? rs.getLong(1) : null;
            }
        }
    }

    private static long seqOf(Connection c, long messageId) throws SQLException {
        try (PreparedStatement q = c.prepareStatement("SELECT seq FROM message WHERE id = ?")) {
            q.setLong(1, messageId);
            try (ResultSet rs = q.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0;
            }
        }
    }

    /**
     * Takes the conversation's next item number: the update locks the row until the transaction ends, so a writer on
     * another node waits for this one's commit and then numbers after it.
     */
    private static long nextItemSeq(Connection c, long conversationId, Instant now) throws SQLException {
        try (PreparedStatement u = c.prepareStatement("UPDATE conversation SET item_seq = item_seq + 1, "
                + "last_activity_at = GREATEST(last_activity_at, ?) WHERE id = ?")) {
            u.setTimestamp(1, Jdbc.ts(now));
            u.setLong(2, conversationId);
            if (u.executeUpdate() != 1) {
                throw new NoSuchElementException("conversation " + conversationId + " does not exist");
            }
        }
        try (PreparedStatement q = c.prepareStatement("SELECT item_seq FROM conversation WHERE id = ?")) {
            q.setLong(1, conversationId);
            try (ResultSet rs = q.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** What a change did, for its event and audit row; {@code previousDepartment} the one a transfer left. */
    private record Change(ConversationEvent.Type type, String department, String detail, String action,
                          String auditDetail, String previousDepartment) {

        Change(ConversationEvent.Type type, String department, String detail, String action, String auditDetail) {
            this(type, department, detail, action, auditDetail, null);
        }
    }

    @FunctionalInterface
    private interface Step {
        Change apply(Connection c, Current current) throws SQLException;
    }

    private void change(Scope scope, long conversationId, String what, String actor, Step step) {
        String who = Jdbc.cut(Objects.requireNonNull(actor, "actor"), MAX_NAME);
        jdbc.inTransaction(what + " conversation " + conversationId, c -> {
            Current current = find(c, scope, conversationId, true);
            Change change = step.apply(c, current);
            if (change != null) {
                TxLog log = new TxLog();
                log.event(change.type(), conversationId, current.channel(), current.instance(), change.department(),
                        0, who, change.detail(), change.previousDepartment(), false);
                log.audit(who, change.action(), "conversation", conversationId, change.auditDetail());
                log.flush(c, jdbc, ids, Instant.now());
            }
            return null;
        });
    }

    private static void requireRouted(Current current, String verb) {
        if (current.status() == ConversationStatus.NEW) {
            throw new IllegalStateException("conversation " + current.id() + " is not routed yet and cannot be " + verb);
        }
        if (current.status() == ConversationStatus.RESOLVED) {
            throw new IllegalStateException("conversation " + current.id() + " is resolved and cannot be " + verb);
        }
    }

    /**
     * Sets columns where the status is still the one read: the row was read under lock, so this only guards against a
     * change in a database that would not lock.
     */
    private static void update(Connection c, Current current, String set, String value) throws SQLException {
        try (PreparedStatement u = c.prepareStatement("UPDATE conversation SET " + set + ", version = version + 1 "
                + "WHERE id = ? AND status = ?")) {
            int n = 1;
            if (value != null) {
                u.setString(n++, value);
            }
            u.setLong(n++, current.id());
            u.setString(n, current.status().name());
            if (u.executeUpdate() != 1) {
                throw new IllegalStateException("conversation " + current.id() + " changed meanwhile; try again");
            }
        }
    }

    /** The conversation, locked until the transaction ends if asked; absent when outside the scope. */
    /** Whether {@code recipient} is an identity the conversation's customer proved to own. */
    private static boolean provenBy(Connection c, long conversationId, Identity recipient) throws SQLException {
        try (PreparedStatement q = c.prepareStatement("SELECT 1 FROM customer_identity i JOIN conversation v "
                + "ON v.customer_id = i.customer_id WHERE v.id = ? AND i.handle = ? AND i.channel = ? "
                + "AND i.verified_at IS NOT NULL")) {
            q.setLong(1, conversationId);
            q.setString(2, recipient.handle());
            q.setString(3, recipient.channel());
            try (ResultSet rs = q.executeQuery()) {
                return rs.next();
            }
        }
    }

    private static Current find(Connection c, Scope scope, long id, boolean lock) throws SQLException {
        try (PreparedStatement q = c.prepareStatement("SELECT id, channel, instance, department_id, status, assignee "
                + "FROM conversation WHERE id = ?" + (lock ? " FOR UPDATE" : ""))) {
            q.setLong(1, id);
            try (ResultSet rs = q.executeQuery()) {
                if (!rs.next() || !scope.covers(rs.getString(4))) {
                    throw new NoSuchElementException("conversation " + id + " does not exist");
                }
                return new Current(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        ConversationStatus.valueOf(rs.getString(5)), rs.getString(6));
            }
        }
    }
}
