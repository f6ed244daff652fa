package org.frontdoor.store.jpa;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

import org.frontdoor.api.Attachment;
import org.frontdoor.api.Blobs;
import org.frontdoor.store.StoreConflictException;
import org.frontdoor.store.StoreUnavailableException;

/**
 * Attachment content in the database ({@code blob_content}), once per content: the reference is {@code sha256:} and
 * the content's SHA-256 in hex, so storing the same bytes again (a mail fetched twice, the same logo in a hundred
 * mails) adds nothing, and every node that shares the database reads what any node stored. The content is spooled to
 * a temporary file while its hash is computed and its size checked, then written in one statement.
 */
final class BlobTable implements Blobs {

    static final String PREFIX = "sha256:";
    private static final Pattern REF = Pattern.compile("sha256:[0-9a-f]{64}");

    private final Jdbc jdbc;

    BlobTable(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public Attachment store(String name, String mediaType, InputStream content, long maxBytes) throws IOException {
        Objects.requireNonNull(mediaType, "mediaType");
        Objects.requireNonNull(content, "content");
        if (maxBytes < 0) {
            throw new IllegalArgumentException("maxBytes must not be negative");
        }
        Path spool = Files.createTempFile("frontdoor-blob", ".partial");
        try {
            MessageDigest sha256 = sha256();
            long size = 0;
            try (OutputStream out = new DigestOutputStream(Files.newOutputStream(spool), sha256)) {
                byte[] buffer = new byte[64 * 1024];
                for (int n; (n = content.read(buffer)) >= 0; ) {
                    size += n;
                    if (size > maxBytes) {
                        throw new IllegalArgumentException("the attachment is larger than " + maxBytes + " bytes");
                    }
                    out.write(buffer, 0, n);
                }
            }
            String ref = PREFIX + HexFormat.of().formatHex(sha256.digest());
            long length = size;
            try {
                jdbc.inTransaction("store an attachment", c -> {
                    try (PreparedStatement exists = c.prepareStatement("SELECT 1 FROM blob_content WHERE ref = ?")) {
                        exists.setString(1, ref);
                        try (ResultSet rs = exists.executeQuery()) {
                            if (rs.next()) {
                                return null;
                            }
                        }
                    }
                    try (PreparedStatement insert = c.prepareStatement(
                            "INSERT INTO blob_content (ref, size_bytes, content, stored_at) VALUES (?, ?, ?, ?)");
                         InputStream in = Files.newInputStream(spool)) {
                        insert.setString(1, ref);
                        insert.setLong(2, length);
                        insert.setBinaryStream(3, in, length);
                        insert.setTimestamp(4, Jdbc.ts(Instant.now()));
                        insert.executeUpdate();
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                    return null;
                });
            } catch (StoreConflictException sameContentMeanwhile) {
                // another message stored the same content at the same time: it is there
            } catch (StoreUnavailableException e) {
                throw new IOException(e.getMessage(), e);
            } catch (java.io.UncheckedIOException e) {
                throw e.getCause();
            }
            return new Attachment(Jdbc.cut(name, Attachments.NAME), Jdbc.cut(mediaType, Attachments.MEDIA_TYPE), size, ref);
        } finally {
            Files.deleteIfExists(spool);
        }
    }

    @Override
    public Optional<InputStream> open(String blobRef) throws IOException {
        if (blobRef == null || !REF.matcher(blobRef).matches()) {
            return Optional.empty();
        }
        try {
            return jdbc.inTransaction("read an attachment", c -> {
                try (PreparedStatement q = c.prepareStatement("SELECT content FROM blob_content WHERE ref = ?")) {
                    q.setString(1, blobRef);
                    try (ResultSet rs = q.executeQuery()) {
                        // read within the transaction: a large object's stream ends with it
                        return rs.next() ? Optional.<InputStream>of(new ByteArrayInputStream(rs.getBytes(1)))
                                : Optional.<InputStream>empty();
                    }
                }
            });
        } catch (StoreUnavailableException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    @Override
    public boolean attach(long messageId, int ordinal, Attachment stored) throws IOException {
        Objects.requireNonNull(stored, "stored");
        if (stored.blobRef() == null || !REF.matcher(stored.blobRef()).matches()) {
            throw new IllegalArgumentException("attach needs the attachment Blobs.store returned (with its blobRef)");
        }
        try {
            return jdbc.inTransaction("attach fetched content", c -> {
                // only a row still waiting for its content: a second fetch of the same file changes nothing
                try (PreparedStatement update = c.prepareStatement("UPDATE message_attachment SET blob_ref = ?, "
                        + "size_bytes = ?, file_name = COALESCE(file_name, ?) "
                        + "WHERE message_id = ? AND ordinal = ? AND blob_ref IS NULL "
                        + "AND EXISTS (SELECT 1 FROM blob_content WHERE ref = ?)")) {
                    update.setString(1, stored.blobRef());
                    update.setLong(2, stored.size());
                    update.setString(3, Jdbc.cut(stored.name(), Attachments.NAME));
                    update.setLong(4, messageId);
                    update.setInt(5, ordinal);
                    update.setString(6, stored.blobRef());
                    return update.executeUpdate() == 1;
                }
            });
        } catch (StoreUnavailableException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this Java has no SHA-256", e);
        }
    }
}
