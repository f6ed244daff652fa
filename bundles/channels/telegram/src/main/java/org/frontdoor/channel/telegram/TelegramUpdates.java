package org.frontdoor.channel.telegram;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.frontdoor.api.Annotation;
import org.frontdoor.api.Identity;
import org.frontdoor.api.Message;
import org.frontdoor.api.Visibility;
import org.frontdoor.plugin.http.StrictJson;

/**
 * Reads a Bot API {@code Update} (https://core.telegram.org/bots/api#update) into a {@link Message}, with the
 * documented field names: {@code update_id}; one of {@code message}, {@code edited_message}, {@code channel_post},
 * {@code edited_channel_post}; in it {@code message_id}, {@code chat.id}, {@code chat.type}, {@code from.id},
 * {@code from.username}, {@code text} or {@code caption}, {@code entities}, {@code photo}, {@code document},
 * {@code reply_to_message}.
 *
 * <p>The message's external id is {@code <update_id>:<chat.id>:<message_id>}: the same on every redelivery of an
 * update (so core stores it once, keyed by the update), and it names the message a reply quotes. A private chat is
 * the private side; a group, supergroup or channel is the public side, where only messages for the bot are taken (a
 * mention of it, a command to it, a reply to it). Its thread is the chat: every message of a group chat joins one
 * conversation.
 */
final class TelegramUpdates {

    /** Strict JSON: bytes after the update make it malformed. */
    static final ObjectMapper JSON = StrictJson.MAPPER;

    private static final String[] KINDS = {"message", "edited_message", "channel_post", "edited_channel_post"};

    private TelegramUpdates() {
    }

    /** A file of the message, to fetch by {@code getFile}. */
    record Media(String fileId, String name, String mediaType, long size) {
    }

    /**
     * What an update brings: a message to store (without its attachments yet) and the files to fetch for it, or
     * the reason it is not one to store (an update type the door does not take, a group message not for the bot).
     */
    record Parsed(Message message, List<Media> media, String ignored) {
        static Parsed ignored(String why) {
            return new Parsed(null, List.of(), why);
        }
    }

    /** The external id's parts: the chat and the message a reply answers. */
    record Ref(String chatId, long messageId) {
        /** Reads {@code <update_id>:<chat.id>:<message_id>}, or null when it is not one. */
        static Ref of(String externalId) {
            if (externalId == null) {
                return null;
            }
            String[] parts = externalId.split(":");
            if (parts.length != 3) {
                return null;
            }
            try {
                return new Ref(Long.toString(Long.parseLong(parts[1])), Long.parseLong(parts[2]));
            } catch (NumberFormatException e) {
                return null;
            }
        }
    }

    /**
     * @param botUsername the bot's username without '@', or null while not known (then every group message that
     *                    reaches the bot is taken: with privacy mode on, Telegram sends only those for it)
     * @throws IllegalArgumentException when the body is not a documented update, with the reason
     */
    static Parsed parse(String instance, String botUsername, byte[] body) {
        JsonNode root = StrictJson.readObject(body, "a JSON object (a Telegram Update)");
        JsonNode updateId = root.get("update_id");
        if (updateId == null || !updateId.canConvertToLong() || !updateId.isIntegralNumber()) {
            throw new IllegalArgumentException("missing field: update_id (an integer)");
        }
        String kind = null;
        JsonNode m = null;
        for (String k : KINDS) {
            if (root.hasNonNull(k)) {
                kind = k;
                m = root.get(k);
                break;
            }
        }
        if (m == null) {
            String other = otherKind(root);
            return Parsed.ignored("update type " + other + " is not taken by this door");
        }
        if (!m.isObject()) {
            throw new IllegalArgumentException("field " + kind + " must be an object (a Message)");
        }
        long messageId = requiredLong(m, "message_id", kind + ".message_id");
        JsonNode chat = m.get("chat");
        if (chat == null || !chat.isObject()) {
            throw new IllegalArgumentException("missing field: " + kind + ".chat (an object with id and type)");
        }
        long chatId = requiredLong(chat, "id", kind + ".chat.id");
        String chatType = requiredText(chat, "type", kind + ".chat.type");
        boolean isPrivate = "private".equals(chatType);
        if (!isPrivate && !List.of("group", "supergroup", "channel").contains(chatType)) {
            throw new IllegalArgumentException("field " + kind + ".chat.type must be private, group, supergroup or "
                    + "channel");
        }
        String text = optionalText(m, "text", kind + ".text");
        JsonNode entities = m.get("entities");
        if (text == null) {
            text = optionalText(m, "caption", kind + ".caption");
            entities = m.get("caption_entities");
        }
        Identity author = author(m, kind);
        if (!isPrivate && botUsername != null && !forBot(m, text, entities, botUsername)) {
            return Parsed.ignored("a " + chatType + " message that does not mention @" + botUsername
                    + " is not taken");
        }
        List<Media> media = media(m, kind);
        if (text == null && media.isEmpty()) {
            return Parsed.ignored("a message without text, caption, photo or document (a sticker, a location, a "
                    + "service message) is not taken");
        }
        List<Annotation> annotations = new ArrayList<>();
        if (kind.startsWith("edited_")) {
            annotations.add(new Annotation("edited", Long.toString(messageId), 1));
        }
        JsonNode quoted = m.get("reply_to_message");
        if (quoted != null && quoted.isObject() && quoted.path("message_id").canConvertToLong()) {
            annotations.add(new Annotation("replyTo", quoted.path("message_id").asText(), 1));
        }
        Message message = Message.inbound(TelegramInstance.CHANNEL_ID, instance)
                .externalId(updateId.asLong() + ":" + chatId + ":" + messageId)
                .author(author)
                .visibility(isPrivate ? Visibility.PRIVATE : Visibility.PUBLIC)
                .text(text == null ? "" : text)
                .threadRef(Long.toString(chatId))
                .annotations(annotations)
                .rawPayload(new String(body, StandardCharsets.UTF_8))
                .build();
        return new Parsed(message, media, null);
    }

    private static String otherKind(JsonNode root) {
        for (var names = root.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!"update_id".equals(name)) {
                return name;
            }
        }
        return "empty";
    }

    /** {@code from}, or for a channel post {@code sender_chat}. */
    private static Identity author(JsonNode m, String kind) {
        JsonNode from = m.get("from");
        if (from != null && from.isObject()) {
            long id = requiredLong(from, "id", kind + ".from.id");
            String first = optionalText(from, "first_name", kind + ".from.first_name");
            String last = optionalText(from, "last_name", kind + ".from.last_name");
            String username = optionalText(from, "username", kind + ".from.username");
            String name = first == null ? null : last == null ? first : first + " " + last;
            if (username != null) {
                name = name == null ? "@" + username : name + " (@" + username + ")";
            }
            return new Identity(TelegramInstance.CHANNEL_ID, Long.toString(id), name, null, null, 0);
        }
        JsonNode sender = m.get("sender_chat");
        if (sender != null && sender.isObject()) {
            long id = requiredLong(sender, "id", kind + ".sender_chat.id");
            return new Identity(TelegramInstance.CHANNEL_ID, Long.toString(id),
                    optionalText(sender, "title", kind + ".sender_chat.title"), null, null, 0);
        }
        throw new IllegalArgumentException("missing field: " + kind + ".from (or sender_chat for a channel post)");
    }

    /** A mention of the bot, a command to it, or a reply to one of its messages. */
    private static boolean forBot(JsonNode m, String text, JsonNode entities, String bot) {
        String at = "@" + bot.toLowerCase(Locale.ROOT);
        if (text != null && entities != null && entities.isArray()) {
            for (JsonNode e : entities) {
                String type = e.path("type").asText();
                int offset = e.path("offset").asInt(-1);
                int length = e.path("length").asInt(-1);
                // offsets and lengths are in UTF-16 code units, as Java's String indexes
                if (offset < 0 || length <= 0 || offset + length > text.length()) {
                    continue;
                }
                String part = text.substring(offset, offset + length).toLowerCase(Locale.ROOT);
                if ("mention".equals(type) && part.equals(at)
                        || "bot_command".equals(type) && part.endsWith(at)) {
                    return true;
                }
            }
        }
        JsonNode quotedFrom = m.path("reply_to_message").path("from");
        return quotedFrom.path("is_bot").asBoolean(false)
                && bot.equalsIgnoreCase(quotedFrom.path("username").asText(""));
    }

    /** The largest size of a photo, and a document. */
    private static List<Media> media(JsonNode m, String kind) {
        List<Media> media = new ArrayList<>();
        JsonNode photo = m.get("photo");
        if (photo != null && !photo.isNull()) {
            if (!photo.isArray() || photo.isEmpty()) {
                throw new IllegalArgumentException("field " + kind + ".photo must be an array of PhotoSize");
            }
            JsonNode largest = photo.get(photo.size() - 1);
            String fileId = requiredText(largest, "file_id", kind + ".photo[].file_id");
            media.add(new Media(fileId, "photo-" + m.path("message_id").asText() + ".jpg", "image/jpeg",
                    largest.path("file_size").asLong(-1)));
        }
        JsonNode document = m.get("document");
        if (document != null && !document.isNull()) {
            if (!document.isObject()) {
                throw new IllegalArgumentException("field " + kind + ".document must be an object (a Document)");
            }
            String fileId = requiredText(document, "file_id", kind + ".document.file_id");
            String type = optionalText(document, "mime_type", kind + ".document.mime_type");
            media.add(new Media(fileId, optionalText(document, "file_name", kind + ".document.file_name"),
                    type == null ? "application/octet-stream" : type, document.path("file_size").asLong(-1)));
        }
        return media;
    }

    private static long requiredLong(JsonNode node, String field, String path) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            throw new IllegalArgumentException("missing field: " + path);
        }
        if (!value.isIntegralNumber() || !value.canConvertToLong()) {
            throw new IllegalArgumentException("field " + path + " must be an integer");
        }
        return value.asLong();
    }

    private static String requiredText(JsonNode node, String field, String path) {
        String text = optionalText(node, field, path);
        if (text == null) {
            throw new IllegalArgumentException("missing field: " + path);
        }
        return text;
    }

    private static String optionalText(JsonNode node, String field, String path) {
        String text = StrictJson.text(node, field, path);
        return text == null || text.isEmpty() ? null : text;
    }
}
