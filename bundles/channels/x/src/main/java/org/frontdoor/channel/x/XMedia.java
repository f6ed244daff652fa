package org.frontdoor.channel.x;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Locale;

import com.fasterxml.jackson.databind.JsonNode;
import org.frontdoor.api.Attachment;
import org.frontdoor.api.Blobs;
import org.frontdoor.plugin.media.MediaFetches;

/**
 * A photo, GIF or video of a post or direct message: what the message shows at once (name, type, no content yet),
 * and where its content is. For a video or GIF that is the mp4 variant of the highest bitrate, for a photo
 * {@code media_url_https}.
 */
record XMedia(Attachment attachment, URI url) {

    /** Fetches one medium into the blob store; null when it is larger than the instance takes. */
    @FunctionalInterface
    interface Fetcher {
        Attachment fetch(XInstance instance, XMedia media) throws Exception;
    }

    static XMedia of(JsonNode item) {
        String photo = item.path("media_url_https").asText(item.path("media_url").asText(""));
        String kind = item.path("type").asText("photo");
        String video = null;
        long bitrate = -1;
        for (JsonNode variant : item.path("video_info").path("variants")) {
            if ("video/mp4".equals(variant.path("content_type").asText()) && variant.path("url").isTextual()
                    && variant.path("bitrate").asLong(0) > bitrate) {
                bitrate = variant.path("bitrate").asLong(0);
                video = variant.path("url").asText();
            }
        }
        // a video without its variants is not fetched: its media_url_https is only a still of it
        String url = video != null ? video : "photo".equals(kind) ? photo : "";
        String shown = video != null ? video : photo;
        String path = shown.replaceAll("[?#].*$", "");
        String name = path.isEmpty() ? item.path("id_str").asText("media") : path.substring(path.lastIndexOf('/') + 1);
        String type = switch (kind) {
            case "video" -> "video/mp4";
            case "animated_gif" -> video != null ? "video/mp4" : "image/gif";
            default -> name.toLowerCase(Locale.ROOT).endsWith(".png") ? "image/png" : "image/jpeg";
        };
        URI uri;
        try {
            uri = url.isEmpty() ? null : URI.create(url);
        } catch (IllegalArgumentException e) {
            uri = null;
        }
        return new XMedia(new Attachment(name, type, 0, null), uri);
    }

    /** The default {@link Fetcher}: GET with the account's access token as Bearer header, into the blob store. */
    static Fetcher into(Blobs blobs) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
                .followRedirects(HttpClient.Redirect.NEVER).build();
        return (instance, media) -> {
            String access = instance.tokens().access();
            HttpRequest.Builder request = HttpRequest.newBuilder(media.url()).timeout(instance.requestTimeout()
                    .multipliedBy(6)).GET();
            if (access != null) {
                request.header("Authorization", "Bearer " + access);
            }
            HttpResponse<InputStream> answer;
            try {
                answer = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
            } catch (IOException e) {
                throw new MediaFetches.Failed("X did not answer (" + e.getClass().getSimpleName() + ")", null);
            }
            try (InputStream content = answer.body()) {
                int status = answer.statusCode();
                if (status == 200) {
                    try {
                        return blobs.store(media.attachment().name(), media.attachment().mediaType(), content,
                                instance.maxAttachmentBytes());
                    } catch (IllegalArgumentException tooLarge) {
                        return null;
                    }
                }
                Duration wait = null;
                if (status == 429) {
                    wait = answer.headers().firstValue("x-rate-limit-reset").map(XMedia::untilReset)
                            .or(() -> answer.headers().firstValue("Retry-After").map(XMedia::seconds)).orElse(null);
                }
                if (status == 401) {
                    throw new MediaFetches.Failed("X refused the account's token for the media (401)", null);
                }
                throw new MediaFetches.Failed("X answered " + status, wait);
            }
        };
    }

    private static Duration untilReset(String epochSeconds) {
        try {
            long wait = Long.parseLong(epochSeconds.trim()) - System.currentTimeMillis() / 1000;
            return Duration.ofSeconds(Math.max(1, Math.min(wait, 900)));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static Duration seconds(String value) {
        try {
            return Duration.ofSeconds(Math.max(1, Math.min(Long.parseLong(value.trim()), 900)));
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
