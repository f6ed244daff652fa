package org.frontdoor.channel.x;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
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
import org.frontdoor.plugin.http.JsonWebhook;
import org.frontdoor.plugin.http.StrictJson;
import org.frontdoor.api.Visibility;

/**
 * What {@code /webhooks/x/{instance}} does, apart from the servlet plumbing: the CRC on GET; on POST the signature
 * first, then the JSON, then each mention, reply and direct message stored through core, and the answer.
 */
final class XWebhookHandler extends JsonWebhook {

    @FunctionalInterface
    interface Ingest {
        CompletionStage<IngestReceipt> ingest(Message message) throws Exception;
    }

    private final Function<String, XInstance> instances;
    private final Predicate<String> configured;
    private final Ingest ingest;

    XWebhookHandler(Function<String, XInstance> instances, Predicate<String> configured, Ingest ingest) {
        this.instances = instances;
        this.configured = configured;
        this.ingest = ingest;
    }

    private XInstance usable(String instanceName) throws Refused {
        XInstance instance = instanceName == null ? null : instances.apply(instanceName);
        if (instance == null) {
            if (instanceName != null && configured.test(instanceName)) {
                throw new Refused(notRunning(instanceName));
            }
            throw new Refused(unknownInstance("X", instanceName));
        }
        if (instance.consumerSecret() == null) {
            throw new Refused(notUsable(instance.instance(), instance.health().reason()));
        }
        return instance;
    }

    /** {@code GET ?crc_token=...}: the challenge-response check. */
    Result crc(String instanceName, String crcToken) {
        try {
            XInstance instance = usable(instanceName);
            if (crcToken == null || crcToken.isEmpty()) {
                return Result.error(400, "missing query parameter crc_token");
            }
            if (crcToken.length() > 1024) {
                return Result.error(400, "crc_token is longer than 1024 characters");
            }
            return Result.json(200, Map.of("response_token",
                    XSignatures.responseToken(instance.consumerSecret(), crcToken)));
        } catch (Refused refused) {
            return refused.result;
        }
    }

    /**
     * {@code POST}: the answer once there is one, at once for a refused request, once every message is durable
     * otherwise. The stage never fails.
     *
     * @param body the raw body, or null when it was larger than the instance's maxBodyBytes
     */
    CompletionStage<Result> handle(String instanceName, Function<String, String> headers, byte[] body) {
        Parsed parsed;
        try {
            XInstance instance = usable(instanceName);
            if (body == null) {
                throw new Refused(tooLarge("body", instance.maxBodyBytes()));
            }
            String bad = XSignatures.verify(instance.consumerSecret(), headers.apply(XSignatures.SIGNATURE_HEADER),
                    body);
            if (bad != null) {
                throw new Refused(Result.error(bad.startsWith("missing") ? 401 : 403, bad));
            }
            try {
                parsed = parse(instance.instance(), instance.accountId(), body);
            } catch (IllegalArgumentException e) {
                throw new Refused(Result.error(400, e.getMessage()));
            }
        } catch (Refused refused) {
            return CompletableFuture.completedFuture(refused.result);
        }
        // one after the other, so that the answer says what happened to each; a redelivery stores nothing new
        CompletableFuture<Counts> all = CompletableFuture.completedFuture(new Counts(0, 0, parsed.ignored()));
        for (Message message : parsed.messages()) {
            all = all.thenCompose(counts -> {
                try {
                    return ingest.ingest(message).toCompletableFuture().thenApply(counts::add);
                } catch (Exception e) {
                    return CompletableFuture.failedFuture(e);
                }
            });
        }
        return all.handle((counts, failure) -> failure == null ? accepted(counts) : failed(failure));
    }

    private record Counts(int stored, int duplicates, int ignored) {
        Counts add(IngestReceipt receipt) {
            return receipt.duplicate() ? new Counts(stored, duplicates + 1, ignored)
                    : new Counts(stored + 1, duplicates, ignored);
        }
    }

    private static Result accepted(Counts counts) {
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("stored", counts.stored());
        answer.put("duplicates", counts.duplicates());
        answer.put("ignored", counts.ignored());
        return Result.json(200, answer); // X wants a 200, for a redelivery too, or it retries
    }

    private static Result failed(Throwable failure) {
        return failed(failure, "message");
    }

    /** The messages of a delivery, and how many of its events are not for Frontdoor (our own posts, likes...). */
    record Parsed(List<Message> messages, int ignored) {
    }

    /**
     * Reads an Account Activity delivery: {@code for_user_id}, {@code tweet_create_events} (mentions and replies:
     * public) and {@code direct_message_events} (type {@code message_create}: private, with the {@code users} map).
     * Events the account wrote itself, and other event kinds, are counted as ignored.
     */
    static Parsed parse(String instance, String accountId, byte[] body) {
        JsonNode root = StrictJson.readObject(body);
        String forUser = requiredText(root, "for_user_id", "for_user_id");
        if (accountId != null && !accountId.equals(forUser)) {
            throw new IllegalArgumentException("for_user_id " + forUser + " is not this door's account " + accountId
                    + ": check the subscription of the webhook");
        }
        String raw = new String(body, StandardCharsets.UTF_8);
        List<Message> messages = new ArrayList<>();
        int ignored = 0;
        int known = 0;
        JsonNode tweets = root.get("tweet_create_events");
        if (tweets != null) {
            known++;
            if (!tweets.isArray()) {
                throw new IllegalArgumentException("tweet_create_events must be an array");
            }
            for (int i = 0; i < tweets.size(); i++) {
                Message m = tweet(instance, forUser, tweets.get(i), "tweet_create_events[" + i + "]", raw);
                if (m == null) {
                    ignored++;
                } else {
                    messages.add(m);
                }
            }
        }
        JsonNode dms = root.get("direct_message_events");
        if (dms != null) {
            known++;
            if (!dms.isArray()) {
                throw new IllegalArgumentException("direct_message_events must be an array");
            }
            JsonNode users = root.path("users");
            for (int i = 0; i < dms.size(); i++) {
                Message m = directMessage(instance, forUser, dms.get(i), users, "direct_message_events[" + i + "]",
                        raw);
                if (m == null) {
                    ignored++;
                } else {
                    messages.add(m);
                }
            }
        }
        if (known == 0) {
            ignored++; // favorite_events, follow_events, tweet_delete_events...: nothing to answer
        }
        return new Parsed(messages, ignored);
    }

    private static Message tweet(String instance, String forUser, JsonNode tweet, String path, String raw) {
        if (tweet == null || !tweet.isObject()) {
            throw new IllegalArgumentException(path + " must be an object");
        }
        String id = requiredText(tweet, "id_str", path + ".id_str");
        JsonNode user = tweet.get("user");
        if (user == null || !user.isObject()) {
            throw new IllegalArgumentException("missing field: " + path + ".user");
        }
        String userId = requiredText(user, "id_str", path + ".user.id_str");
        if (userId.equals(forUser) || tweet.has("retweeted_status")) {
            return null; // our own post (a reply we sent), or a retweet: nothing new said to us
        }
        String text = tweetText(tweet, path);
        String inReplyTo = optionalText(tweet, "in_reply_to_status_id_str", path + ".in_reply_to_status_id_str");
        return Message.inbound(XInstance.CHANNEL_ID, instance)
                .externalId(id)
                .visibility(Visibility.PUBLIC)
                .author(author(user, path + ".user", userId))
                .text(text)
                // the post answered, or the post itself: its replies join it
                .threadRef("post:" + (inReplyTo != null ? inReplyTo : id))
                .attachments(media(tweet, path))
                .rawPayload(raw)
                .build();
    }

    private static String tweetText(JsonNode tweet, String path) {
        JsonNode extended = tweet.get("extended_tweet");
        if (extended != null && extended.isObject() && extended.hasNonNull("full_text")) {
            return requiredText(extended, "full_text", path + ".extended_tweet.full_text");
        }
        if (tweet.hasNonNull("full_text")) {
            return requiredText(tweet, "full_text", path + ".full_text");
        }
        return requiredText(tweet, "text", path + ".text");
    }

    private static Message directMessage(String instance, String forUser, JsonNode event, JsonNode users, String path,
                                         String raw) {
        if (event == null || !event.isObject()) {
            throw new IllegalArgumentException(path + " must be an object");
        }
        if (!"message_create".equals(event.path("type").asText())) {
            return null;
        }
        String id = requiredText(event, "id", path + ".id");
        JsonNode create = event.get("message_create");
        if (create == null || !create.isObject()) {
            throw new IllegalArgumentException("missing field: " + path + ".message_create");
        }
        String sender = requiredText(create, "sender_id", path + ".message_create.sender_id");
        String recipient = requiredText(create.path("target"), "recipient_id",
                path + ".message_create.target.recipient_id");
        if (sender.equals(forUser)) {
            return null; // a message the account sent (our reply)
        }
        JsonNode data = create.get("message_data");
        if (data == null || !data.isObject()) {
            throw new IllegalArgumentException("missing field: " + path + ".message_create.message_data");
        }
        String text = requiredText(data, "text", path + ".message_create.message_data.text");
        JsonNode user = users.path(sender);
        Identity author = user.isObject() ? author(user, "users." + sender, sender)
                : new Identity(XInstance.CHANNEL_ID, sender, null, null, null, 0);
        List<Attachment> attachments = new ArrayList<>();
        JsonNode media = data.path("attachment").path("media");
        if (media.isObject()) {
            attachments.add(attachment(media));
        }
        // a conversation between two accounts has one id on X: the two user ids, lower first
        String conversation = compareIds(sender, recipient) < 0 ? sender + "-" + recipient : recipient + "-" + sender;
        return Message.inbound(XInstance.CHANNEL_ID, instance)
                .externalId("dm:" + id)
                .visibility(Visibility.PRIVATE)
                .author(author)
                .text(text)
                .threadRef("dm:" + conversation)
                .attachments(attachments)
                .rawPayload(raw)
                .build();
    }

    private static int compareIds(String a, String b) {
        return a.length() != b.length() ? Integer.compare(a.length(), b.length()) : a.compareTo(b);
    }

    private static Identity author(JsonNode user, String path, String id) {
        String name = optionalText(user, "name", path + ".name");
        String screen = optionalText(user, "screen_name", path + ".screen_name");
        String shown = screen == null ? name : name == null ? "@" + screen : name + " (@" + screen + ")";
        long followers = Math.max(0, user.path("followers_count").asLong(0));
        return new Identity(XInstance.CHANNEL_ID, id, shown, null, null, followers);
    }

    /**
     * The photos, videos and GIFs of a post, as attachments not fetched: fetching from X inside the webhook would
     * hold X's request, so the media stay on X (their address is in the raw payload) and agents see what was sent.
     */
    private static List<Attachment> media(JsonNode tweet, String path) {
        JsonNode media = tweet.path("extended_tweet").path("extended_entities").path("media");
        if (!media.isArray()) {
            media = tweet.path("extended_entities").path("media");
        }
        if (!media.isArray()) {
            media = tweet.path("entities").path("media");
        }
        if (!media.isArray()) {
            return List.of();
        }
        List<Attachment> all = new ArrayList<>();
        for (JsonNode item : media) {
            if (item.isObject()) {
                all.add(attachment(item));
            }
        }
        return all;
    }

    private static Attachment attachment(JsonNode item) {
        String url = item.path("media_url_https").asText(item.path("media_url").asText(""));
        String name = url.isEmpty() ? item.path("id_str").asText("media") : url.substring(url.lastIndexOf('/') + 1);
        String type = switch (item.path("type").asText("photo")) {
            case "video" -> "video/mp4";
            case "animated_gif" -> "image/gif";
            default -> name.toLowerCase(Locale.ROOT).endsWith(".png") ? "image/png" : "image/jpeg";
        };
        return new Attachment(name, type, 0, null);
    }

    private static String requiredText(JsonNode node, String field, String path) {
        return StrictJson.requiredText(node, field, path);
    }

    private static String optionalText(JsonNode node, String field, String path) {
        String text = StrictJson.text(node, field, path);
        return text == null || text.isBlank() ? null : text;
    }
}
