package org.frontdoor.channel.meta;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;
import org.frontdoor.api.Attachment;
import org.frontdoor.api.Blobs;
import org.frontdoor.api.IngestReceipt;
import org.frontdoor.api.Message;
import org.frontdoor.plugin.media.MediaFetches;

/**
 * The files of stored Meta messages, fetched after the commit into the blob store. A Messenger or Instagram
 * attachment's {@code payload.url} is Meta's signed CDN address: fetched without the token. A WhatsApp image, audio,
 * video, document or sticker is a media id: {@code GET /{version}/{media-id}} on the Graph API with the Bearer token
 * gives its {@code url} (and {@code file_size}), downloaded with the Bearer token, which goes only to the Graph API's
 * host and Meta's own ({@code *.fbsbx.com}, {@code *.facebook.com}, {@code *.whatsapp.net}). A file over
 * {@code maxAttachmentBytes} stays without content; a refused token turns the door AUTH_EXPIRED as a reply's would.
 * Failures name the host, never a URL's path or query (signed) or the token.
 */
final class MetaMedia {

    /** Where one attachment's content is: a CDN URL, or a WhatsApp media id. */
    record Source(URI url, String whatsappId) {
    }

    /** Fetches one attachment into the blob store; null when it is larger than the instance takes. */
    @FunctionalInterface
    interface Fetcher {
        Attachment fetch(MetaInstance instance, Source source, Attachment shown) throws Exception;
    }

    private static final int MAX_REDIRECTS = 3;

    private MetaMedia() {
    }

    /**
     * The sources of each message's attachments in a delivery, by the message's id, in the order the handler lists
     * the attachments ({@code attachments[]} of a Messenger or Instagram message; the one media object of a WhatsApp
     * message). A source that is no http(s) URL or media id is null: that attachment is not fetched.
     */
    static Map<String, List<Source>> sources(byte[] body) {
        Map<String, List<Source>> out = new HashMap<>();
        JsonNode root;
        try {
            root = MetaWebhookHandler.JSON.readTree(body);
        } catch (IOException e) {
            return out; // the handler refused it already
        }
        for (JsonNode entry : root.path("entry")) {
            for (JsonNode event : entry.path("messaging")) {
                JsonNode message = event.path("message");
                List<Source> files = new ArrayList<>();
                for (JsonNode file : message.path("attachments")) {
                    URI url = MediaFetches.fetchable(file.path("payload").path("url").asText(null));
                    files.add(url == null ? null : new Source(url, null));
                }
                if (!files.isEmpty() && message.path("mid").isTextual()) {
                    out.put(message.path("mid").asText(), files);
                }
            }
            for (JsonNode change : entry.path("changes")) {
                for (JsonNode m : change.path("value").path("messages")) {
                    String type = m.path("type").asText("");
                    if (List.of("image", "video", "audio", "document", "sticker").contains(type)
                            && m.path("id").isTextual()) {
                        String id = m.path(type).path("id").asText("");
                        out.put(m.path("id").asText(), java.util.Collections.singletonList(
                                id.matches("[0-9]{1,40}") ? new Source(null, id) : null));
                    }
                }
            }
        }
        return out;
    }

    /** Hands a stored message's files to {@code fetches}; a redelivery fetches only what is still missing. */
    static void after(IngestReceipt receipt, Message message, List<Source> sources, String instanceName,
                      Function<String, MetaInstance> current, Fetcher fetcher, MediaFetches fetches) {
        List<MediaFetches.Pending> pending = new ArrayList<>();
        for (int i = 0; i < sources.size() && i < message.attachments().size(); i++) {
            Source source = sources.get(i);
            if (source == null) {
                continue;
            }
            Attachment shown = message.attachments().get(i);
            pending.add(new MediaFetches.Pending(i, (source.whatsappId() != null ? "WhatsApp media "
                    : "attachment ") + i + " (" + shown.mediaType() + ")", () -> {
                        MetaInstance instance = current.apply(instanceName);
                        if (instance == null || instance.accessToken() == null) {
                            throw new IllegalStateException("Meta channel instance " + instanceName
                                    + " is not running with a token now");
                        }
                        return fetcher.fetch(instance, source, shown);
                    }));
        }
        if (!pending.isEmpty()) {
            fetches.after(receipt, pending);
        }
    }

    /** The default {@link Fetcher}. */
    static Fetcher into(Blobs blobs) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
                .followRedirects(HttpClient.Redirect.NEVER).build();
        return (instance, source, shown) -> {
            long max = instance.maxAttachmentBytes();
            URI url = source.url();
            boolean bearer = false;
            String type = shown.mediaType();
            if (source.whatsappId() != null) {
                URI object = URI.create(instance.baseUrl() + "/" + instance.graphVersion() + "/"
                        + source.whatsappId());
                JsonNode media;
                try (InputStream in = get(http, instance, object, true)) {
                    media = MetaWebhookHandler.JSON.readTree(in);
                }
                if (media.path("file_size").asLong(0) > max) {
                    return null;
                }
                url = MediaFetches.fetchable(media.path("url").asText(null));
                if (url == null) {
                    throw new MediaFetches.Failed(
                            "Meta gave no download url for WhatsApp media " + source.whatsappId(), null);
                }
                bearer = true;
                type = media.path("mime_type").asText(type);
            }
            try (InputStream content = get(http, instance, url, bearer)) {
                return blobs.store(shown.name(), type, content, max);
            } catch (IllegalArgumentException tooLarge) {
                return null;
            }
        };
    }

    /** A GET that follows a few redirects; the token goes only to Meta's hosts. The caller closes the stream. */
    private static InputStream get(HttpClient http, MetaInstance instance, URI url, boolean bearer)
            throws MediaFetches.Failed, InterruptedException {
        URI at = url;
        for (int hops = 0; hops <= MAX_REDIRECTS; hops++) {
            HttpRequest.Builder request = HttpRequest.newBuilder(at).timeout(instance.requestTimeout().multipliedBy(6))
                    .GET();
            if (bearer && meta(instance, at)) {
                request.header("Authorization", "Bearer " + instance.accessToken());
            }
            HttpResponse<InputStream> answer;
            try {
                answer = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
            } catch (IOException | IllegalArgumentException e) {
                throw new MediaFetches.Failed(
                        host(at) + " did not answer (" + e.getClass().getSimpleName() + ")", null);
            }
            int status = answer.statusCode();
            if (status == 200) {
                return answer.body();
            }
            byte[] said;
            try (InputStream in = answer.body()) {
                said = in.readNBytes(4096);
            } catch (IOException e) {
                said = new byte[0];
            }
            String location = answer.headers().firstValue("Location").orElse(null);
            if (status / 100 == 3 && location != null) {
                at = at.resolve(location);
                if (!"https".equals(at.getScheme()) && !"http".equals(at.getScheme())) {
                    throw new MediaFetches.Failed(host(url) + " redirected to a non-HTTP address", null);
                }
                continue;
            }
            int code = 0;
            try {
                code = MetaWebhookHandler.JSON.readTree(said).path("error").path("code").asInt(0);
            } catch (IOException notJson) {
                // a CDN's page: the status says enough
            }
            String sentence = host(at) + " answered " + status + (code == 0 ? "" : " (code " + code + ")");
            if (bearer && (code == 190 || status == 401)) {
                if (instance.health().status() != org.frontdoor.api.ChannelHealth.Status.AUTH_EXPIRED) {
                    instance.authExpired("Meta refused the access token for a media file (code "
                            + (code == 0 ? status : code) + "): set a new accessToken in " + instance.source());
                }
                throw new MediaFetches.Failed(sentence + ": Meta refused the access token", null);
            }
            Duration wait = null;
            if (status == 429 || code == 4 || code == 80007 || code == 130429) {
                wait = answer.headers().firstValue("Retry-After").map(MetaMedia::seconds).orElse(null);
            }
            throw new MediaFetches.Failed(sentence, wait);
        }
        throw new MediaFetches.Failed(host(url) + " redirected more than " + MAX_REDIRECTS + " times", null);
    }

    /** Whether the token may go to this address: the Graph API's own host, or Meta's media hosts over https. */
    private static boolean meta(MetaInstance instance, URI at) {
        URI graph = instance.baseUrl();
        String host = at.getHost() == null ? "" : at.getHost().toLowerCase(Locale.ROOT);
        if (host.equalsIgnoreCase(graph.getHost()) && at.getPort() == graph.getPort()
                && String.valueOf(at.getScheme()).equalsIgnoreCase(graph.getScheme())) {
            return true;
        }
        return "https".equals(at.getScheme()) && (host.endsWith(".fbsbx.com") || host.endsWith(".facebook.com")
                || host.endsWith(".whatsapp.net"));
    }

    private static String host(URI u) {
        return u.getHost() == null ? "(no host)" : u.getHost() + (u.getPort() == -1 ? "" : ":" + u.getPort());
    }

    private static Duration seconds(String value) {
        try {
            return Duration.ofSeconds(Math.max(1, Math.min(Long.parseLong(value.trim()), 900)));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** A failure's text without URLs: Meta's are signed. */
    static String mask(String text) {
        return text == null ? null : text.replaceAll("https?://\\S+", "<url>");
    }
}
