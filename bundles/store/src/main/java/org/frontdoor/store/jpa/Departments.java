package org.frontdoor.store.jpa;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
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
        jdbc.insert(c, "department", new ArrayList<>(wanted),
                new Jdbc.Column<>("id", "varchar", id -> id),
                new Jdbc.Column<>("name", "varchar", id -> id),
                new Jdbc.Column<>("created_at", "timestamptz", id -> now));
    }
}
