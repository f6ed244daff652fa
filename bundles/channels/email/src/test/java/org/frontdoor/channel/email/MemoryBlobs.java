package org.frontdoor.channel.email;

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

/** {@link Blobs} in memory, keyed by SHA-256 as core keys them: what the door's tests store attachments in. */
final class MemoryBlobs implements Blobs {

    final Map<String, byte[]> stored = new ConcurrentHashMap<>();
    volatile IOException failure;

    @Override
    public Attachment store(String name, String mediaType, InputStream content, long maxBytes) throws IOException {
        if (failure != null) {
            throw failure;
        }
        byte[] bytes = content.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
        if (bytes.length > maxBytes) {
            throw new IllegalArgumentException("the content is larger than " + maxBytes + " bytes");
        }
        try {
            String ref = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
            stored.put(ref, bytes);
            return new Attachment(name, mediaType, bytes.length, ref);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public Optional<InputStream> open(String blobRef) {
        byte[] bytes = stored.get(blobRef);
        return bytes == null ? Optional.empty() : Optional.of(new ByteArrayInputStream(bytes));
    }

    @Override
    public boolean attach(long messageId, int ordinal, Attachment stored) {
        return false;
    }
}
