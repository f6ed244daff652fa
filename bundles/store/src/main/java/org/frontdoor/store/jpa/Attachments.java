package org.frontdoor.store.jpa;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

import org.frontdoor.api.Attachment;

/** The attachments of messages: what was sent; the content is in {@code blob_content} ({@link BlobTable}). */
final class Attachments {

    static final int NAME = 255;
    static final int MEDIA_TYPE = 255;

    private Attachments() {
    }

    /** Rows of {message id, ordinal, {@link Attachment}}. */
    static void insert(Connection c, Jdbc jdbc, List<Object[]> rows) throws SQLException {
        jdbc.insert(c, "message_attachment", rows,
                new Jdbc.Column<>("message_id", "bigint", r -> r[0]),
                new Jdbc.Column<>("ordinal", "int", r -> r[1]),
                new Jdbc.Column<>("file_name", "varchar", r -> Jdbc.cut(((Attachment) r[2]).name(), NAME)),
                new Jdbc.Column<>("media_type", "varchar", r -> Jdbc.cut(((Attachment) r[2]).mediaType(), MEDIA_TYPE)),
                new Jdbc.Column<>("size_bytes", "bigint", r -> ((Attachment) r[2]).size()),
                new Jdbc.Column<>("blob_ref", "varchar", r -> ((Attachment) r[2]).blobRef()));
    }
}
