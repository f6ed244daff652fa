package org.frontdoor.channel.x;

import java.nio.charset.StandardCharsets;
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
import org.frontdoor.plugin.http.JsonWebhook;
import org.frontdoor.api.Visibility;
import org.frontdoor.plugin.http.StrictJson;
import org.frontdoor.plugin.media.MediaFetches;

/**
 * What {@code /webhooks/x/{instance}} does, apart from the servlet plumbing: the CRC on GET; on POST the signature
 * first, then the JSON, then each mention, reply and direct message stored through core, and the answer; the photos
 * and videos of each are fetched afterwards ({@link MediaFetches}), never inside X's request.
 */
final class XWebhookHandler extends JsonWebhook {

    @FunctionalInterface
    interface Ingest {
        CompletionStage<IngestReceipt> ingest(Message message) throws Exception;
    }

    private final Function<String, XInstance> instances;
    private final Predicate<String> configured;
    private final Ingest ingest;
    private final XMedia.Fetcher fetcher;
    private final MediaFetches fetches;

    XWebhookHandler(Function<String, XInstance> instances, Predicate<String> configured, Ingest ingest,
                    XMedia.Fetcher fetcher, MediaFetches fetches) {
        this.instances = instances;
        this.configured = configured;
        this.ingest = ingest;
        this.fetcher = fetcher;
        this.fetches = fetches;
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
        XInstance instance;
        try {
            instance = usable(instanceName);
            if (body == null) {
                throw new Refused(tooLarge("body", instance.maxBodyBytes()));
            }
            String bad = XSignatures.verify(instance.consumerSecret(), headers.apply(XSignatures.SIGNATURE_HEADER),
                    body);
            if (bad != null) {
                throw new Refused(Result.error(bad.startsWith("missing") ? 401 : 403, bad));
            }
            try {
                parsed = parse(instance.instance(), instance.accountId(), instance.threads(), body);
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
                    List<XMedia> media = parsed.media().getOrDefault(message.externalId(), List.of());
                    return ingest.ingest(message).toCompletableFuture().thenApply(receipt -> {
                        // the media after the commit, off X's request; a redelivery fills in only what is missing
                        fetchAfter(instance, receipt, message, media);
                        return counts.add(receipt);
                    });
                } catch (Exception e) {
                    return CompletableFuture.failedFuture(e);
                }
            });
        }
        return all.handle((counts, failure) -> failure == null ? accepted(counts) : failed(failure));
    }

    private void fetchAfter(XInstance instance, IngestReceipt receipt, Message message, List<XMedia> media) {
        List<MediaFetches.Pending> pending = new ArrayList<>();
        for (int i = 0; i < media.size(); i++) {
            XMedia item = media.get(i);
            if (item.url() != null && instance.mediaFrom(item.url())) {
                pending.add(new MediaFetches.Pending(i, "X " + item.attachment().mediaType() + " "
                        + item.attachment().name(), () -> fetcher.fetch(current(instance.instance()), item)));
            }
        }
        if (!pending.isEmpty()) {
            fetches.after(receipt, pending);
        }
    }

    /** The instance as configured now: a new cfg (a new token) since the delivery came is used for its media. */
    private XInstance current(String name) {
        XInstance instance = instances.apply(name);
        if (instance == null) {
            throw new IllegalStateException("channel instance x/" + name + " is not running now");
        }
        return instance;
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

    /**
     * The messages of a delivery, the media to fetch for each (by external id, in the order of its attachments), and
     * how many of its events are not for Frontdoor (our own posts, likes...).
     */
    record Parsed(List<Message> messages, Map<String, List<XMedia>> media, int ignored) {
    }

    static Parsed parse(String instance, String accountId, byte[] body) {
        return parse(instance, accountId, new XThreads(null, instance), body);
    }

    /**
     * Reads an Account Activity delivery: {@code for_user_id}, {@code tweet_create_events} (mentions and replies:
     * public) and {@code direct_message_events} (type {@code message_create}: private, with the {@code users} map).
     * Events the account wrote itself, and other event kinds, are counted as ignored.
     */
    static Parsed parse(String instance, String accountId, XThreads threads, byte[] body) {
        JsonNode root = StrictJson.readObject(body);
        String forUser = requiredText(root, "for_user_id", "for_user_id");
        if (accountId != null && !accountId.equals(forUser)) {
            throw new IllegalArgumentException("for_user_id " + forUser + " is not this door's account " + accountId
                    + ": check the subscription of the webhook");
        }
        String raw = new String(body, StandardCharsets.UTF_8);
        List<Message> messages = new ArrayList<>();
        Map<String, List<XMedia>> media = new LinkedHashMap<>();
        int ignored = 0;
        int known = 0;
        JsonNode tweets = root.get("tweet_create_events");
        if (tweets != null) {
            known++;
            if (!tweets.isArray()) {
                throw new IllegalArgumentException("tweet_create_events must be an array");
            }
            for (int i = 0; i < tweets.size(); i++) {
                String path = "tweet_create_events[" + i + "]";
                Message m = tweet(instance, forUser, threads, tweets.get(i), path, raw);
                if (m == null) {
                    ignored++;
                } else {
                    messages.add(m);
                    media.put(m.externalId(), media(tweets.get(i), path));
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
                    JsonNode item = dms.get(i).path("message_create").path("message_data").path("attachment")
                            .path("media");
                    media.put(m.externalId(), item.isObject() ? List.of(XMedia.of(item)) : List.of());
                }
            }
        }
        if (known == 0) {
            ignored++; // favorite_events, follow_events, tweet_delete_events...: nothing to answer
        }
        return new Parsed(messages, media, ignored);
    }

    private static Message tweet(String instance, String forUser, XThreads threads, JsonNode tweet, String path,
                                 String raw) {
        if (tweet == null || !tweet.isObject()) {
            throw new IllegalArgumentException(path + " must be an object");
        }
        String id = requiredText(tweet, "id_str", path + ".id_str");
        JsonNode user = tweet.get("user");
        if (user == null || !user.isObject()) {
            throw new IllegalArgumentException("missing field: " + path + ".user");
        }
        String userId = requiredText(user, "id_str", path + ".user.id_str");
        String inReplyTo = optionalText(tweet, "in_reply_to_status_id_str", path + ".in_reply_to_status_id_str");
        if (userId.equals(forUser)) {
            // our own post (a reply sent from here or on X): nothing new said to us, but answers to it join its thread
            threads.ownPost(id, inReplyTo);
            return null;
        }
        if (tweet.has("retweeted_status")) {
            return null; // a retweet: nothing new said to us
        }
        String text = tweetText(tweet, path);
        // the post answered, or the post itself: its replies join it; an answer to our post joins our post's thread
        String thread = inReplyTo != null ? threads.threadOf(inReplyTo) : "post:" + id;
        if (inReplyTo != null && threads.knows(inReplyTo)) {
            threads.remember(id, thread);
        }
        return Message.inbound(XInstance.CHANNEL_ID, instance)
                .externalId(id)
                .visibility(Visibility.PUBLIC)
                .author(author(user, path + ".user", userId))
                .text(text)
                .threadRef(thread)
                .attachments(media(tweet, path).stream().map(XMedia::attachment).toList())
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
            attachments.add(XMedia.of(media).attachment());
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

    /** The photos, videos and GIFs of a post: their content is fetched after the commit. */
    private static List<XMedia> media(JsonNode tweet, String path) {
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
        List<XMedia> all = new ArrayList<>();
        for (JsonNode item : media) {
            if (item.isObject()) {
                all.add(XMedia.of(item));
            }
        }
        return all;
    }

    private static String requiredText(JsonNode node, String field, String path) {
        return StrictJson.requiredText(node, field, path);
    }

    private static String optionalText(JsonNode node, String field, String path) {
        String text = StrictJson.text(node, field, path);
        return text == null || text.isBlank() ? null : text;
    }
}
