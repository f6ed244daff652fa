package org.frontdoor.store.jpa;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Set;

/** Departments are known by their id; the first conversation routed or transferred to one records it. */
final class Departments {

    private Departments() {
    }

    static void ensure(Connection c, Jdbc jdbc, Collection<String> departments, Instant now) throws SQLException {
        Set<String> wanted = new LinkedHashSet<>(departments);
        Set<String> known = new HashSet<>();
        try (PreparedStatement q = c.prepareStatement("SELECT id FROM department WHERE id = ANY(?)")) {
            q.setArray(1, c.createArrayOf("varchar", wanted.toArray()));
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    known.add(rs.getString(1));
                }
            }
        }
        wanted.removeAll(known);
        if (wanted.isEmpty()) {
            return;
        }
        // another node may record the same new department at the same moment: its row wins, this one is not an error
        // (a unique-key failure here would fail, and hold, a whole routing batch until its claim ran out)
        if (jdbc.postgresql()) {
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO department (id, name, created_at) "
                    + "SELECT u, u, ? FROM unnest(?::varchar[]) AS u ON CONFLICT (id) DO NOTHING")) {
                insert.setTimestamp(1, Jdbc.ts(now));
                insert.setArray(2, c.createArrayOf("varchar", wanted.toArray()));
                insert.executeUpdate();
            }
            return;
        }
        // H2 has no ON CONFLICT, and MERGE does not see a row another transaction has not committed yet; a failed
        // statement leaves H2's transaction usable, so a key taken meanwhile is skipped row by row
        for (String id : wanted) {
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO department (id, name, created_at) "
                    + "VALUES (?, ?, ?)")) {
                insert.setString(1, id);
                insert.setString(2, id);
                insert.setTimestamp(3, Jdbc.ts(now));
                insert.executeUpdate();
            } catch (SQLException e) {
                if (!"23505".equals(e.getSQLState())) {
                    throw e;
                }
            }
        }
    }
}
