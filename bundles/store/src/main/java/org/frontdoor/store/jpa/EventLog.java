package org.frontdoor.store.jpa;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.frontdoor.api.ConversationEvent;
import org.frontdoor.api.Scope;
import org.frontdoor.api.inbox.EventPage;
import org.frontdoor.store.EventStore.ConsumerState;

/**
 * Reads of the event log and the named consumers' rows. Positions are given out in commit order with no gaps
 * ({@link TxLog}), so what a reader sees is always a prefix of the log: an event it has not seen can only come after
 * the ones it has.
 */
final class EventLog {

    private static final String COLUMNS = "position, event_type, conversation_id, channel, instance, department_id, "
            + "item_id, actor, at, detail";

    private final Jdbc jdbc;

    EventLog(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    List<ConversationEvent> after(long position, int limit) {
        return jdbc.inTransaction("read events", c -> read(c, position, Long.MAX_VALUE, null, limit));
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

    /**
     * Events within a scope: filtered by the database, up to the head read first (every position up to it is
     * committed), so the page can say how far it read even when it holds fewer events than asked.
     */
    EventPage page(Scope scope, long after, int limit) {
        return jdbc.inTransaction("read events", c -> {
            long head = head(c);
            if (!scope.all() && scope.departments().isEmpty()) {
                return new EventPage(List.of(), Math.max(after, head));
            }
            List<ConversationEvent> events = read(c, after, head, scope, limit);
            long next = events.size() == limit ? events.get(events.size() - 1).position() : Math.max(after, head);
            return new EventPage(events, next);
        });
    }

    private static List<ConversationEvent> read(Connection c, long after, long upTo, Scope scope, int limit)
            throws SQLException {
        boolean scoped = scope != null && !scope.all();
        List<ConversationEvent> events = new ArrayList<>();
        try (PreparedStatement q = c.prepareStatement("SELECT " + COLUMNS + " FROM conversation_event "
                + "WHERE position > ? AND position <= ?" + (scoped ? " AND department_id = ANY(?)" : "")
                + " ORDER BY position LIMIT ?")) {
            int n = 1;
            q.setLong(n++, after);
            q.setLong(n++, upTo);
            if (scoped) {
                q.setArray(n++, c.createArrayOf("varchar", scope.departments().toArray()));
            }
            q.setInt(n, limit);
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    events.add(new ConversationEvent(rs.getLong(1), ConversationEvent.Type.valueOf(rs.getString(2)),
                            rs.getLong(3), rs.getString(4), rs.getString(5), rs.getString(6), rs.getLong(7),
                            rs.getString(8), Jdbc.instant(rs, "at"), rs.getString(10)));
                }
            }
        }
        return events;
    }

    Optional<Long> claimConsumer(String name, String node, Instant now, Instant until, long startAt) {
        return jdbc.inTransaction("claim events consumer " + name, c -> {
            try (PreparedStatement q = c.prepareStatement("SELECT position, owner, lease_until FROM event_consumer "
                    + "WHERE name = ? FOR UPDATE")) {
                q.setString(1, name);
                try (ResultSet rs = q.executeQuery()) {
                    if (rs.next()) {
                        long position = rs.getLong(1);
                        String owner = rs.getString(2);
                        Instant leaseUntil = Jdbc.instant(rs, "lease_until");
                        if (owner != null && !owner.equals(node) && leaseUntil != null && leaseUntil.isAfter(now)) {
                            return Optional.empty();
                        }
                        lease(c, name, node, until, now);
                        return Optional.of(position);
                    }
                }
            }
            jdbc.insert(c, "event_consumer", List.of(name),
                    new Jdbc.Column<>("name", "varchar", n -> n),
                    new Jdbc.Column<>("position", "bigint", n -> startAt),
                    new Jdbc.Column<>("owner", "varchar", n -> node),
                    new Jdbc.Column<>("lease_until", "timestamptz", n -> until),
                    new Jdbc.Column<>("updated_at", "timestamptz", n -> now));
            return Optional.of(startAt);
        });
    }

    private static void lease(Connection c, String name, String node, Instant until, Instant now) throws SQLException {
        try (PreparedStatement u = c.prepareStatement("UPDATE event_consumer SET owner = ?, lease_until = ?, "
                + "updated_at = ? WHERE name = ?")) {
            u.setString(1, node);
            u.setTimestamp(2, Jdbc.ts(until));
            u.setTimestamp(3, Jdbc.ts(now));
            u.setString(4, name);
            u.executeUpdate();
        }
    }

    boolean advanceConsumer(String name, String node, long position, Instant until, String lastError) {
        return jdbc.inTransaction("move events consumer " + name, c -> {
            try (PreparedStatement u = c.prepareStatement("UPDATE event_consumer SET position = GREATEST(position, ?), "
                    + "lease_until = ?, last_error = ?, updated_at = ? WHERE name = ? AND owner = ?")) {
                u.setLong(1, position);
                u.setTimestamp(2, Jdbc.ts(until));
                u.setString(3, Jdbc.cut(lastError, OutboxWrites.MAX_ERROR));
                u.setTimestamp(4, Jdbc.ts(Instant.now()));
                u.setString(5, name);
                u.setString(6, node);
                return u.executeUpdate() == 1;
            }
        });
    }

    void releaseConsumer(String name, String node) {
        jdbc.inTransaction("let go of events consumer " + name, c -> {
            try (PreparedStatement u = c.prepareStatement("UPDATE event_consumer SET owner = NULL, lease_until = NULL "
                    + "WHERE name = ? AND owner = ?")) {
                u.setString(1, name);
                u.setString(2, node);
                u.executeUpdate();
            }
            return null;
        });
    }

    List<ConsumerState> consumers() {
        return jdbc.inTransaction("list events consumers", c -> {
            List<ConsumerState> out = new ArrayList<>();
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT name, position, owner, "
                    + "lease_until, last_error, updated_at FROM event_consumer ORDER BY name")) {
                while (rs.next()) {
                    out.add(new ConsumerState(rs.getString(1), rs.getLong(2), rs.getString(3),
                            Jdbc.instant(rs, "lease_until"), rs.getString(5), Jdbc.instant(rs, "updated_at")));
                }
            }
            return out;
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

    int deleteBefore(Instant cutoff, int limit) {
        return jdbc.inTransaction("delete old events", c -> {
            try (PreparedStatement d = c.prepareStatement("DELETE FROM conversation_event WHERE position IN ("
                    + "SELECT position FROM conversation_event WHERE at < ? ORDER BY position LIMIT ?)")) {
                d.setTimestamp(1, Jdbc.ts(cutoff));
                d.setInt(2, limit);
                return d.executeUpdate();
            }
        });
    }
}
