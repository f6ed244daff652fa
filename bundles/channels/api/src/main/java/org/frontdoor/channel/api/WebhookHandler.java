package org.frontdoor.channel.api;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.function.LongSupplier;

import com.fasterxml.jackson.databind.JsonNode;
import org.frontdoor.api.Identity;
import org.frontdoor.api.IngestReceipt;
import org.frontdoor.api.Message;
import org.frontdoor.plugin.http.JsonWebhook;
import org.frontdoor.plugin.http.StrictJson;

/**
 * What {@code POST /webhooks/api/{instance}} does, apart from the servlet plumbing: check the signature first,
 * then the JSON, then store the message through core, and say what happened as a status and a JSON body.
 */
final class WebhookHandler extends JsonWebhook {

    /**
     * Stores a message: the stage completes once it is durable. It fails (or the call throws) with
     * {@link IllegalArgumentException} for a bad message, with anything else when the message could not be stored.
     */
    @FunctionalInterface
    interface Ingest {
        CompletionStage<IngestReceipt> ingest(Message message) throws Exception;
    }

    private final Function<String, ApiInstance> instances;
    private final java.util.function.Predicate<String> configured;
    private final Ingest ingest;
    private final LongSupplier clock;

    /**
     * @param instances  the running instances by name
     * @param configured whether an instance of that name is configured, running or not
     */
    WebhookHandler(Function<String, ApiInstance> instances, java.util.function.Predicate<String> configured,
                   Ingest ingest, LongSupplier epochSeconds) {
        this.instances = instances;
        this.configured = configured;
        this.ingest = ingest;
        this.clock = epochSeconds;
    }

    WebhookHandler(Function<String, ApiInstance> instances, java.util.function.Predicate<String> configured,
                   Ingest ingest) {
        this(instances, configured, ingest, () -> Instant.now().getEpochSecond());
    }

    /**
     * The answer, once there is one: at once for a request that is refused, when the message is durable otherwise.
     * The stage never fails.
     *
     * @param body the raw body, or null when it was larger than {@link ApiInstance#maxBodyBytes()}
     */
    CompletionStage<Result> handle(String instanceName, Function<String, String> headers, byte[] body) {
        Message message;
        try {
            message = check(instanceName, headers, body);
        } catch (Refused refused) {
            return CompletableFuture.completedFuture(refused.result);
        }
        CompletionStage<IngestReceipt> stored;
        try {
            stored = ingest.ingest(message);
        } catch (Exception e) {
            return CompletableFuture.completedFuture(failed(e));
        }
        return stored.handle((receipt, failure) -> failure == null ? accepted(receipt) : failed(failure));
    }

    /** The message the request carries, or {@link Refused} with the answer when it is not one to store. */
    private Message check(String instanceName, Function<String, String> headers, byte[] body) throws Refused {
        ApiInstance instance = instanceName == null ? null : instances.apply(instanceName);
        if (instance == null) {
            if (instanceName != null && configured.test(instanceName)) {
                // configured but not running (starting, or its configuration is invalid: see the log): the
                // sender must keep the event and try again, not drop it as it would on a 404
                throw new Refused(notRunning(instanceName));
            }
            throw new Refused(unknownInstance("HTTP", instanceName));
        }
        if (instance.secret() == null) {
            throw new Refused(notUsable(instance.instance(), instance.health().reason()));
        }
        if (body == null) {
            throw new Refused(tooLarge("body", instance.maxBodyBytes()));
        }
        String bad = Signatures.verify(instance.secret(), headers.apply(Signatures.TIMESTAMP_HEADER),
                headers.apply(Signatures.SIGNATURE_HEADER), body, clock.getAsLong(), instance.maxSkewSeconds());
        if (bad != null) {
            throw new Refused(Result.error(401, bad).with("WWW-Authenticate", "Frontdoor-Signature"));
        }
        try {
            return parse(instance.instance(), body);
        } catch (IllegalArgumentException e) {
            throw new Refused(Result.error(400, e.getMessage()));
        }
    }

    private static Result accepted(IngestReceipt receipt) {
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("messageId", receipt.messageId());
        answer.put("conversationId", receipt.conversationId());
        answer.put("customerId", receipt.customerId());
        answer.put("duplicate", receipt.duplicate());
        return Result.json(receipt.duplicate() ? 200 : 202, answer);
    }

    private static Result failed(Throwable failure) {
        return failed(failure, "message");
    }

    /** Reads {@code {"id", "from": {"id", "name", "email", "phone"}, "text", "thread"}}. */
    static Message parse(String instance, byte[] body) {
        JsonNode root = StrictJson.readObject(body);
        String id = requiredText(root, "id", "id");
        JsonNode from = root.get("from");
        if (from == null || !from.isObject()) {
            throw new IllegalArgumentException("missing field: from (an object with at least id)");
        }
        String handle = requiredText(from, "id", "from.id");
        String text = requiredText(root, "text", "text");
        Identity author = new Identity(ApiInstance.CHANNEL_ID, handle, optionalText(from, "name", "from.name"),
                optionalText(from, "email", "from.email"), optionalText(from, "phone", "from.phone"), 0);
        return Message.inbound(ApiInstance.CHANNEL_ID, instance)
                .externalId(id)
                .author(author)
                .text(text)
                .threadRef(optionalText(root, "thread", "thread"))
                .rawPayload(new String(body, StandardCharsets.UTF_8))
                .build();
    }

    private static String requiredText(JsonNode node, String field, String path) {
        return StrictJson.requiredText(node, field, path);
    }

    private static String optionalText(JsonNode node, String field, String path) {
        String text = StrictJson.text(node, field, path);
        return text == null || text.isBlank() ? null : text;
    }
}
