package org.frontdoor.channel.mastodon;

import java.io.BufferedReader;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Locale;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import org.frontdoor.api.Identity;
import org.frontdoor.api.Message;
import org.frontdoor.api.Visibility;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Element;
import org.jsoup.nodes.Node;
import org.jsoup.nodes.TextNode;
import org.jsoup.select.NodeTraversor;
import org.jsoup.select.NodeVisitor;

/**
 * What Mastodon sends, read: the Server-Sent Events of the streaming API, a Notification (as documented at
 * docs.joinmastodon.org/entities/Notification), its Status's HTML content as plain text. Only a {@code mention} with
 * a status becomes a {@link Mention}; the status id is the dedupe key.
 */
final class MastodonNotifications {

    /** Mastodon's status visibilities: public and unlisted are answered in public, private and direct in private. */
    private static final java.util.Set<String> VISIBILITIES = java.util.Set.of("public", "unlisted", "private",
            "direct");

    private MastodonNotifications() {
    }

    /** One mention of the account. */
    record Mention(String notificationId, String statusId, String inReplyToId, String visibility, String text,
                   String acct, String displayName, Instant createdAt, String url, String raw) {

        /** Public and unlisted statuses are public; followers-only ({@code private}) and direct ones private. */
        Visibility side() {
            return "public".equals(visibility) || "unlisted".equals(visibility) ? Visibility.PUBLIC
                    : Visibility.PRIVATE;
        }

        /** The message for core: one conversation per customer and side (their public mentions, their private ones). */
        Message message(String instance) {
            Visibility side = side();
            return Message.inbound(MastodonInstance.CHANNEL_ID, instance)
                    .externalId(statusId)
                    .visibility(side)
                    .author(new Identity(MastodonInstance.CHANNEL_ID, acct, displayName, null, null, 0))
                    .threadRef((side == Visibility.PUBLIC ? "mentions:" : "direct:") + acct.toLowerCase(Locale.ROOT))
                    .text(text)
                    .receivedAt(createdAt)
                    .rawPayload(raw)
                    .build();
        }
    }

    /** One server-sent event: its {@code event} name ({@code message} when none) and its data lines joined. */
    record Event(String name, String data) {
    }

    /**
     * The next event of a stream, or null at its end. Comment lines (Mastodon's {@code :thump} heartbeat) and
     * {@code id}/{@code retry} fields are skipped; {@code onLine} is told of every line, heartbeats included.
     */
    static Event next(BufferedReader stream, Runnable onLine) throws IOException {
        String name = null;
        StringBuilder data = null;
        String line;
        while ((line = stream.readLine()) != null) {
            onLine.run();
            if (line.isEmpty()) {
                if (data != null) {
                    return new Event(name == null ? "message" : name, data.toString());
                }
                name = null;
                continue;
            }
            if (line.startsWith(":")) {
                continue;
            }
            int colon = line.indexOf(':');
            String field = colon < 0 ? line : line.substring(0, colon);
            String value = colon < 0 ? "" : line.substring(colon + 1);
            if (value.startsWith(" ")) {
                value = value.substring(1);
            }
            if ("event".equals(field)) {
                name = value;
            } else if ("data".equals(field)) {
                data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
            }
        }
        return null;
    }

    /**
     * The notification of a {@code notification} event's data: the Notification JSON, or that JSON as a string (the
     * payload of the WebSocket shape, {@code {"event":"notification","payload":"{...}"}}, is taken too).
     */
    static JsonNode notification(String data) {
        JsonNode node;
        try {
            node = MastodonApi.JSON.readTree(data);
            if (node != null && node.isObject() && node.path("payload").isTextual()) {
                node = node.get("payload");
            }
            if (node != null && node.isTextual()) {
                node = MastodonApi.JSON.readTree(node.asText());
            }
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("the notification is not JSON: " + e.getOriginalMessage());
        }
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("the notification is not a JSON object");
        }
        return node;
    }

    /** The mention a Notification carries, or null for another type (a follow, a favourite, a boost...). */
    static Mention mention(JsonNode n) {
        String notificationId = required(n, "id", "id");
        if (!"mention".equals(n.path("type").asText())) {
            return null;
        }
        JsonNode status = n.get("status");
        if (status == null || !status.isObject()) {
            throw new IllegalArgumentException("missing field: status (mention " + notificationId + ")");
        }
        String statusId = required(status, "id", "status.id");
        if (!statusId.matches("[0-9A-Za-z_-]{1,64}")) {
            throw new IllegalArgumentException("field status.id is not a status id: " + shown(statusId));
        }
        String visibility = required(status, "visibility", "status.visibility");
        if (!VISIBILITIES.contains(visibility)) {
            throw new IllegalArgumentException("field status.visibility is not public, unlisted, private or direct: "
                    + shown(visibility));
        }
        JsonNode account = status.get("account");
        if (account == null || !account.isObject()) {
            account = n.get("account");
        }
        if (account == null || !account.isObject()) {
            throw new IllegalArgumentException("missing field: status.account");
        }
        String acct = required(account, "acct", "status.account.acct");
        String displayName = account.path("display_name").asText("").strip();
        String username = account.path("username").asText(acct);
        String name = displayName.isEmpty() ? "@" + acct : displayName + " (@" + acct + ")";
        JsonNode replyTo = status.get("in_reply_to_id");
        String inReplyTo = replyTo == null || replyTo.isNull() ? null : replyTo.asText();
        Instant created = Instant.now();
        String at = status.path("created_at").asText("");
        if (!at.isEmpty()) {
            try {
                created = Instant.parse(at);
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("field status.created_at is not an ISO 8601 time: " + shown(at));
            }
        }
        String text = plainText(status.path("content").asText(""));
        String spoiler = status.path("spoiler_text").asText("").strip();
        if (!spoiler.isEmpty()) {
            text = "CW: " + spoiler + "\n\n" + text;
        }
        String url = status.path("url").asText(null);
        return new Mention(notificationId, statusId, inReplyTo, visibility, text, acct,
                name.isEmpty() ? username : name, created, url, n.toString());
    }

    /**
     * A status's HTML content as the text people read: paragraphs apart by a blank line, {@code <br>} a line break,
     * links as their text (Mastodon splits a long link into invisible and ellipsis spans: all of it is kept), entities
     * decoded, every tag gone. The result is data, never markup.
     */
    static String plainText(String html) {
        if (html == null || html.isEmpty()) {
            return "";
        }
        StringBuilder out = new StringBuilder();
        NodeTraversor.traverse(new NodeVisitor() {
            @Override
            public void head(Node node, int depth) {
                if (node instanceof TextNode t) {
                    out.append(t.getWholeText().replaceAll("[ \\t\\r\\n]+", " "));
                } else if (node instanceof Element e) {
                    String tag = e.normalName();
                    if ("br".equals(tag)) {
                        trimEnd(out);
                        out.append('\n');
                    } else if (block(tag) && out.length() > 0) {
                        paragraph(out);
                    }
                }
            }

            @Override
            public void tail(Node node, int depth) {
                if (node instanceof Element e && block(e.normalName())) {
                    paragraph(out);
                }
            }
        }, Jsoup.parseBodyFragment(html).body());
        String text = out.toString();
        StringBuilder lines = new StringBuilder();
        for (String line : text.split("\n", -1)) {
            lines.append(line.strip()).append('\n');
        }
        return lines.toString().replaceAll("\n{3,}", "\n\n").strip();
    }

    private static boolean block(String tag) {
        return switch (tag) {
            case "p", "div", "blockquote", "pre", "ul", "ol", "li", "h1", "h2", "h3", "h4", "h5", "h6" -> true;
            default -> false;
        };
    }

    private static void paragraph(StringBuilder out) {
        trimEnd(out);
        if (out.length() == 0) {
            return;
        }
        if (out.length() >= 2 && out.charAt(out.length() - 1) == '\n' && out.charAt(out.length() - 2) == '\n') {
            return;
        }
        out.append(out.charAt(out.length() - 1) == '\n' ? "\n" : "\n\n");
    }

    private static void trimEnd(StringBuilder out) {
        while (out.length() > 0 && out.charAt(out.length() - 1) == ' ') {
            out.setLength(out.length() - 1);
        }
    }

    private static String required(JsonNode node, String field, String path) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            throw new IllegalArgumentException("missing field: " + path);
        }
        if (!value.isTextual() && !value.isIntegralNumber()) {
            throw new IllegalArgumentException("field " + path + " must be a string");
        }
        String text = value.asText().strip();
        if (text.isEmpty()) {
            throw new IllegalArgumentException("missing field: " + path);
        }
        return text;
    }

    private static String shown(String value) {
        String one = value.replaceAll("\\p{Cntrl}", " ");
        return one.length() > 40 ? "'" + one.substring(0, 40) + "…'" : "'" + one + "'";
    }
}
