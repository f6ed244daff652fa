package org.frontdoor.store.jpa;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.frontdoor.api.CallbackTask;
import org.frontdoor.api.ConversationEvent;
import org.frontdoor.api.inbox.ReplyStatus;
import org.frontdoor.store.SlaStore;
import org.frontdoor.store.SlaStore.Kind;
import org.frontdoor.store.SlaStore.Timer;
import org.frontdoor.store.jpa.SequenceIds.Sequence;

/**
 * SLA timers' transactions (see {@link SlaStore}). A worker's claim is fenced: {@link #fire} writes only where the
 * timer is still running under the claim's fence, and writes the step, its events, audit and escalation together, so
 * each step is taken once whatever the workers, their speed and their crashes.
 */
final class SlaWrites {

    /** Channels whose handle is a phone number. */
    static final Set<String> PHONE_CHANNELS = Set.of("sms", "phone", "voice", "whatsapp", "signal");
    static final String NO_NUMBER = "no number known: the customer has no phone number in Frontdoor";
    private static final String TIMER_COLUMNS = "id, conversation_id, kind, department_id, started_at, target_minutes, "
            + "warn_at, due_at, next_at, step, claimed_by, fence";

    private final Jdbc jdbc;
    private final SequenceIds ids;

    SlaWrites(Jdbc jdbc, SequenceIds ids) {
        this.jdbc = jdbc;
        this.ids = ids;
    }

    Optional<SlaStore.Subject> subject(long conversationId) {
        return jdbc.inTransaction("read conversation " + conversationId + " for its SLA", c -> {
            try (PreparedStatement q = c.prepareStatement("SELECT department_id, priority, status FROM conversation "
                    + "WHERE id = ?")) {
                q.setLong(1, conversationId);
                try (ResultSet rs = q.executeQuery()) {
                    return rs.next() ? Optional.of(new SlaStore.Subject(conversationId, rs.getString(1), rs.getInt(2),
                            "RESOLVED".equals(rs.getString(3)))) : Optional.empty();
                }
            }
        });
    }

    int start(long conversationId, String department, long position, Instant startedAt,
              List<SlaStore.NewTimer> timers) {
        return jdbc.inTransaction("start SLA timers of conversation " + conversationId, c -> {
            try (PreparedStatement u = c.prepareStatement("UPDATE sla_timer SET state = 'STOPPED', "
                    + "stopped_position = ?, next_at = NULL, claimed_by = NULL, lease_until = NULL "
                    + "WHERE conversation_id = ? AND state = 'RUNNING' AND started_position < ?")) {
                u.setLong(1, position);
                u.setLong(2, conversationId);
                u.setLong(3, position);
                u.executeUpdate();
            }
            int started = 0;
            for (SlaStore.NewTimer t : timers) {
                try (PreparedStatement q = c.prepareStatement("SELECT 1 FROM sla_timer WHERE conversation_id = ? "
                        + "AND kind = ? AND started_position = ?")) {
                    q.setLong(1, conversationId);
                    q.setString(2, t.kind().name());
                    q.setLong(3, position);
                    try (ResultSet rs = q.executeQuery()) {
                        if (rs.next()) {
                            continue; // this event started it already: delivered again
                        }
                    }
                }
                boolean warns = t.warnAt() != null && t.warnAt().isBefore(t.dueAt());
                try (PreparedStatement i = c.prepareStatement("INSERT INTO sla_timer (conversation_id, kind, "
                        + "department_id, started_position, started_at, target_minutes, warn_at, due_at, next_at, step, "
                        + "state, fence) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'RUNNING', 0)")) {
                    i.setLong(1, conversationId);
                    i.setString(2, t.kind().name());
                    i.setString(3, department);
                    i.setLong(4, position);
                    i.setTimestamp(5, Jdbc.ts(startedAt));
                    i.setInt(6, t.targetMinutes());
                    i.setTimestamp(7, Jdbc.ts(warns ? t.warnAt() : null));
                    i.setTimestamp(8, Jdbc.ts(t.dueAt()));
                    i.setTimestamp(9, Jdbc.ts(warns ? t.warnAt() : t.dueAt()));
                    i.setInt(10, warns ? 0 : 1);
                    i.executeUpdate();
                }
                started++;
            }
            return started;
        });
    }

    int stop(long conversationId, Set<Kind> kinds, long position) {
        if (kinds.isEmpty()) {
            return 0;
        }
        return jdbc.inTransaction("stop SLA timers of conversation " + conversationId, c -> {
            try (PreparedStatement u = c.prepareStatement("UPDATE sla_timer SET state = 'STOPPED', "
                    + "stopped_position = ?, next_at = NULL, claimed_by = NULL, lease_until = NULL "
                    + "WHERE conversation_id = ? AND state = 'RUNNING' AND started_position < ? AND kind = ANY(?)")) {
                u.setLong(1, position);
                u.setLong(2, conversationId);
                u.setLong(3, position);
                u.setArray(4, c.createArrayOf("varchar", kinds.stream().map(Kind::name).toArray()));
                return u.executeUpdate();
            }
        });
    }

    List<Timer> claim(String node, Instant now, Instant leaseUntil, int limit) {
        return jdbc.inTransaction("claim due SLA timers", c -> {
            List<Long> claimed;
            try (PreparedStatement q = c.prepareStatement("SELECT id FROM sla_timer WHERE state = 'RUNNING' "
                    + "AND next_at <= ? AND (lease_until IS NULL OR lease_until < ?) ORDER BY next_at, id LIMIT ? "
                    + "FOR UPDATE SKIP LOCKED")) {
                q.setTimestamp(1, Jdbc.ts(now));
                q.setTimestamp(2, Jdbc.ts(now));
                q.setInt(3, limit);
                claimed = Jdbc.ids(q);
            }
            if (claimed.isEmpty()) {
                return List.of();
            }
            try (PreparedStatement u = c.prepareStatement("UPDATE sla_timer SET claimed_by = ?, lease_until = ?, "
                    + "fence = fence + 1 WHERE id = ANY(?)")) {
                u.setString(1, node);
                u.setTimestamp(2, Jdbc.ts(leaseUntil));
                u.setArray(3, c.createArrayOf("bigint", claimed.toArray()));
                u.executeUpdate();
            }
            try (PreparedStatement q = c.prepareStatement("SELECT " + TIMER_COLUMNS + " FROM sla_timer "
                    + "WHERE id = ANY(?) ORDER BY next_at, id")) {
                q.setArray(1, c.createArrayOf("bigint", claimed.toArray()));
                return timers(q);
            }
        });
    }

    List<Timer> running(long conversationId) {
        return jdbc.inTransaction("read SLA timers of conversation " + conversationId, c -> {
            try (PreparedStatement q = c.prepareStatement("SELECT " + TIMER_COLUMNS + " FROM sla_timer "
                    + "WHERE conversation_id = ? AND state = 'RUNNING' ORDER BY due_at, id")) {
                q.setLong(1, conversationId);
                return timers(q);
            }
        });
    }

    private static List<Timer> timers(PreparedStatement q) throws SQLException {
        List<Timer> out = new ArrayList<>();
        try (ResultSet rs = q.executeQuery()) {
            while (rs.next()) {
                out.add(new Timer(rs.getLong(1), rs.getLong(2), Kind.valueOf(rs.getString(3)), rs.getString(4),
                        Jdbc.instant(rs, "started_at"), rs.getInt(6), Jdbc.instant(rs, "warn_at"),
                        Jdbc.instant(rs, "due_at"), Jdbc.instant(rs, "next_at"), rs.getInt(10), rs.getString(11),
                        rs.getLong(12)));
            }
        }
        return out;
    }

    boolean fire(Timer t, SlaStore.Firing f, Instant now) {
        return jdbc.inTransaction("fire SLA timer " + t.id(), c -> {
            // the conversation first, as every writer of a conversation takes it, then the timer under its fence
            String channel;
            String instance;
            String department;
            long customerId;
            boolean resolved;
            try (PreparedStatement q = c.prepareStatement("SELECT channel, instance, department_id, customer_id, "
                    + "status FROM conversation WHERE id = ? FOR UPDATE")) {
                q.setLong(1, t.conversationId());
                try (ResultSet rs = q.executeQuery()) {
                    if (!rs.next()) {
                        return stopUnder(c, t);
                    }
                    channel = rs.getString(1);
                    instance = rs.getString(2);
                    department = rs.getString(3);
                    customerId = rs.getLong(4);
                    resolved = "RESOLVED".equals(rs.getString(5));
                }
            }
            if (resolved || !t.department().equals(department)) {
                // resolved or moved meanwhile: the event log stops or restarts it; it does nothing more
                return stopUnder(c, t);
            }
            boolean transfer = f.escalation() != null && f.escalation().department() != null
                    && !f.escalation().department().equals(department);
            // a claim is good for one step: the fence moves on with it, so the same claim recorded twice (a retry
            // after a lost commit acknowledgement) is refused like a claim taken over
            try (PreparedStatement u = c.prepareStatement("UPDATE sla_timer SET step = ?, next_at = ?, state = ?, "
                    + "claimed_by = NULL, lease_until = NULL, fence = fence + 1 WHERE id = ? AND fence = ? "
                    + "AND state = 'RUNNING'")) {
                boolean done = f.nextAt() == null || transfer;
                u.setInt(1, f.nextStep());
                u.setTimestamp(2, Jdbc.ts(done ? null : f.nextAt()));
                u.setString(3, done ? "DONE" : "RUNNING");
                u.setLong(4, t.id());
                u.setLong(5, t.fence());
                if (u.executeUpdate() != 1) {
                    return false; // another worker's claim, or stopped: this one records nothing
                }
            }
            TxLog log = new TxLog();
            String what = t.kind().id() + ", due " + t.dueAt();
            if (f.warn()) {
                log.event(ConversationEvent.Type.SLA_WARNING, t.conversationId(), channel, instance, department,
                        t.id(), TxLog.SYSTEM, what);
                log.audit(TxLog.SYSTEM, "sla.warning", "conversation", t.conversationId(),
                        "timer " + t.id() + ": " + what);
            }
            if (f.breach()) {
                log.event(ConversationEvent.Type.SLA_BREACHED, t.conversationId(), channel, instance, department,
                        t.id(), TxLog.SYSTEM, what);
                log.audit(TxLog.SYSTEM, "sla.breached", "conversation", t.conversationId(),
                        "timer " + t.id() + ": " + what);
            }
            SlaStore.Escalation e = f.escalation();
            if (e != null) {
                String detail;
                if (e.department() != null) {
                    if (!transfer) {
                        detail = t.kind().id() + ": already in " + e.department() + ", no transfer";
                    } else {
                        Departments.ensure(c, jdbc, List.of(e.department()), now);
                        try (PreparedStatement u = c.prepareStatement("UPDATE conversation SET status = 'QUEUED', "
                                + "assignee = NULL, department_id = ?, version = version + 1 WHERE id = ?")) {
                            u.setString(1, e.department());
                            u.setLong(2, t.conversationId());
                            u.executeUpdate();
                        }
                        // the other timers of the old department stop with it; the transfer's event starts new ones
                        try (PreparedStatement u = c.prepareStatement("UPDATE sla_timer SET state = 'STOPPED', "
                                + "next_at = NULL, claimed_by = NULL, lease_until = NULL "
                                + "WHERE conversation_id = ? AND state = 'RUNNING'")) {
                            u.setLong(1, t.conversationId());
                            u.executeUpdate();
                        }
                        detail = t.kind().id() + ": transferred to " + e.department();
                        log.event(ConversationEvent.Type.ESCALATED, t.conversationId(), channel, instance, department,
                                t.id(), TxLog.SYSTEM, detail);
                        log.event(ConversationEvent.Type.TRANSFERRED, t.conversationId(), channel, instance,
                                e.department(), 0, TxLog.SYSTEM, "from " + department, department, false);
                        log.audit(TxLog.SYSTEM, "conversation.transferred", "conversation", t.conversationId(),
                                "from " + department + " to " + e.department() + " by SLA escalation (timer "
                                        + t.id() + ")");
                        detail = null;
                    }
                } else if (e.callback()) {
                    String[] phone = phone(c, customerId);
                    String note = "call the customer back: " + t.kind().id() + " target of " + department
                            + " breached (due " + t.dueAt() + ")"
                            + (phone[0] == null ? "; " + NO_NUMBER : "; number from their " + phone[1] + " identity");
                    try (PreparedStatement i = c.prepareStatement("INSERT INTO callback_task (conversation_id, "
                            + "department_id, customer_id, customer_name, phone, note, timer_id, step, state, "
                            + "created_at) VALUES (?, ?, ?, (SELECT display_name FROM customer WHERE id = ?), ?, ?, ?, "
                            + "?, 'OPEN', ?)")) {
                        i.setLong(1, t.conversationId());
                        i.setString(2, department);
                        i.setLong(3, customerId);
                        i.setLong(4, customerId);
                        i.setString(5, phone[0]);
                        i.setString(6, Jdbc.cut(note, 1000));
                        i.setLong(7, t.id());
                        i.setInt(8, f.nextStep());
                        i.setTimestamp(9, Jdbc.ts(now));
                        i.executeUpdate();
                    }
                    detail = t.kind().id() + ": callback task"
                            + (phone[0] == null ? ", " + NO_NUMBER : " to the customer's " + phone[1] + " number");
                } else {
                    detail = t.kind().id() + ": supervisors of " + department + " told: " + e.supervisors();
                }
                if (detail != null) {
                    log.event(ConversationEvent.Type.ESCALATED, t.conversationId(), channel, instance, department,
                            t.id(), TxLog.SYSTEM, detail);
                    log.audit(TxLog.SYSTEM, "sla.escalated", "conversation", t.conversationId(),
                            "timer " + t.id() + ": " + detail);
                }
            }
            log.flush(c, jdbc, ids, now);
            return true;
        });
    }

    /** Stops a timer this claim still holds, without events; false when the claim is not its own any more. */
    private static boolean stopUnder(Connection c, Timer t) throws SQLException {
        try (PreparedStatement u = c.prepareStatement("UPDATE sla_timer SET state = 'STOPPED', next_at = NULL, "
                + "claimed_by = NULL, lease_until = NULL WHERE id = ? AND fence = ? AND state = 'RUNNING'")) {
            u.setLong(1, t.id());
            u.setLong(2, t.fence());
            return u.executeUpdate() == 1;
        }
    }

    /**
     * The customer's phone number and where it comes from: an identity's phone number, else the handle of an identity
     * on a phone or SMS door; {null, null} when none is known.
     */
    private static String[] phone(Connection c, long customerId) throws SQLException {
        try (PreparedStatement q = c.prepareStatement("SELECT channel, handle, phone FROM customer_identity "
                + "WHERE customer_id = ? ORDER BY id")) {
            q.setLong(1, customerId);
            String[] fromHandle = {null, null};
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    String number = rs.getString(3);
                    if (number != null && !number.isBlank()) {
                        return new String[] {number.strip(), rs.getString(1)};
                    }
                    if (fromHandle[0] == null && PHONE_CHANNELS.contains(rs.getString(1).toLowerCase(java.util.Locale.ROOT))) {
                        fromHandle = new String[] {rs.getString(2), rs.getString(1)};
                    }
                }
            }
            return fromHandle;
        }
    }

    List<CallbackTask> callbacks(org.frontdoor.api.Scope scope, boolean openOnly, int limit) {
        if (!scope.all() && scope.departments().isEmpty()) {
            return List.of();
        }
        List<String> departments = scope.all() ? List.of() : List.copyOf(scope.departments());
        List<String> where = new ArrayList<>();
        if (openOnly) {
            where.add("state = 'OPEN'");
        }
        if (!scope.all()) {
            where.add("department_id IN (" + String.join(", ", java.util.Collections.nCopies(departments.size(), "?"))
                    + ")");
        }
        return jdbc.inTransaction("list callback tasks", c -> {
            try (PreparedStatement q = c.prepareStatement("SELECT id, conversation_id, department_id, customer_id, "
                    + "customer_name, phone, note, created_at, done_by, done_at, call_id, called_by, called_at FROM callback_task"
                    + (where.isEmpty() ? "" : " WHERE " + String.join(" AND ", where)) + " ORDER BY id DESC LIMIT ?")) {
                int i = 1;
                for (String department : departments) {
                    q.setString(i++, department);
                }
                q.setInt(i, limit);
                List<CallbackTask> out = new ArrayList<>();
                try (ResultSet rs = q.executeQuery()) {
                    while (rs.next()) {
                        out.add(task(rs));
                    }
                }
                return out;
            }
        });
    }

    private static CallbackTask task(ResultSet rs) throws SQLException {
        return new CallbackTask(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getLong(4), rs.getString(5),
                rs.getString(6), rs.getString(7), Jdbc.instant(rs, "created_at"), rs.getString(9),
                Jdbc.instant(rs, "done_at"), rs.getString(11), rs.getString(12), Jdbc.instant(rs, "called_at"));
    }

    Optional<CallbackTask> callback(long id) {
        return jdbc.inTransaction("read callback task " + id, c -> {
            try (PreparedStatement q = c.prepareStatement("SELECT id, conversation_id, department_id, customer_id, "
                    + "customer_name, phone, note, created_at, done_by, done_at, call_id, called_by, called_at FROM callback_task WHERE id = ?")) {
                q.setLong(1, id);
                try (ResultSet rs = q.executeQuery()) {
                    return rs.next() ? Optional.of(task(rs)) : Optional.<CallbackTask>empty();
                }
            }
        });
    }

    Optional<CallbackTask> callbackDone(long id, String actor, Instant at) {
        String who = Jdbc.cut(actor, InboxWrites.MAX_NAME);
        return jdbc.inTransaction("mark callback task " + id + " done", c -> {
            long conversationId;
            try (PreparedStatement q = c.prepareStatement("SELECT conversation_id, state FROM callback_task "
                    + "WHERE id = ? FOR UPDATE")) {
                q.setLong(1, id);
                try (ResultSet rs = q.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.empty();
                    }
                    if (!"OPEN".equals(rs.getString(2))) {
                        throw new IllegalStateException("callback task " + id + " is done already");
                    }
                    conversationId = rs.getLong(1);
                }
            }
            try (PreparedStatement u = c.prepareStatement("UPDATE callback_task SET state = 'DONE', done_by = ?, "
                    + "done_at = ? WHERE id = ?")) {
                u.setString(1, who);
                u.setTimestamp(2, Jdbc.ts(at));
                u.setLong(3, id);
                u.executeUpdate();
            }
            TxLog log = new TxLog();
            log.audit(who, "callback.done", "conversation", conversationId, "callback task " + id);
            log.flush(c, jdbc, ids, at);
            try (PreparedStatement q = c.prepareStatement("SELECT id, conversation_id, department_id, customer_id, "
                    + "customer_name, phone, note, created_at, done_by, done_at, call_id, called_by, called_at FROM callback_task WHERE id = ?")) {
                q.setLong(1, id);
                try (ResultSet rs = q.executeQuery()) {
                    rs.next();
                    return Optional.of(task(rs));
                }
            }
        });
    }

    Optional<CallbackTask> callbackCalled(long id, String door, String callId, String actor, Instant at) {
        String who = Jdbc.cut(actor, InboxWrites.MAX_NAME);
        return jdbc.inTransaction("record the call of callback task " + id, c -> {
            long conversationId;
            String department;
            try (PreparedStatement q = c.prepareStatement("SELECT conversation_id, department_id, state "
                    + "FROM callback_task WHERE id = ? FOR UPDATE")) {
                q.setLong(1, id);
                try (ResultSet rs = q.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.empty();
                    }
                    conversationId = rs.getLong(1);
                    department = rs.getString(2);
                }
            }
            try (PreparedStatement u = c.prepareStatement("UPDATE callback_task SET call_id = ?, called_by = ?, "
                    + "called_at = ? WHERE id = ?")) {
                u.setString(1, callId);
                u.setString(2, who);
                u.setTimestamp(3, Jdbc.ts(at));
                u.setLong(4, id);
                u.executeUpdate();
            }
            String[] where = conversationDoor(c, conversationId);
            String detail = "callback task " + id + ": call " + callId + " placed through " + door;
            TxLog log = new TxLog();
            log.event(ConversationEvent.Type.CALL_PLACED, conversationId, where[0], where[1], department, id, who,
                    detail);
            log.audit(who, "callback.called", "conversation", conversationId, detail);
            log.flush(c, jdbc, ids, at);
            return Optional.of(readTask(c, id));
        });
    }

    void callbackCallFailed(long id, long conversationId, String door, String reason, String actor, Instant at) {
        String who = Jdbc.cut(actor, InboxWrites.MAX_NAME);
        jdbc.inTransaction("audit the failed call of callback task " + id, c -> {
            TxLog log = new TxLog();
            log.audit(who, "callback.call-failed", "conversation", conversationId, "callback task " + id + ": "
                    + (door == null ? "" : door + ": ") + reason);
            log.flush(c, jdbc, ids, at);
            return null;
        });
    }

    /** The channel and instance of a conversation, {null, null} when it is gone. */
    private static String[] conversationDoor(Connection c, long conversationId) throws SQLException {
        try (PreparedStatement q = c.prepareStatement("SELECT channel, instance FROM conversation WHERE id = ?")) {
            q.setLong(1, conversationId);
            try (ResultSet rs = q.executeQuery()) {
                return rs.next() ? new String[] {rs.getString(1), rs.getString(2)} : new String[] {null, null};
            }
        }
    }

    private static CallbackTask readTask(Connection c, long id) throws SQLException {
        try (PreparedStatement q = c.prepareStatement("SELECT id, conversation_id, department_id, customer_id, "
                + "customer_name, phone, note, created_at, done_by, done_at, call_id, called_by, called_at "
                + "FROM callback_task WHERE id = ?")) {
            q.setLong(1, id);
            try (ResultSet rs = q.executeQuery()) {
                rs.next();
                return task(rs);
            }
        }
    }

    Optional<Long> closedReply(long conversationId, String department, String text, Instant at) {
        return jdbc.inTransaction("acknowledge conversation " + conversationId + " out of hours", c -> {
            String channel;
            String instance;
            try (PreparedStatement q = c.prepareStatement("SELECT channel, instance, department_id FROM conversation "
                    + "WHERE id = ? FOR UPDATE")) {
                q.setLong(1, conversationId);
                try (ResultSet rs = q.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.<Long>empty();
                    }
                    channel = rs.getString(1);
                    instance = rs.getString(2);
                }
            }
            try (PreparedStatement q = c.prepareStatement("SELECT 1 FROM closed_reply WHERE conversation_id = ?")) {
                q.setLong(1, conversationId);
                try (ResultSet rs = q.executeQuery()) {
                    if (rs.next()) {
                        return Optional.<Long>empty(); // sent once already
                    }
                }
            }
            Long last = null;
            try (PreparedStatement q = c.prepareStatement("SELECT id FROM message WHERE conversation_id = ? "
                    + "ORDER BY seq DESC LIMIT 1")) {
                q.setLong(1, conversationId);
                try (ResultSet rs = q.executeQuery()) {
                    if (rs.next()) {
                        last = rs.getLong(1);
                    }
                }
            }
            if (last == null) {
                return Optional.<Long>empty();
            }
            try (PreparedStatement q = c.prepareStatement("SELECT 1 FROM message_annotation WHERE message_id = ? "
                    + "AND name = 'auto-submitted'")) {
                q.setLong(1, last);
                try (ResultSet rs = q.executeQuery()) {
                    if (rs.next()) {
                        return Optional.<Long>empty(); // never to a machine: no mail loop
                    }
                }
            }
            long seq;
            try (PreparedStatement u = c.prepareStatement("UPDATE conversation SET item_seq = item_seq + 1 "
                    + "WHERE id = ?")) {
                u.setLong(1, conversationId);
                u.executeUpdate();
            }
            try (PreparedStatement q = c.prepareStatement("SELECT item_seq FROM conversation WHERE id = ?")) {
                q.setLong(1, conversationId);
                try (ResultSet rs = q.executeQuery()) {
                    rs.next();
                    seq = rs.getLong(1);
                }
            }
            long replyId = ids.take(c, Map.of(Sequence.REPLY, 1)).get(Sequence.REPLY)[0];
            Long inReplyTo = last;
            jdbc.insert(c, "reply", List.of(replyId),
                    new Jdbc.Column<>("id", "bigint", id -> id),
                    new Jdbc.Column<>("conversation_id", "bigint", id -> conversationId),
                    new Jdbc.Column<>("seq", "bigint", id -> seq),
                    new Jdbc.Column<>("channel", "varchar", id -> channel),
                    new Jdbc.Column<>("instance", "varchar", id -> instance),
                    new Jdbc.Column<>("body", "text", id -> text),
                    new Jdbc.Column<>("visibility", "varchar", id -> "PUBLIC"),
                    new Jdbc.Column<>("author", "varchar", id -> TxLog.SYSTEM),
                    new Jdbc.Column<>("status", "varchar", id -> ReplyStatus.QUEUED.name()),
                    new Jdbc.Column<>("attempts", "integer", id -> 0),
                    new Jdbc.Column<>("created_at", "timestamptz", id -> at),
                    new Jdbc.Column<>("next_attempt_at", "timestamptz", id -> at),
                    new Jdbc.Column<>("in_reply_to_message_id", "bigint", id -> inReplyTo),
                    new Jdbc.Column<>("version", "bigint", id -> 1L));
            try (PreparedStatement i = c.prepareStatement("INSERT INTO closed_reply (conversation_id, reply_id, "
                    + "department_id, created_at) VALUES (?, ?, ?, ?)")) {
                i.setLong(1, conversationId);
                i.setLong(2, replyId);
                i.setString(3, department);
                i.setTimestamp(4, Jdbc.ts(at));
                i.executeUpdate();
            }
            TxLog log = new TxLog();
            log.event(ConversationEvent.Type.REPLIED, conversationId, channel, instance, department, replyId,
                    TxLog.SYSTEM, "public; out of hours");
            log.audit(TxLog.SYSTEM, "reply.queued", "conversation", conversationId, "reply " + replyId
                    + ": out-of-hours acknowledgement of " + department);
            log.flush(c, jdbc, ids, at);
            return Optional.of(replyId);
        });
    }
}
