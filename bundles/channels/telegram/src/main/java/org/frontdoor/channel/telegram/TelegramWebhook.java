package org.frontdoor.channel.telegram;

import java.io.InputStream;
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
import org.frontdoor.api.Blobs;
import org.frontdoor.api.IngestReceipt;
import org.frontdoor.api.Message;
import org.frontdoor.plugin.http.JsonWebhook;
import org.frontdoor.plugin.media.MediaFetches;

/**
 * What {@code POST /webhooks/telegram/{instance}} does apart from the servlet: the secret token first (in constant
 * time, before a byte of the body is parsed), then the update, then the message through core with its files'
 * metadata only; the answer is a status and a JSON body, given once the message is stored. The files are fetched
 * afterwards (getFile and the download, off the request: Telegram is never called back inside it) by
 * {@link MediaFetches}, which fills them in through {@link Blobs#attach}.
 */
final class TelegramWebhook extends JsonWebhook {

    /** The header Telegram sends the secret_token of setWebhook in. */
    static final String SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token";

    @FunctionalInterface
    interface Ingest {
        CompletionStage<IngestReceipt> ingest(Message message) throws Exception;
    }

    /**
     * Fetches a file of an update into the blob store; null when it is larger than the instance takes (it stays
     * without content); fails with {@link BotApi.Failure} when Telegram cannot.
     */
    @FunctionalInterface
    interface Files {
        Attachment fetch(TelegramInstance instance, TelegramUpdates.Media media) throws Exception;
    }

    private final Function<String, TelegramInstance> instances;
    private final Predicate<String> configured;
    private final Ingest ingest;
    private final Files files;
    private final MediaFetches fetches;

    TelegramWebhook(Function<String, TelegramInstance> instances, Predicate<String> configured, Ingest ingest,
                    Files files, MediaFetches fetches) {
        this.instances = instances;
        this.configured = configured;
        this.ingest = ingest;
        this.files = files;
        this.fetches = fetches;
    }

    /**
     * The answer: at once for a request refused or ignored, once the message is durable otherwise. Never fails.
     *
     * @param body the raw body, or null when it was larger than the instance's maxBodyBytes
     */
    CompletionStage<Result> handle(String instanceName, Function<String, String> headers, byte[] body) {
        TelegramInstance instance = instanceName == null ? null : instances.apply(instanceName);
        if (instance == null) {
            if (instanceName != null && configured.test(instanceName)) {
                return done(notRunning(instanceName));
            }
            return done(unknownInstance("Telegram", instanceName));
        }
        if (!instance.usable()) {
            return done(notUsable(instance.instance(), instance.health().reason()));
        }
        // the secret before anything else: a forged request learns nothing about the body's checks
        if (!instance.secretMatches(headers.apply(SECRET_HEADER))) {
            return done(Result.error(401, "missing or wrong " + SECRET_HEADER));
        }
        if (body == null) {
            return done(tooLarge("update", instance.maxBodyBytes()));
        }
        TelegramUpdates.Parsed parsed;
        try {
            parsed = TelegramUpdates.parse(instance.instance(), instance.botUsername(), body);
        } catch (IllegalArgumentException e) {
            return done(Result.error(400, e.getMessage()));
        }
        if (parsed.message() == null) {
            // answered 200 so that Telegram does not send it again
            return done(Result.json(200, Map.of("ignored", parsed.ignored())));
        }
        Message message = parsed.message();
        List<MediaFetches.Pending> pending = new ArrayList<>();
        if (!parsed.media().isEmpty()) {
            // metadata now, content after the commit; one over maxAttachmentBytes (by Telegram's size) is not fetched
            List<Attachment> attachments = new ArrayList<>();
            for (TelegramUpdates.Media media : parsed.media()) {
                attachments.add(new Attachment(media.name(), media.mediaType(), Math.max(0, media.size()), null));
                if (media.size() <= instance.maxAttachmentBytes()) {
                    pending.add(new MediaFetches.Pending(attachments.size() - 1,
                            "Telegram file " + (media.name() == null ? media.mediaType() : media.name()),
                            () -> files.fetch(current(instance.instance()), media)));
                }
            }
            message = message.toBuilder().attachments(attachments).build();
        }
        CompletionStage<IngestReceipt> stored;
        try {
            stored = ingest.ingest(message);
        } catch (Exception e) {
            return done(failed(e));
        }
        return stored.handle((receipt, failure) -> {
            if (failure != null) {
                return failed(failure);
            }
            if (!pending.isEmpty()) {
                // a redelivery fetches again only what the first delivery could not fill in
                fetches.after(receipt, pending);
            }
            return accepted(receipt);
        });
    }

    /**
     * The default {@link Files}: getFile, then the download into the blob store. A file over maxAttachmentBytes (by
     * the size Telegram gives) is not fetched, and goes in the message without content.
     */
    static Files fetchingInto(Blobs blobs) {
        return (instance, media) -> {
            long max = instance.maxAttachmentBytes();
            JsonNode file;
            try {
                file = instance.api().call("getFile", Map.of("file_id", media.fileId()));
            } catch (BotApi.Failure f) {
                // a revoked token shows on the channel's health as a reply's failure would
                instance.failed(f);
                throw f;
            }
            String path = file.path("file_path").asText(null);
            if (path == null || path.isBlank()) {
                throw new BotApi.Failure(BotApi.Kind.PASSING, 0, 0, null, "getFile gave no file_path");
            }
            String name = media.name() != null ? media.name() : path.substring(path.lastIndexOf('/') + 1);
            try (InputStream content = instance.api().download(path)) {
                return blobs.store(name, media.mediaType(), content, max);
            } catch (IllegalArgumentException tooLarge) {
                return null;
            }
        };
    }

    /** The instance as configured now: a new cfg (a new token) since the update came is used for its files. */
    private TelegramInstance current(String name) {
        TelegramInstance instance = instances.apply(name);
        if (instance == null || !instance.usable()) {
            throw new IllegalStateException("channel instance telegram/" + name + " is not running now");
        }
        return instance;
    }

    private static CompletionStage<Result> done(Result result) {
        return CompletableFuture.completedFuture(result);
    }

    private static Result accepted(IngestReceipt receipt) {
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("messageId", receipt.messageId());
        answer.put("conversationId", receipt.conversationId());
        answer.put("duplicate", receipt.duplicate());
        // Telegram takes any 2xx; a redelivery is answered 200 so that it stops
        return Result.json(receipt.duplicate() ? 200 : 202, answer);
    }

    private static Result failed(Throwable failure) {
        return failed(failure, "update");
    }
}
