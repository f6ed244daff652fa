package org.frontdoor.api;

import java.util.Objects;

/**
 * Metadata of a file attached to a message; the content is stored as a blob and referenced by {@code blobRef}.
 *
 * @param name      file name as sent
 * @param mediaType MIME type, such as {@code image/png}
 * @param size      size in bytes
 * @param blobRef   reference of the stored content, null while not stored
 */
public record Attachment(String name, String mediaType, long size, String blobRef) {

    public Attachment {
        Objects.requireNonNull(mediaType, "mediaType");
        if (size < 0) {
            throw new IllegalArgumentException("size must not be negative");
        }
    }
}
