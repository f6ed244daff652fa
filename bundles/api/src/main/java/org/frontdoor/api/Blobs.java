package org.frontdoor.api;

import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Where the content of attachments is kept: outside the message row, once per content (the reference is the
 * content's SHA-256), shared by every node that shares the database. Published by core as an OSGi service.
 *
 * <p>A door stores each attachment it accepts before it sends the message to {@code frontdoor:inbound}, and puts
 * the returned {@link Attachment} (with its {@link Attachment#blobRef()}) in the message. An attachment the door
 * refuses (too large, a type it does not take) goes in the message with a null {@code blobRef}, so agents see that
 * it was sent and why it is not there. Content stored for a message that then fails to commit is kept: storing
 * the same content again returns the same reference.
 */
@ProviderType
public interface Blobs {

    /**
     * Reads the content to its end and stores it.
     *
     * @param name      the file name as sent, may be null
     * @param mediaType the MIME type, such as {@code image/png}
     * @param content   the bytes; read to the end, not closed
     * @param maxBytes  the most this door takes; more is refused without storing anything
     * @return the attachment with its size and {@code blobRef}
     * @throws IllegalArgumentException when the content is larger than {@code maxBytes} (the message says so)
     * @throws IOException              when the content cannot be read or stored now
     */
    Attachment store(String name, String mediaType, InputStream content, long maxBytes) throws IOException;

    /**
     * The content of a stored attachment, or empty when no content has that reference. The caller closes it.
     *
     * @throws IOException when the store cannot be read now
     */
    Optional<InputStream> open(String blobRef) throws IOException;
}
