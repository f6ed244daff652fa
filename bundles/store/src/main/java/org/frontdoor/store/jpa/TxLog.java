package org.frontdoor.store.jpa;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.frontdoor.api.ConversationEvent;
import org.frontdoor.store.EventLogBusyException;
import org.frontdoor.store.jpa.SequenceIds.Sequence;

/**
 * What one transaction did, as events and audit rows, written by {@link #flush} as its last statements: the events
 * take their positions from the log's counter row, whose lock the transaction then holds until it commits. So
 * positions grow in the order the transactions commit, without gaps, whichever writer, pipeline or node committed.
 */
final class TxLog {

    static final String SYSTEM = "system";
    static final int MAX_DETAIL = 1000;
    static final int MAX_AUDIT_DETAIL = 2000;

    /** An event to write. */
    record Event(ConversationEvent.Type type, long conversationId, String channel, String instance, String department,
                 long itemId, String actor, String detail, String previousDepartment, boolean reopened) {
    }

    /** An audit row to write. */
    record Audit(String actor, String action, String subjectType, long subjectId, String detail) {
    }

    private final List<Event> events = new ArrayList<>();
    private final List<Audit> audits = new ArrayList<>();

    void event(ConversationEvent.Type type, long conversationId, String channel, String instance, String department,
               long itemId, String actor, String detail) {
        event(type, conversationId, channel, instance, department, itemId, actor, detail, null, false);
    }

    /** An event with the department a transfer left, or saying that a routing routes a reopened conversation again. */
    void event(ConversationEvent.Type type, long conversationId, String channel, String instance, String department,
               long itemId, String actor, String detail, String previousDepartment, boolean reopened) {
        events.add(new Event(type, conversationId, channel, instance, department, itemId, actor,
                Jdbc.cut(detail, MAX_DETAIL), previousDepartment, reopened));
    }

    /** The events written so far. */
    int eventCount() {
        return events.size();
    }

    void audit(String actor, String action, String subjectType, long subjectId, String detail) {
        audits.add(new Audit(actor, action, subjectType, subjectId, Jdbc.cut(detail, MAX_AUDIT_DETAIL)));
    }

    /**
     * Writes the audit rows, then the events; call it last, just before the commit. The wait for the event log's counter
     * row has its own bound ({@link Jdbc#EVENT_LOG_LOCK_WAIT_MILLIS}): running out of it throws
     * {@link EventLogBusyException}, never the lock timeout a held conversation gives.
     */
    void flush(Connection c, Jdbc jdbc, SequenceIds ids, Instant now) throws SQLException {
        if (events.isEmpty() && audits.isEmpty()) {
            return;
        }
        if (events.isEmpty()) {
            write(c, jdbc, ids, now);
            return;
        }
        long counterWait = jdbc.eventLogLockWaitMillis;
        jdbc.lockWait(c, counterWait);
        try {
            write(c, jdbc, ids, now);
        } catch (SQLException e) {
            if (Jdbc.isLockTimeout(e)) {
                throw new EventLogBusyException("the event log's counter stayed held by other writers for more than "
                        + counterWait / 1000 + " s: the database takes more event-writing "
                        + "transactions than it commits (see docs/events.md, 'How many changes a second'); nothing "
                        + "was written", e);
            }
            throw e;
        }
    }

    private void write(Connection c, Jdbc jdbc, SequenceIds ids, Instant now) throws SQLException {
        long[] auditIds = audits.isEmpty() ? new long[0]
                : ids.take(c, Map.of(Sequence.AUDIT_EVENT, audits.size())).get(Sequence.AUDIT_EVENT);
        if (jdbc.postgresql()) {
            flushPostgresql(c, auditIds, now);
            return;
        }
        List<Object[]> auditRows = new ArrayList<>(audits.size());
        for (int i = 0; i < audits.size(); i++) {
            auditRows.add(new Object[] {auditIds[i], audits.get(i)});
        }
        jdbc.insert(c, "audit_event", auditRows,
                new Jdbc.Column<>("id", "bigint", r -> r[0]),
                new Jdbc.Column<>("at", "timestamptz", r -> now),
                new Jdbc.Column<>("actor", "varchar", r -> audit(r).actor()),
                new Jdbc.Column<>("action", "varchar", r -> audit(r).action()),
                new Jdbc.Column<>("subject_type", "varchar", r -> audit(r).subjectType()),
                new Jdbc.Column<>("subject_id", "bigint", r -> audit(r).subjectId()),
                new Jdbc.Column<>("detail", "varchar", r -> audit(r).detail()));
        if (events.isEmpty()) {
            return;
        }
        long last = advanceHead(c, events.size());
        long first = last - events.size() + 1;
        List<Object[]> rows = new ArrayList<>(events.size());
        for (int i = 0; i < events.size(); i++) {
            rows.add(new Object[] {first + i, events.get(i)});
        }
        jdbc.insert(c, "conversation_event", rows,
                new Jdbc.Column<>("position", "bigint", r -> r[0]),
                new Jdbc.Column<>("event_type", "varchar", r -> event(r).type().name()),
                new Jdbc.Column<>("conversation_id", "bigint", r -> event(r).conversationId()),
                new Jdbc.Column<>("channel", "varchar", r -> event(r).channel()),
                new Jdbc.Column<>("instance", "varchar", r -> event(r).instance()),
                new Jdbc.Column<>("department_id", "varchar", r -> event(r).department()),
                new Jdbc.Column<>("item_id", "bigint", r -> event(r).itemId()),
                new Jdbc.Column<>("actor", "varchar", r -> event(r).actor()),
                new Jdbc.Column<>("at", "timestamptz", r -> now),
                new Jdbc.Column<>("detail", "varchar", r -> event(r).detail()),
                new Jdbc.Column<>("previous_department_id", "varchar", r -> event(r).previousDepartment()),
                new Jdbc.Column<>("reopened", "boolean", r -> event(r).reopened()));
    }

    /**
     * On PostgreSQL, one statement: the audit rows, the counter row's advance and the events at the positions it gives
     * (data-modifying parts of one WITH run together), one round trip where three would do.
     */
    private void flushPostgresql(Connection c, long[] auditIds, Instant now) throws SQLException {
        StringBuilder sql = new StringBuilder("WITH ");
        if (!audits.isEmpty()) {
            sql.append("audit AS (INSERT INTO audit_event (id, actor, action, subject_type, subject_id, detail, at) "
                    + "SELECT u.*, ?::timestamptz FROM unnest(?::bigint[], ?::varchar[], ?::varchar[], ?::varchar[], "
                    + "?::bigint[], ?::varchar[]) AS u), ");
        }
        sql.append("head AS (UPDATE event_log_head SET position = position + ? WHERE id = 1 RETURNING position) "
                + "INSERT INTO conversation_event (position, event_type, conversation_id, channel, instance, "
                + "department_id, item_id, actor, at, detail, previous_department_id, reopened) SELECT "
                + "head.position - ? + u.n, u.event_type, u.conversation_id, u.channel, u.instance, u.department_id, "
                + "u.item_id, u.actor, ?::timestamptz, u.detail, u.previous_department_id, u.reopened FROM head, "
                + "unnest(?::varchar[], ?::bigint[], ?::varchar[], ?::varchar[], ?::varchar[], ?::bigint[], "
                + "?::varchar[], ?::varchar[], ?::varchar[], ?::boolean[]) WITH ORDINALITY AS u (event_type, "
                + "conversation_id, channel, instance, department_id, item_id, actor, detail, previous_department_id, "
                + "reopened, n)");
        try (PreparedStatement p = c.prepareStatement(sql.toString())) {
            int n = 1;
            String at = now.toString(); // an ISO-8601 instant with its zone: the session's time zone plays no part
            if (!audits.isEmpty()) {
                p.setString(n++, at);
                p.setArray(n++, c.createArrayOf("bigint", java.util.Arrays.stream(auditIds).boxed().toArray()));
                p.setArray(n++, Jdbc.array(c, "varchar", audits, Audit::actor));
                p.setArray(n++, Jdbc.array(c, "varchar", audits, Audit::action));
                p.setArray(n++, Jdbc.array(c, "varchar", audits, Audit::subjectType));
                p.setArray(n++, Jdbc.array(c, "bigint", audits, Audit::subjectId));
                p.setArray(n++, Jdbc.array(c, "varchar", audits, Audit::detail));
            }
            p.setLong(n++, events.size());
            p.setLong(n++, events.size());
            p.setString(n++, at);
            p.setArray(n++, Jdbc.array(c, "varchar", events, e -> e.type().name()));
            p.setArray(n++, Jdbc.array(c, "bigint", events, Event::conversationId));
            p.setArray(n++, Jdbc.array(c, "varchar", events, Event::channel));
            p.setArray(n++, Jdbc.array(c, "varchar", events, Event::instance));
            p.setArray(n++, Jdbc.array(c, "varchar", events, Event::department));
            p.setArray(n++, Jdbc.array(c, "bigint", events, Event::itemId));
            p.setArray(n++, Jdbc.array(c, "varchar", events, Event::actor));
            p.setArray(n++, Jdbc.array(c, "varchar", events, Event::detail));
            p.setArray(n++, Jdbc.array(c, "varchar", events, Event::previousDepartment));
            p.setArray(n, Jdbc.array(c, "boolean", events, Event::reopened));
            p.executeUpdate();
        }
    }

    private static Audit audit(Object[] row) {
        return (Audit) row[1];
    }

    private static Event event(Object[] row) {
        return (Event) row[1];
    }

    /** Takes {@code n} positions from the counter row, whose lock this transaction holds until it ends (H2). */
    private static long advanceHead(Connection c, int n) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("UPDATE event_log_head SET position = position + ? WHERE id = 1")) {
            p.setLong(1, n);
            p.executeUpdate();
        }
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT position FROM event_log_head WHERE id = 1")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
