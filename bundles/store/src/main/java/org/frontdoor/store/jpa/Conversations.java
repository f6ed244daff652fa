package org.frontdoor.store.jpa;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Small reads of conversation rows shared by the writers. */
final class Conversations {

    private Conversations() {
    }

    /** Channel and instance per conversation id. */
    static Map<Long, String[]> doors(Connection c, List<Long> ids) throws SQLException {
        Map<Long, String[]> doors = new HashMap<>();
        try (PreparedStatement q = c.prepareStatement("SELECT id, channel, instance FROM conversation WHERE id = ANY(?)")) {
            q.setArray(1, c.createArrayOf("bigint", ids.toArray()));
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    doors.put(rs.getLong(1), new String[] {rs.getString(2), rs.getString(3)});
                }
            }
        }
        return doors;
    }
}
