package org.frontdoor.web;

import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

import javax.ws.rs.core.Response;
import javax.ws.rs.core.StreamingOutput;

import org.frontdoor.api.Blobs;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** An attachment's content, as a download the browser never runs; 503 when the store cannot read it now. */
final class Downloads {

    private static final Logger LOG = LoggerFactory.getLogger(Downloads.class);

    private Downloads() {
    }

    static Response response(Download download, Blobs store) {
        Optional<InputStream> content;
        try {
            content = store == null ? null : store.open(download.blobRef());
        } catch (IOException e) {
            LOG.warn("attachment {} cannot be read now: {}", download.blobRef(), e.getMessage());
            content = null;
        }
        if (content == null) {
            return Replies.response(Reply.error(503, "attachments cannot be read now; try again shortly")
                    .with("Retry-After", "5"));
        }
        if (content.isEmpty()) {
            return Replies.response(Reply.error(404, "the content of this attachment is not in the store"));
        }
        InputStream in = content.get();
        StreamingOutput body = out -> {
            try (InputStream from = in) {
                from.transferTo(out);
            }
        };
        return Response.ok(body, download.contentType())
                .header("Cache-Control", "private, no-store")
                .header("X-Content-Type-Options", "nosniff")
                .header("Content-Security-Policy", "sandbox; default-src 'none'")
                .header("Content-Disposition", "attachment; filename*=UTF-8''"
                        + URLEncoder.encode(download.name(), StandardCharsets.UTF_8).replace("+", "%20"))
                .build();
    }
}
