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
                 long itemId, String actor, String detail) {
    }

    /** An audit row to write. */
    record Audit(String actor, String action, String subjectType, long subjectId, String detail) {
    }

    private final List<Event> events = new ArrayList<>();
    private final List<Audit> audits = new ArrayList<>();

    void event(ConversationEvent.Type type, long conversationId, String channel, String instance, String department,
               long itemId, String actor, String detail) {
        events.add(new Event(type, conversationId, channel, instance, department, itemId, actor,
                Jdbc.cut(detail, MAX_DETAIL)));
    }

    void audit(String actor, String action, String subjectType, long subjectId, String detail) {
        audits.add(new Audit(actor, action, subjectType, subjectId, Jdbc.cut(detail, MAX_AUDIT_DETAIL)));
    }

    boolean isEmpty() {
        return events.isEmpty() && audits.isEmpty();
    }

    int events() {
        return events.size();
    }

    /** Writes the audit rows, then the events; call it last, just before the commit. Returns the last position. */
    long flush(Connection c, Jdbc jdbc, SequenceIds ids, Instant now) throws SQLException {
        if (!audits.isEmpty()) {
            long[] auditIds = ids.take(c, Map.of(Sequence.AUDIT_EVENT, audits.size())).get(Sequence.AUDIT_EVENT);
            List<Object[]> rows = new ArrayList<>(audits.size());
            for (int i = 0; i < audits.size(); i++) {
                rows.add(new Object[] {auditIds[i], audits.get(i)});
            }
            jdbc.insert(c, "audit_event", rows,
                    new Jdbc.Column<>("id", "bigint", r -> r[0]),
                    new Jdbc.Column<>("at", "timestamptz", r -> now),
                    new Jdbc.Column<>("actor", "varchar", r -> audit(r).actor()),
                    new Jdbc.Column<>("action", "varchar", r -> audit(r).action()),
                    new Jdbc.Column<>("subject_type", "varchar", r -> audit(r).subjectType()),
                    new Jdbc.Column<>("subject_id", "bigint", r -> audit(r).subjectId()),
                    new Jdbc.Column<>("detail", "varchar", r -> audit(r).detail()));
        }
        if (events.isEmpty()) {
            return 0;
        }
        long last = advanceHead(c, jdbc, events.size());
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
                new Jdbc.Column<>("detail", "varchar", r -> event(r).detail()));
        return last;
    }

    private static Audit audit(Object[] row) {
        return (Audit) row[1];
    }

    private static Event event(Object[] row) {
        return (Event) row[1];
    }

    /** Takes {@code n} positions from the counter row, whose lock this transaction holds until it ends. */
    private static long advanceHead(Connection c, Jdbc jdbc, int n) throws SQLException {
        if (jdbc.postgresql()) {
            try (PreparedStatement p = c.prepareStatement(
                    "UPDATE event_log_head SET position = position + ? WHERE id = 1 RETURNING position")) {
                p.setLong(1, n);
                try (ResultSet rs = p.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        }
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
