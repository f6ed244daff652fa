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
 *
 * <p>A door that must answer its vendor before it can fetch a file (a webhook with a deadline) sends the message with
 * the attachment's metadata and a null {@code blobRef}, and once the message is stored fetches the content, stores it
 * here and fills it in with {@link #attach(long, int, Attachment)}.
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

    /**
     * Fills in the content of an attachment of a stored message that was stored without it (a null
     * {@code blobRef}): the door fetched the file after the message was committed. Nothing else of the message
     * changes, and an attachment that already has content keeps it, so calling it again is harmless.
     *
     * @param messageId the stored message ({@link IngestReceipt#messageId()})
     * @param ordinal   the attachment's place in {@link Message#attachments()}, from 0
     * @param stored    what {@link #store} returned for its content (its {@code blobRef} not null)
     * @return true when the attachment was waiting for its content and now has it; false when the message has no
     *         such attachment or it already had content
     * @throws IOException when the store cannot be written now (try again later)
     * @since 1.8
     */
    boolean attach(long messageId, int ordinal, Attachment stored) throws IOException;
}
