package org.frontdoor.store.jpa;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.frontdoor.api.ConversationEvent;
import org.frontdoor.api.EventFilter;
import org.frontdoor.api.Scope;
import org.frontdoor.api.inbox.EventPage;
import org.frontdoor.store.EventStore.ConsumerState;
import org.frontdoor.store.EventStore.Lease;
import org.frontdoor.store.EventStore.Retention;

/**
 * Reads of the event log and the named consumers' rows. Positions are given out in commit order with no gaps
 * ({@link TxLog}), so what a reader sees is always a prefix of the log: an event it has not seen can only come after
 * the ones it has.
 *
 * <p>A consumer's lease is taken and renewed by the database's clock ({@code CURRENT_TIMESTAMP}), so nodes whose
 * clocks disagree still agree on when a lease ran out; each claim takes the next generation, and only the holder of
 * the current generation may renew or move the consumer.
 */
final class EventLog {

    private static final String COLUMNS = "e.position, e.event_type, e.conversation_id, e.channel, e.instance, "
            + "e.department_id, e.item_id, e.actor, e.at, e.detail, cv.customer_id, cu.display_name, cv.preview, "
            + "SUBSTRING(m.body, 1, " + ConversationEvent.PREVIEW_LENGTH + "), e.previous_department_id, e.reopened";
    /** An event with what integrations need without a second lookup: its customer, and the message's start. */
    private static final String FROM = " FROM conversation_event e LEFT JOIN conversation cv ON cv.id = e.conversation_id "
            + "LEFT JOIN customer cu ON cu.id = cv.customer_id "
            + "LEFT JOIN message m ON e.event_type = 'MESSAGE_ADDED' AND m.id = e.item_id";

    private final Jdbc jdbc;

    EventLog(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    List<ConversationEvent> after(long position, int limit) {
        return jdbc.inTransaction("read events", c -> read(c, position, Long.MAX_VALUE, null, EventFilter.ALL, limit));
    }

    long head() {
        return jdbc.inTransaction("read the event log's head", EventLog::head);
    }

    private static long head(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT position FROM event_log_head WHERE id = 1")) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }

    /** The database's clock: the one time every node agrees on. */
    private static Instant databaseNow(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT CURRENT_TIMESTAMP")) {
            rs.next();
            return rs.getTimestamp(1).toInstant();
        }
    }

    /**
     * Events within a scope: filtered by the database, up to the head read first (every position up to it is
     * committed), so the page can say how far it read even when it holds fewer events than asked.
     */
    EventPage page(Scope scope, long after, int limit, EventFilter filter) {
        return jdbc.inTransaction("read events", c -> {
            long head = head(c);
            if (!scope.all() && scope.departments().isEmpty()) {
                return new EventPage(List.of(), Math.max(after, head));
            }
            List<ConversationEvent> events = read(c, after, head, scope, filter, limit);
            long next = events.size() == limit ? events.get(events.size() - 1).position() : Math.max(after, head);
            return new EventPage(events, next);
        });
    }

    /** The condition of a filter on {@code conversation_event e}, with its parameters set by {@link #bind}. */
    private static String where(EventFilter filter) {
        return (filter.types().isEmpty() ? "" : " AND e.event_type = ANY(?)")
                + (filter.department() == null ? ""
                : " AND (e.department_id = ? OR e.previous_department_id = ?)");
    }

    private static int bind(Connection c, PreparedStatement q, int n, EventFilter filter) throws SQLException {
        if (!filter.types().isEmpty()) {
            q.setArray(n++, c.createArrayOf("varchar", filter.types().stream().map(Enum::name).toArray()));
        }
        if (filter.department() != null) {
            q.setString(n++, filter.department());
            q.setString(n++, filter.department());
        }
        return n;
    }

    private static List<ConversationEvent> read(Connection c, long after, long upTo, Scope scope, EventFilter filter,
                                                int limit) throws SQLException {
        boolean scoped = scope != null && !scope.all();
        List<ConversationEvent> events = new ArrayList<>();
        try (PreparedStatement q = c.prepareStatement("SELECT " + COLUMNS + FROM
                + " WHERE e.position > ? AND e.position <= ?"
                // the event's department and the conversation's now: an event carries the conversation's current
                // preview and customer, which are not the caller's once the conversation moved out of their scope
                + (scoped ? " AND e.department_id = ANY(?) AND cv.department_id = ANY(?)" : "")
                + where(filter) + " ORDER BY e.position LIMIT ?")) {
            int n = 1;
            q.setLong(n++, after);
            q.setLong(n++, upTo);
            if (scoped) {
                q.setArray(n++, c.createArrayOf("varchar", scope.departments().toArray()));
                q.setArray(n++, c.createArrayOf("varchar", scope.departments().toArray()));
            }
            n = bind(c, q, n, filter);
            q.setInt(n, limit);
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    events.add(event(rs));
                }
            }
        }
        return events;
    }

    private static ConversationEvent event(ResultSet rs) throws SQLException {
        ConversationEvent.Type type = ConversationEvent.Type.valueOf(rs.getString(2));
        String detail = rs.getString(10);
        String previous = rs.getString(15);
        boolean reopened = rs.getBoolean(16);
        String message = rs.getString(14);
        return new ConversationEvent(rs.getLong(1), type, rs.getLong(3), rs.getString(4), rs.getString(5),
                rs.getString(6), rs.getLong(7), rs.getString(8), Jdbc.instant(rs, "at"), detail, previous, reopened,
                rs.getLong(11), rs.getString(12), message != null ? message : rs.getString(13));
    }

    long countAfter(long position, EventFilter filter) {
        return jdbc.inTransaction("count events", c -> countAfter(c, position, filter));
    }

    private static long countAfter(Connection c, long position, EventFilter filter) throws SQLException {
        try (PreparedStatement q = c.prepareStatement("SELECT COUNT(*) FROM conversation_event e WHERE e.position > ?"
                + where(filter))) {
            q.setLong(1, position);
            bind(c, q, 2, filter);
            try (ResultSet rs = q.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    Optional<Lease> claimConsumer(String name, String node, Duration lease, long startAt, EventFilter filter) {
        return jdbc.inTransaction("claim events consumer " + name, c -> {
            Instant now = databaseNow(c);
            Instant until = now.plus(lease);
            try (PreparedStatement q = c.prepareStatement("SELECT position, owner, lease_until, generation, gap_from, "
                    + "gap_to, gap_told FROM event_consumer WHERE name = ? FOR UPDATE")) {
                q.setString(1, name);
                try (ResultSet rs = q.executeQuery()) {
                    if (rs.next()) {
                        long position = rs.getLong(1);
                        String owner = rs.getString(2);
                        Instant leaseUntil = Jdbc.instant(rs, "lease_until");
                        long generation = rs.getLong(4) + 1;
                        long gapFrom = rs.getLong(5);
                        long gapTo = rs.getLong(6);
                        boolean told = rs.getBoolean(7);
                        if (owner != null && !owner.equals(node) && leaseUntil != null && leaseUntil.isAfter(now)) {
                            return Optional.empty();
                        }
                        try (PreparedStatement u = c.prepareStatement("UPDATE event_consumer SET owner = ?, "
                                + "lease_until = ?, generation = ?, filter_types = ?, filter_department = ?, "
                                + "updated_at = ? WHERE name = ?")) {
                            u.setString(1, node);
                            u.setTimestamp(2, Jdbc.ts(until));
                            u.setLong(3, generation);
                            u.setString(4, filter.typeIds());
                            u.setString(5, filter.department());
                            u.setTimestamp(6, Jdbc.ts(now));
                            u.setString(7, name);
                            u.executeUpdate();
                        }
                        return Optional.of(new Lease(position, generation,
                                gapTo > 0 && !told ? gapFrom + "-" + gapTo : null));
                    }
                }
            }
            jdbc.insert(c, "event_consumer", List.of(name),
                    new Jdbc.Column<>("name", "varchar", n -> n),
                    new Jdbc.Column<>("position", "bigint", n -> startAt),
                    new Jdbc.Column<>("owner", "varchar", n -> node),
                    new Jdbc.Column<>("lease_until", "timestamptz", n -> until),
                    new Jdbc.Column<>("generation", "bigint", n -> 1L),
                    new Jdbc.Column<>("filter_types", "varchar", n -> filter.typeIds()),
                    new Jdbc.Column<>("filter_department", "varchar", n -> filter.department()),
                    new Jdbc.Column<>("updated_at", "timestamptz", n -> now));
            return Optional.of(new Lease(startAt, 1, null));
        });
    }

    boolean advanceConsumer(String name, String node, long generation, long position, Duration lease,
                            String lastError, boolean gapTold) {
        return jdbc.inTransaction("move events consumer " + name, c -> {
            Instant now = databaseNow(c);
            try (PreparedStatement u = c.prepareStatement("UPDATE event_consumer SET position = GREATEST(position, ?), "
                    + "lease_until = ?, last_error = ?, updated_at = ?" + (gapTold ? ", gap_told = TRUE" : "")
                    + " WHERE name = ? AND owner = ? AND generation = ?")) {
                u.setLong(1, position);
                u.setTimestamp(2, Jdbc.ts(now.plus(lease)));
                u.setString(3, Jdbc.cut(lastError, OutboxWrites.MAX_ERROR));
                u.setTimestamp(4, Jdbc.ts(now));
                u.setString(5, name);
                u.setString(6, node);
                u.setLong(7, generation);
                return u.executeUpdate() == 1;
            }
        });
    }

    void releaseConsumer(String name, String node, long generation, long position) {
        jdbc.inTransaction("let go of events consumer " + name, c -> {
            try (PreparedStatement u = c.prepareStatement("UPDATE event_consumer SET position = GREATEST(position, ?), "
                    + "owner = NULL, lease_until = NULL WHERE name = ? AND owner = ? AND generation = ?")) {
                u.setLong(1, position);
                u.setString(2, name);
                u.setString(3, node);
                u.setLong(4, generation);
                u.executeUpdate();
            }
            return null;
        });
    }

    private static final String CONSUMER_COLUMNS = "name, position, owner, lease_until, last_error, updated_at, "
            + "generation, gap_from, gap_to, filter_types, filter_department";

    List<ConsumerState> consumers() {
        return jdbc.inTransaction("list events consumers", c -> {
            List<ConsumerState> out = new ArrayList<>();
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT " + CONSUMER_COLUMNS
                    + " FROM event_consumer ORDER BY name")) {
                while (rs.next()) {
                    out.add(consumer(c, rs));
                }
            }
            return out;
        });
    }

    private static ConsumerState consumer(Connection c, ResultSet rs) throws SQLException {
        EventFilter filter;
        try {
            filter = EventFilter.of(rs.getString(10), rs.getString(11));
        } catch (IllegalArgumentException e) {
            filter = EventFilter.ALL; // a type this version does not know: count every event
        }
        long position = rs.getLong(2);
        return new ConsumerState(rs.getString(1), position, rs.getString(3), Jdbc.instant(rs, "lease_until"),
                rs.getString(5), Jdbc.instant(rs, "updated_at"), rs.getLong(7), rs.getLong(8), rs.getLong(9),
                filter, countAfter(c, position, filter));
    }

    Optional<ConsumerState> resetConsumer(String name, long position) {
        return jdbc.inTransaction("reset events consumer " + name, c -> {
            long to = position < 0 ? head(c) : position;
            try (PreparedStatement u = c.prepareStatement("UPDATE event_consumer SET position = ?, owner = NULL, "
                    + "lease_until = NULL, generation = generation + 1, gap_from = NULL, gap_to = NULL, "
                    + "gap_told = FALSE, last_error = NULL, updated_at = ? WHERE name = ?")) {
                u.setLong(1, to);
                u.setTimestamp(2, Jdbc.ts(databaseNow(c)));
                u.setString(3, name);
                if (u.executeUpdate() == 0) {
                    return Optional.empty();
                }
            }
            try (PreparedStatement q = c.prepareStatement("SELECT " + CONSUMER_COLUMNS
                    + " FROM event_consumer WHERE name = ?")) {
                q.setString(1, name);
                try (ResultSet rs = q.executeQuery()) {
                    rs.next();
                    return Optional.of(consumer(c, rs));
                }
            }
        });
    }

    int forgetNodeConsumers(Instant idleBefore) {
        return jdbc.inTransaction("forget the consumers of nodes gone", c -> {
            try (PreparedStatement d = c.prepareStatement("DELETE FROM event_consumer WHERE name LIKE '%@%' "
                    + "AND (lease_until IS NULL OR lease_until < ?) AND updated_at < ?")) {
                d.setTimestamp(1, Jdbc.ts(idleBefore));
                d.setTimestamp(2, Jdbc.ts(idleBefore));
                return d.executeUpdate();
            }
        });
    }

    /**
     * One pass of retention. Events every consumer has read go once they are older than {@code readCutoff}; events
     * older than {@code hardCutoff} go whoever has not read them, and each consumer behind them is moved past them with
     * the range recorded as its gap (joined to a gap its route has not been told of yet) and the next generation, so
     * the node delivering to it re-claims it and tells the route.
     */
    Retention deleteOldEvents(Instant readCutoff, Instant hardCutoff, int limit) {
        return jdbc.inTransaction("delete old events", c -> {
            long readByAll;
            try (Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT MIN(position) FROM event_consumer")) {
                rs.next();
                readByAll = rs.getObject(1) == null ? Long.MAX_VALUE : rs.getLong(1);
            }
            int read;
            try (PreparedStatement d = c.prepareStatement("DELETE FROM conversation_event WHERE position IN ("
                    + "SELECT position FROM conversation_event WHERE at < ? AND position <= ? ORDER BY position "
                    + "LIMIT ?)")) {
                d.setTimestamp(1, Jdbc.ts(readCutoff));
                d.setLong(2, readByAll);
                d.setInt(3, limit);
                read = d.executeUpdate();
            }
            // past the hard cap: everything up to the last of the oldest events goes, read or not
            long first = 0;
            long last = 0;
            try (PreparedStatement q = c.prepareStatement("SELECT MIN(position), MAX(position) FROM (SELECT position "
                    + "FROM conversation_event WHERE at < ? ORDER BY position LIMIT ?) oldest")) {
                q.setTimestamp(1, Jdbc.ts(hardCutoff));
                q.setInt(2, limit);
                try (ResultSet rs = q.executeQuery()) {
                    if (rs.next()) {
                        first = rs.getLong(1);
                        last = rs.getLong(2);
                    }
                }
            }
            if (last == 0) {
                return new Retention(read, 0, 0);
            }
            int gaps;
            try (PreparedStatement u = c.prepareStatement("UPDATE event_consumer SET "
                    + "gap_from = CASE WHEN gap_from IS NULL OR gap_told THEN GREATEST(position + 1, ?) ELSE gap_from "
                    + "END, gap_to = ?, gap_told = FALSE, position = ?, generation = generation + 1, updated_at = ? "
                    + "WHERE position < ?")) {
                // what a consumer missed starts after what it read, and not before what the log still held
                u.setLong(1, first);
                u.setLong(2, last);
                u.setLong(3, last);
                u.setTimestamp(4, Jdbc.ts(databaseNow(c)));
                u.setLong(5, last);
                gaps = u.executeUpdate();
            }
            int unread;
            try (PreparedStatement d = c.prepareStatement("DELETE FROM conversation_event WHERE position <= ?")) {
                d.setLong(1, last);
                unread = d.executeUpdate();
            }
            return new Retention(read, unread, gaps);
        });
    }

    List<ConversationEvent> typingSince(Instant since) {
        return jdbc.inTransaction("read who types", c -> {
            List<ConversationEvent> typing = new ArrayList<>();
            try (PreparedStatement q = c.prepareStatement("SELECT conversation_id, channel, instance, department_id, "
                    + "actor, at FROM agent_typing WHERE at >= ? ORDER BY at")) {
                q.setTimestamp(1, Jdbc.ts(since));
                try (ResultSet rs = q.executeQuery()) {
                    while (rs.next()) {
                        typing.add(new ConversationEvent(0, ConversationEvent.Type.TYPING, rs.getLong(1),
                                rs.getString(2), rs.getString(3), rs.getString(4), 0, rs.getString(5),
                                Jdbc.instant(rs, "at"), null));
                    }
                }
            }
            return typing;
        });
    }

    int forgetTypingBefore(Instant before) {
        return jdbc.inTransaction("forget who typed", c -> {
            try (PreparedStatement d = c.prepareStatement("DELETE FROM agent_typing WHERE at < ?")) {
                d.setTimestamp(1, Jdbc.ts(before));
                return d.executeUpdate();
            }
        });
    }
}
