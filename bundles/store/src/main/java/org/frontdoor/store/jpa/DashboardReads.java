package org.frontdoor.store.jpa;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.frontdoor.api.Scope;
import org.frontdoor.api.dashboard.DepartmentQueue;
import org.frontdoor.api.dashboard.DoorVolume;
import org.frontdoor.api.dashboard.Volumes;

/**
 * The supervisor's dashboard: counts made by the database (GROUP BY), within a scope (its departments as
 * {@code IN (?, ...)}; a user's departments are few).
 */
final class DashboardReads {

    private final Jdbc jdbc;

    DashboardReads(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    List<DepartmentQueue> queues(Scope scope, Instant now) {
        if (!scope.all() && scope.departments().isEmpty()) {
            return List.of();
        }
        List<String> departments = new ArrayList<>(new java.util.TreeSet<>(scope.departments()));
        String within = scope.all() ? "" : " AND " + in("department_id", departments.size());
        return jdbc.inTransaction("dashboard queues", c -> {
            Map<String, long[]> counts = new TreeMap<>(java.util.Comparator.nullsFirst(String::compareTo));
            // every department of a limited scope has its row, quiet ones too: a supervisor sees all of theirs
            departments.forEach(d -> counts.put(d, new long[6]));
            Map<String, Instant> oldest = new LinkedHashMap<>();
            try (PreparedStatement q = c.prepareStatement("SELECT department_id, status, COUNT(*) AS n, "
                    + "MIN(CASE WHEN status IN ('NEW', 'QUEUED') THEN last_activity_at END) AS oldest "
                    + "FROM conversation WHERE status <> 'RESOLVED'" + within
                    + " GROUP BY department_id, status")) {
                bind(q, 1, departments);
                try (ResultSet rs = q.executeQuery()) {
                    while (rs.next()) {
                        String department = rs.getString("department_id");
                        long[] row = counts.computeIfAbsent(department, d -> new long[6]);
                        int column = switch (rs.getString("status")) {
                            case "NEW" -> 0;
                            case "QUEUED" -> 1;
                            case "ASSIGNED" -> 2;
                            case "SNOOZED" -> 3;
                            default -> -1;
                        };
                        if (column >= 0) {
                            row[column] += rs.getLong("n");
                        }
                        Instant since = Jdbc.instant(rs, "oldest");
                        if (since != null && (oldest.get(department) == null || since.isBefore(oldest.get(department)))) {
                            oldest.put(department, since);
                        }
                    }
                }
            }
            // a conversation counts once however many of its timers run: the worst of them decides
            try (PreparedStatement q = c.prepareStatement("SELECT department_id, "
                    + "COUNT(DISTINCT CASE WHEN due_at <= ? THEN conversation_id END) AS breached, "
                    + "COUNT(DISTINCT CASE WHEN due_at > ? AND warn_at <= ? THEN conversation_id END) AS at_risk "
                    + "FROM sla_timer t WHERE state = 'RUNNING'" + within
                    + " AND EXISTS (SELECT 1 FROM conversation v WHERE v.id = t.conversation_id "
                    + "AND v.status <> 'RESOLVED') GROUP BY department_id")) {
                q.setTimestamp(1, Jdbc.ts(now));
                q.setTimestamp(2, Jdbc.ts(now));
                q.setTimestamp(3, Jdbc.ts(now));
                bind(q, 4, departments);
                try (ResultSet rs = q.executeQuery()) {
                    while (rs.next()) {
                        long[] row = counts.computeIfAbsent(rs.getString("department_id"), d -> new long[6]);
                        row[5] = rs.getLong("breached");
                        row[4] = rs.getLong("at_risk");
                    }
                }
            }
            List<DepartmentQueue> queues = new ArrayList<>();
            counts.forEach((department, n) -> queues.add(new DepartmentQueue(department, n[0], n[1], n[2], n[3],
                    oldest.get(department), n[4], n[5])));
            return queues;
        });
    }

    Volumes volumes(Scope scope, Instant now, int hours) {
        Instant since = now.truncatedTo(ChronoUnit.HOURS).minus(hours - 1L, ChronoUnit.HOURS);
        if (!scope.all() && scope.departments().isEmpty()) {
            return new Volumes(since, hours, List.of());
        }
        List<String> departments = new ArrayList<>(new java.util.TreeSet<>(scope.departments()));
        String within = scope.all() ? "" : " AND " + in("c.department_id", departments.size());
        // the hour of each message relative to the first, from the same conversion of both times: no zone involved
        String cast = "CAST(? AS " + jdbc.dialect.timestampType + ")";
        return jdbc.inTransaction("dashboard volumes", c -> {
            Map<String, Long[]> doors = new TreeMap<>();
            try (PreparedStatement q = c.prepareStatement("SELECT channel, instance, h, COUNT(*) AS n FROM ("
                    + "SELECT m.channel, m.instance, "
                    + "FLOOR((EXTRACT(EPOCH FROM m.stored_at) - EXTRACT(EPOCH FROM " + cast + ")) / 3600) AS h "
                    + "FROM message m JOIN conversation c ON c.id = m.conversation_id "
                    + "WHERE m.stored_at >= ? AND m.direction = 'INBOUND'" + within
                    + ") x GROUP BY channel, instance, h")) {
                q.setTimestamp(1, Jdbc.ts(since));
                q.setTimestamp(2, Jdbc.ts(since));
                bind(q, 3, departments);
                try (ResultSet rs = q.executeQuery()) {
                    while (rs.next()) {
                        int hour = (int) rs.getLong("h");
                        if (hour < 0 || hour >= hours) {
                            continue; // stored after "now" was taken: the next read counts it
                        }
                        Long[] counts = doors.computeIfAbsent(rs.getString("channel") + "\u0000"
                                + rs.getString("instance"), d -> zeros(hours));
                        counts[hour] += rs.getLong("n");
                    }
                }
            }
            List<DoorVolume> rows = new ArrayList<>();
            doors.forEach((door, counts) -> {
                String[] parts = door.split("\u0000", 2);
                rows.add(new DoorVolume(parts[0], parts[1], List.of(counts)));
            });
            return new Volumes(since, hours, rows);
        });
    }

    private static Long[] zeros(int n) {
        Long[] zeros = new Long[n];
        java.util.Arrays.fill(zeros, 0L);
        return zeros;
    }

    private static String in(String column, int n) {
        return column + " IN (" + String.join(", ", java.util.Collections.nCopies(n, "?")) + ")";
    }

    private static void bind(PreparedStatement q, int from, List<String> values) throws java.sql.SQLException {
        for (int i = 0; i < values.size(); i++) {
            q.setString(from + i, values.get(i));
        }
    }
}
