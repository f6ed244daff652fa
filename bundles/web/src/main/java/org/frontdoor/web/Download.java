package org.frontdoor.web;

import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * An attachment to send as the body of a REST answer instead of JSON: what a customer sent, so never shown inline by
 * the browser. Only types a browser cannot run keep their type; everything else goes as {@code
 * application/octet-stream}, always as a download ({@code Content-Disposition: attachment}) in a sandbox.
 *
 * @param fileName  the name as sent, or null
 * @param mediaType the type as sent
 * @param size      its size in bytes
 * @param blobRef   where its content is kept
 */
record Download(String fileName, String mediaType, long size, String blobRef) {

    private static final Set<String> PASSIVE = Set.of("image/png", "image/jpeg", "image/gif", "image/webp",
            "application/pdf", "text/plain", "text/csv", "audio/mpeg", "audio/ogg", "video/mp4");

    Download {
        Objects.requireNonNull(blobRef, "blobRef");
    }

    /** The Content-Type to answer with: the sent one only where a browser cannot run it. */
    String contentType() {
        String type = mediaType == null ? "" : mediaType.toLowerCase(Locale.ROOT).split(";", 2)[0].strip();
        return PASSIVE.contains(type) ? type : "application/octet-stream";
    }

    /** The file name for Content-Disposition: the sent one, or one made from the reference. */
    String name() {
        String name = fileName == null ? "" : fileName.replaceAll("[\\p{Cntrl}/\\\\\"]", "_").strip();
        return name.isEmpty() ? "attachment-" + blobRef.substring(blobRef.indexOf(':') + 1, blobRef.indexOf(':') + 13)
                : name;
    }
}
