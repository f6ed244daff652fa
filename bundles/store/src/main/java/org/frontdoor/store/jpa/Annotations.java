package org.frontdoor.store.jpa;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.frontdoor.api.Annotation;

/** Annotations on messages: what the channel said of a message, and what the classifiers found. */
final class Annotations {

    static final int NAME = 64;
    static final int VALUE = 255;
    static final int SOURCE = 255;

    private Annotations() {
    }

    /** Rows of {message id, {@link Annotation}, source}. */
    static void insert(Connection c, Jdbc jdbc, List<Object[]> rows) throws SQLException {
        jdbc.insert(c, "message_annotation", rows,
                new Jdbc.Column<>("message_id", "bigint", r -> r[0]),
                new Jdbc.Column<>("name", "varchar", r -> Jdbc.cut(((Annotation) r[1]).name(), NAME)),
                new Jdbc.Column<>("annotation_value", "varchar", r -> Jdbc.cut(((Annotation) r[1]).value(), VALUE)),
                new Jdbc.Column<>("confidence", "float8", r -> ((Annotation) r[1]).confidence()),
                new Jdbc.Column<>("source", "varchar", r -> Jdbc.cut((String) r[2], SOURCE)));
    }

    /** The annotations of these messages, per message id. */
    static Map<Long, List<Annotation>> of(Connection c, Collection<Long> messageIds) throws SQLException {
        Map<Long, List<Annotation>> found = new HashMap<>();
        if (messageIds.isEmpty()) {
            return found;
        }
        try (PreparedStatement q = c.prepareStatement("SELECT message_id, name, annotation_value, confidence "
                + "FROM message_annotation WHERE message_id = ANY(?)")) {
            q.setArray(1, c.createArrayOf("bigint", messageIds.toArray()));
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    found.computeIfAbsent(rs.getLong(1), id -> new ArrayList<>())
                            .add(new Annotation(rs.getString(2), rs.getString(3), rs.getDouble(4)));
                }
            }
        }
        return found;
    }
}
