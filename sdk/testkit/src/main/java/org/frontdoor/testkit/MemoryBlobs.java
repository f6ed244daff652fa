package org.frontdoor.testkit;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.frontdoor.api.Attachment;
import org.frontdoor.api.Blobs;

/**
 * A blob store in memory, keyed by SHA-256 as core's, that also records what doors {@link #attach} to stored
 * messages ({@link #attached}, keyed {@code <messageId>/<ordinal>}); as core's, an attachment that has content keeps
 * it. The database's side is tested in the store's AttachmentStoreTest.
 */
public final class MemoryBlobs implements Blobs {

    /** Content by reference. */
    public final Map<String, byte[]> content = new ConcurrentHashMap<>();
    /** Content filled in after the commit, by {@code <messageId>/<ordinal>}. */
    public final Map<String, Attachment> attached = new ConcurrentHashMap<>();
    /** While set, storing fails with it: the database is away. */
    public volatile IOException failure;

    @Override
    public Attachment store(String name, String mediaType, InputStream in, long maxBytes) throws IOException {
        IOException fail = failure;
        if (fail != null) {
            throw fail;
        }
        byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
        if (bytes.length > maxBytes) {
            throw new IllegalArgumentException("the attachment is larger than " + maxBytes + " bytes");
        }
        try {
            String ref = "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
            content.put(ref, bytes);
            return new Attachment(name, mediaType, bytes.length, ref);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public Optional<InputStream> open(String blobRef) {
        return Optional.ofNullable(blobRef == null ? null : content.get(blobRef)).map(ByteArrayInputStream::new);
    }

    @Override
    public boolean attach(long messageId, int ordinal, Attachment stored) {
        if (stored.blobRef() == null || !content.containsKey(stored.blobRef())) {
            throw new IllegalArgumentException("attach needs the attachment store returned");
        }
        return attached.putIfAbsent(messageId + "/" + ordinal, stored) == null;
    }

    /** The content filled in for an attachment of a message, or null while none. */
    public byte[] attachedContent(long messageId, int ordinal) {
        Attachment a = attached.get(messageId + "/" + ordinal);
        return a == null ? null : content.get(a.blobRef());
    }
}
