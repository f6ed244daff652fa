package org.frontdoor.channel.meta;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;
import org.frontdoor.api.Attachment;
import org.frontdoor.api.Identity;
import org.frontdoor.api.IngestReceipt;
import org.frontdoor.api.Message;
import org.frontdoor.api.Visibility;
import org.frontdoor.api.delivery.DeliveryReceipt;
import org.frontdoor.api.delivery.DeliveryReceipts;
import org.frontdoor.plugin.http.JsonWebhook;
import org.frontdoor.plugin.media.MediaFetches;
import org.frontdoor.plugin.http.StrictJson;

/**
 * What {@code /webhooks/meta/{instance}} does, apart from the servlet plumbing: the verification on GET; on POST the
 * signature first, then the JSON, then each message and comment stored through core, and the answer.
 *
 * <p>One webhook takes the three products, told apart by {@code object}:
 * <ul>
 * <li>{@code page}: {@code entry[].messaging[]} (Messenger messages: private, thread {@code fb:<page>:<psid>}) and
 *     {@code entry[].changes[]} with field {@code feed} (comments on the Page's posts: public, thread
 *     {@code fbpost:<post_id>});</li>
 * <li>{@code instagram}: {@code entry[].messaging[]} (Instagram direct messages: private, thread
 *     {@code ig:<account>:<igsid>}) and {@code entry[].changes[]} with field {@code comments} (comments on the
 *     account's media: public, thread {@code igmedia:<media id>});</li>
 * <li>{@code whatsapp_business_account}: {@code entry[].changes[].value.messages[]} (private, thread
 *     {@code wa:<phone_number_id>:<wa_id>}); {@code statuses[]} are delivery receipts ({@link MetaReceipts}).</li>
 * </ul>
 * The vendor's ids (Messenger and Instagram {@code mid}, {@code comment_id}, WhatsApp {@code wamid}) are the external
 * ids, so a redelivery stores nothing new. The Page's and account's own messages (echoes, its own comments) are
 * counted as ignored.
 */
final class MetaWebhookHandler extends JsonWebhook {

    @FunctionalInterface
    interface Ingest {
        CompletionStage<IngestReceipt> ingest(Message message) throws Exception;
    }

    /** What the GET verification answers: a status and a plain-text body (the challenge, or why not). */
    record Verification(int status, String text) {
    }

    private final Function<String, MetaInstance> instances;
    private final Predicate<String> configured;
    private final Ingest ingest;
    private final DeliveryReceipts receipts;

    /** Receipts for a handler given nowhere to report them: refused, so Meta sends them again (503). */
    private static final DeliveryReceipts NO_RECEIPTS = receipt -> {
        throw new IllegalStateException("this handler records no delivery receipts");
    };

    private final MetaMedia.Fetcher fetcher;
    private final MediaFetches fetches;

    /** A handler that fetches no files and refuses delivery receipts (tests of messages only). */
    MetaWebhookHandler(Function<String, MetaInstance> instances, Predicate<String> configured, Ingest ingest) {
        this(instances, configured, ingest, NO_RECEIPTS, null, null);
    }

    /** A handler that fetches no files: they stay in their messages without content. */
    MetaWebhookHandler(Function<String, MetaInstance> instances, Predicate<String> configured, Ingest ingest,
                       DeliveryReceipts receipts) {
        this(instances, configured, ingest, receipts, null, null);
    }

    /** A handler that refuses delivery receipts and fetches files with {@code fetcher}, through {@code fetches}. */
    MetaWebhookHandler(Function<String, MetaInstance> instances, Predicate<String> configured, Ingest ingest,
                       MetaMedia.Fetcher fetcher, MediaFetches fetches) {
        this(instances, configured, ingest, NO_RECEIPTS, fetcher, fetches);
    }

    /**
     * @param receipts where the delivery receipts of a delivery are reported ({@link MetaReceipts})
     * @param fetcher  fetches the files of each stored message, through {@code fetches}; null for none
     */
    MetaWebhookHandler(Function<String, MetaInstance> instances, Predicate<String> configured, Ingest ingest,
                       DeliveryReceipts receipts, MetaMedia.Fetcher fetcher, MediaFetches fetches) {
        this.instances = instances;
        this.configured = configured;
        this.ingest = ingest;
        this.receipts = receipts;
        this.fetcher = fetcher;
        this.fetches = fetches;
    }

    private MetaInstance usable(String instanceName) throws Refused {
        MetaInstance instance = instanceName == null ? null : instances.apply(instanceName);
        if (instance == null) {
            if (instanceName != null && configured.test(instanceName)) {
                throw new Refused(notRunning(instanceName));
            }
            throw new Refused(unknownInstance("Meta", instanceName));
        }
        if (instance.appSecret() == null) {
            throw new Refused(notUsable(instance.instance(), instance.health().reason()));
        }
        return instance;
    }

    /** {@code GET ?hub.mode=subscribe&hub.verify_token=...&hub.challenge=...}: Meta's verification request. */
    Verification verify(String instanceName, String mode, String token, String challenge) {
        MetaInstance instance;
        try {
            instance = usable(instanceName);
        } catch (Refused refused) {
            return new Verification(refused.result.status(), refused.result.body());
        }
        if (!"subscribe".equals(mode)) {
            return new Verification(400, "hub.mode must be subscribe");
        }
        if (challenge == null || challenge.isEmpty() || challenge.length() > 1024
                || !challenge.chars().allMatch(c -> c > 32 && c < 127)) {
            return new Verification(400, "missing or unusable hub.challenge");
        }
        if (instance.verifyToken() == null) {
            return new Verification(503, "channel instance '" + instance.instance() + "' has no verifyToken: "
                    + "set it in " + instance.source());
        }
        if (!MetaSignatures.tokenMatches(instance.verifyToken(), token)) {
            return new Verification(403, "hub.verify_token does not match the verifyToken of this door");
        }
        return new Verification(200, challenge);
    }

    /**
     * {@code POST}: the answer once there is one, at once for a refused request, once every message is durable
     * otherwise. The stage never fails.
     *
     * @param body the raw body, or null when it was larger than the instance's maxBodyBytes
     */
    CompletionStage<Result> handle(String instanceName, Function<String, String> headers, byte[] body) {
        Parsed parsed;
        List<DeliveryReceipt> reported;
        try {
            MetaInstance instance = usable(instanceName);
            if (body == null) {
                throw new Refused(tooLarge("body", instance.maxBodyBytes()));
            }
            String bad = MetaSignatures.verify(instance.appSecret(), headers.apply(MetaSignatures.SIGNATURE_HEADER),
                    body);
            if (bad != null) {
                throw new Refused(Result.error(bad.startsWith("missing") ? 401 : 403, bad));
            }
            try {
                parsed = parse(instance.instance(), instance.pageId(), instance.instagramAccountId(), body);
                reported = MetaReceipts.parse(instance.instance(), body);
            } catch (IllegalArgumentException e) {
                throw new Refused(Result.error(400, e.getMessage()));
            }
        } catch (Refused refused) {
            return CompletableFuture.completedFuture(refused.result);
        }
        try {
            for (DeliveryReceipt receipt : reported) {
                receipts.report(receipt); // durable before the answer: Meta sends it again after a 503
            }
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(failed(e, "delivery receipt"));
        }
        CompletableFuture<Counts> all = CompletableFuture.completedFuture(
                new Counts(0, 0, parsed.ignored(), parsed.statuses(), reported.size()));
        Map<String, List<MetaMedia.Source>> files = fetches == null ? Map.of() : MetaMedia.sources(body);
        for (Message message : parsed.messages()) {
            List<MetaMedia.Source> sources = files.getOrDefault(message.externalId(), List.of());
            all = all.thenCompose(counts -> {
                try {
                    return ingest.ingest(message).toCompletableFuture().thenApply(receipt -> {
                        if (!sources.isEmpty()) {
                            // after the commit; a redelivery fetches only what the first could not fill in
                            MetaMedia.after(receipt, message, sources, instanceName, instances, fetcher, fetches);
                        }
                        return counts.add(receipt);
                    });
                } catch (Exception e) {
                    return CompletableFuture.failedFuture(e);
                }
            });
        }
        return all.handle((counts, failure) -> failure == null ? accepted(counts) : failed(failure, "message"));
    }

    private record Counts(int stored, int duplicates, int ignored, int statuses, int receipts) {
        Counts add(IngestReceipt receipt) {
            return receipt.duplicate() ? new Counts(stored, duplicates + 1, ignored, statuses, receipts)
                    : new Counts(stored + 1, duplicates, ignored, statuses, receipts);
        }
    }

    private static Result accepted(Counts counts) {
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("stored", counts.stored());
        answer.put("duplicates", counts.duplicates());
        answer.put("ignored", counts.ignored());
        answer.put("statuses", counts.statuses());
        answer.put("receipts", counts.receipts());
        return Result.json(200, answer); // Meta wants a 200, for a redelivery too, or it retries
    }

    /** The messages of a delivery, the events not for Frontdoor, and the WhatsApp status callbacks. */
    record Parsed(List<Message> messages, int ignored, int statuses) {
    }

    /** Reads a delivery of any of the three products. */
    static Parsed parse(String instance, String pageId, String instagramId, byte[] body) {
        JsonNode root = StrictJson.readObject(body);
        String object = StrictJson.requiredText(root, "object", "object");
        if (!object.equals("page") && !object.equals("instagram") && !object.equals("whatsapp_business_account")) {
            throw new IllegalArgumentException("object must be page, instagram or whatsapp_business_account, not '"
                    + (object.length() > 40 ? object.substring(0, 40) + "…" : object) + "'");
        }
        JsonNode entries = root.get("entry");
        if (entries == null || !entries.isArray()) {
            throw new IllegalArgumentException("missing field: entry (an array)");
        }
        String raw = new String(body, StandardCharsets.UTF_8);
        Collector out = new Collector(instance, raw);
        for (int i = 0; i < entries.size(); i++) {
            JsonNode entry = entries.get(i);
            String path = "entry[" + i + "]";
            if (!entry.isObject()) {
                throw new IllegalArgumentException(path + " must be an object");
            }
            String entryId = StrictJson.requiredText(entry, "id", path + ".id");
            switch (object) {
                case "page" -> {
                    String own = pageId != null ? pageId : entryId;
                    messaging(out, entry, path, own, "fb", entryId);
                    changes(out, entry, path, c -> {
                        if ("feed".equals(c.field)) {
                            out.add(pageComment(out, c.value, c.path, own));
                        } else {
                            out.ignored++;
                        }
                    });
                }
                case "instagram" -> {
                    String own = instagramId != null ? instagramId : entryId;
                    messaging(out, entry, path, own, "ig", entryId);
                    changes(out, entry, path, c -> {
                        if ("comments".equals(c.field) || "live_comments".equals(c.field)) {
                            out.add(instagramComment(out, c.value, c.path, own, entry));
                        } else {
                            out.ignored++;
                        }
                    });
                }
                case "whatsapp_business_account" -> changes(out, entry, path, c -> {
                    if ("messages".equals(c.field)) {
                        whatsapp(out, c.value, c.path);
                    } else {
                        out.ignored++;
                    }
                });
                default -> throw new IllegalStateException(object);
            }
        }
        return new Parsed(List.copyOf(out.messages), out.ignored, out.statuses);
    }

    /** The messages and counts of one delivery, as they are read. */
    private static final class Collector {
        final String instance;
        final String raw;
        final List<Message> messages = new ArrayList<>();
        int ignored;
        int statuses;

        Collector(String instance, String raw) {
            this.instance = instance;
            this.raw = raw;
        }

        void add(Message m) {
            if (m == null) {
                ignored++;
            } else {
                messages.add(m);
            }
        }

        Message.Builder message() {
            return Message.inbound(MetaInstance.CHANNEL_ID, instance).rawPayload(raw);
        }
    }

    private record Change(String field, JsonNode value, String path) {
    }

    private static void changes(Collector out, JsonNode entry, String path, java.util.function.Consumer<Change> each) {
        JsonNode changes = entry.get("changes");
        if (changes == null) {
            return;
        }
        if (!changes.isArray()) {
            throw new IllegalArgumentException(path + ".changes must be an array");
        }
        for (int j = 0; j < changes.size(); j++) {
            String p = path + ".changes[" + j + "]";
            JsonNode change = changes.get(j);
            if (!change.isObject()) {
                throw new IllegalArgumentException(p + " must be an object");
            }
            String field = StrictJson.requiredText(change, "field", p + ".field");
            JsonNode value = change.get("value");
            if (value == null || !value.isObject()) {
                throw new IllegalArgumentException("missing field: " + p + ".value");
            }
            each.accept(new Change(field, value, p + ".value"));
        }
    }

    /** Messenger and Instagram messaging events: messages from customers; echoes, reads, deliveries ignored. */
    private static void messaging(Collector out, JsonNode entry, String path, String own, String side,
                                  String entryId) {
        JsonNode events = entry.get("messaging");
        if (events == null) {
            return;
        }
        if (!events.isArray()) {
            throw new IllegalArgumentException(path + ".messaging must be an array");
        }
        for (int j = 0; j < events.size(); j++) {
            String p = path + ".messaging[" + j + "]";
            JsonNode event = events.get(j);
            if (!event.isObject()) {
                throw new IllegalArgumentException(p + " must be an object");
            }
            JsonNode message = event.get("message");
            if (message == null) {
                out.ignored++; // delivery, read, reaction, postback...: nothing to answer
                continue;
            }
            if (!message.isObject()) {
                throw new IllegalArgumentException(p + ".message must be an object");
            }
            String sender = StrictJson.requiredText(event.path("sender"), "id", p + ".sender.id");
            String recipient = StrictJson.requiredText(event.path("recipient"), "id", p + ".recipient.id");
            if (message.path("is_echo").asBoolean(false) || sender.equals(own) || sender.equals(entryId)) {
                out.ignored++; // what the Page or account sent (our own replies)
                continue;
            }
            String mid = StrictJson.requiredText(message, "mid", p + ".message.mid");
            String text = StrictJson.text(message, "text", p + ".message.text");
            List<Attachment> attachments = new ArrayList<>();
            JsonNode files = message.path("attachments");
            if (files.isArray()) {
                for (JsonNode file : files) {
                    attachments.add(new Attachment(file.path("type").asText("file"),
                            mime(file.path("type").asText("")), 0, null));
                }
            }
            if ((text == null || text.isEmpty()) && attachments.isEmpty()) {
                out.ignored++; // a sticker-only like, a story mention without text
                continue;
            }
            out.add(out.message()
                    .externalId(mid)
                    .visibility(Visibility.PRIVATE)
                    .author(Identity.of(MetaInstance.CHANNEL_ID, side + ":" + sender))
                    .text(text == null ? "" : text)
                    .threadRef(side + ":" + recipient + ":" + sender)
                    .attachments(attachments)
                    .receivedAt(millis(event.get("timestamp"), p + ".timestamp"))
                    .build());
        }
    }

    /** A comment on the Page's feed ({@code item: comment, verb: add}); posts, reactions, edits ignored. */
    private static Message pageComment(Collector out, JsonNode value, String path, String own) {
        if (!"comment".equals(value.path("item").asText()) || !"add".equals(value.path("verb").asText())) {
            return null;
        }
        String commentId = StrictJson.requiredText(value, "comment_id", path + ".comment_id");
        String postId = StrictJson.requiredText(value, "post_id", path + ".post_id");
        JsonNode from = value.get("from");
        if (from == null || !from.isObject()) {
            throw new IllegalArgumentException("missing field: " + path + ".from");
        }
        String author = StrictJson.requiredText(from, "id", path + ".from.id");
        if (author.equals(own)) {
            return null; // the Page's own comment (our reply)
        }
        String name = StrictJson.text(from, "name", path + ".from.name");
        String text = StrictJson.text(value, "message", path + ".message");
        JsonNode created = value.get("created_time");
        return out.message()
                .externalId(commentId)
                .visibility(Visibility.PUBLIC)
                .author(new Identity(MetaInstance.CHANNEL_ID, "fb:" + author, blankToNull(name), null, null, 0))
                .text(text == null ? "" : text)
                .threadRef("fbpost:" + postId)
                .receivedAt(created == null ? null : seconds(created, path + ".created_time"))
                .build();
    }

    /** A comment on the Instagram account's media; its own comments ignored. */
    private static Message instagramComment(Collector out, JsonNode value, String path, String own, JsonNode entry) {
        String commentId = StrictJson.requiredText(value, "id", path + ".id");
        JsonNode from = value.get("from");
        if (from == null || !from.isObject()) {
            throw new IllegalArgumentException("missing field: " + path + ".from");
        }
        String author = StrictJson.requiredText(from, "id", path + ".from.id");
        if (author.equals(own)) {
            return null;
        }
        String mediaId = StrictJson.requiredText(value.path("media"), "id", path + ".media.id");
        String username = StrictJson.text(from, "username", path + ".from.username");
        String text = StrictJson.text(value, "text", path + ".text");
        JsonNode time = entry.get("time");
        return out.message()
                .externalId(commentId)
                .visibility(Visibility.PUBLIC)
                .author(new Identity(MetaInstance.CHANNEL_ID, "ig:" + author,
                        username == null || username.isBlank() ? null : "@" + username, null, null, 0))
                .text(text == null ? "" : text)
                .threadRef("igmedia:" + mediaId)
                .receivedAt(time == null ? null : seconds(time, "entry.time"))
                .build();
    }

    /** A WhatsApp Cloud API change: its messages, and its statuses counted. */
    private static void whatsapp(Collector out, JsonNode value, String path) {
        String phoneNumberId = StrictJson.requiredText(value.path("metadata"), "phone_number_id",
                path + ".metadata.phone_number_id");
        if (!phoneNumberId.matches("[0-9]{1,25}")) {
            throw new IllegalArgumentException(path + ".metadata.phone_number_id must be a number");
        }
        Map<String, String> names = new LinkedHashMap<>();
        JsonNode contacts = value.path("contacts");
        if (contacts.isArray()) {
            for (JsonNode contact : contacts) {
                String waId = contact.path("wa_id").asText("");
                String name = contact.path("profile").path("name").asText("");
                if (!waId.isEmpty() && !name.isBlank()) {
                    names.put(waId, name);
                }
            }
        }
        JsonNode statuses = value.get("statuses");
        if (statuses != null) {
            if (!statuses.isArray()) {
                throw new IllegalArgumentException(path + ".statuses must be an array");
            }
            out.statuses += statuses.size();
        }
        JsonNode messages = value.get("messages");
        if (messages == null) {
            return;
        }
        if (!messages.isArray()) {
            throw new IllegalArgumentException(path + ".messages must be an array");
        }
        for (int k = 0; k < messages.size(); k++) {
            String p = path + ".messages[" + k + "]";
            JsonNode m = messages.get(k);
            if (!m.isObject()) {
                throw new IllegalArgumentException(p + " must be an object");
            }
            String from = StrictJson.requiredText(m, "from", p + ".from");
            if (!from.matches("[0-9]{4,20}")) {
                throw new IllegalArgumentException(p + ".from must be a WhatsApp id (the phone number's digits)");
            }
            String id = StrictJson.requiredText(m, "id", p + ".id");
            String type = StrictJson.requiredText(m, "type", p + ".type");
            String text;
            List<Attachment> attachments = new ArrayList<>();
            switch (type) {
                case "text" -> text = StrictJson.requiredText(m.path("text"), "body", p + ".text.body");
                case "image", "video", "audio", "document", "sticker" -> {
                    JsonNode media = m.path(type);
                    text = media.path("caption").asText("");
                    String name = media.path("filename").asText(type);
                    attachments.add(new Attachment(name.isBlank() ? type : name,
                            media.path("mime_type").asText("application/octet-stream"), 0, null));
                }
                case "button" -> text = m.path("button").path("text").asText("");
                case "interactive" -> {
                    JsonNode reply = m.path("interactive").path("button_reply");
                    if (!reply.isObject()) {
                        reply = m.path("interactive").path("list_reply");
                    }
                    text = reply.path("title").asText("");
                }
                case "location" -> text = "[location " + m.path("location").path("latitude").asText("?") + ", "
                        + m.path("location").path("longitude").asText("?") + "]";
                default -> text = null; // reaction, system, unsupported: nothing to answer
            }
            if (text == null || (text.isEmpty() && attachments.isEmpty())) {
                out.ignored++;
                continue;
            }
            out.add(out.message()
                    .externalId(id)
                    .visibility(Visibility.PRIVATE)
                    .author(new Identity(MetaInstance.CHANNEL_ID, "wa:" + from, names.get(from), null, "+" + from, 0))
                    .text(text)
                    .threadRef("wa:" + phoneNumberId + ":" + from)
                    .attachments(attachments)
                    .receivedAt(seconds(m.get("timestamp"), p + ".timestamp"))
                    .build());
        }
    }

    private static String mime(String type) {
        return switch (type) {
            case "image" -> "image/jpeg";
            case "video" -> "video/mp4";
            case "audio" -> "audio/mpeg";
            default -> "application/octet-stream";
        };
    }

    /** Epoch seconds, as a number or a string of digits (WhatsApp sends a string). */
    private static Instant seconds(JsonNode node, String path) {
        long value = number(node, path);
        return value > 100_000_000_000L ? Instant.ofEpochMilli(value) : Instant.ofEpochSecond(value);
    }

    private static Instant millis(JsonNode node, String path) {
        if (node == null) {
            return null;
        }
        return Instant.ofEpochMilli(number(node, path));
    }

    private static long number(JsonNode node, String path) {
        if (node == null || node.isNull()) {
            throw new IllegalArgumentException("missing field: " + path);
        }
        String digits = node.isNumber() ? node.asText() : node.isTextual() ? node.asText() : "";
        if (!digits.matches("[0-9]{1,15}")) {
            throw new IllegalArgumentException(path + " must be a time in epoch seconds or milliseconds");
        }
        return Long.parseLong(digits);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
