package org.frontdoor.channel.api;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.function.LongSupplier;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.frontdoor.api.Identity;
import org.frontdoor.api.IngestReceipt;
import org.frontdoor.api.Message;

/**
 * What {@code POST /webhooks/api/{instance}} does, apart from the servlet plumbing: check the signature first,
 * then the JSON, then store the message through core, and say what happened as a status and a JSON body.
 */
final class WebhookHandler {

    /** Strict JSON: a body with bytes after its JSON (a second object, stray text) is malformed. */
    static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    /**
     * Stores a message: the stage completes once it is durable. It fails (or the call throws) with
     * {@link IllegalArgumentException} for a bad message, with anything else when the message could not be stored.
     */
    @FunctionalInterface
    interface Ingest {
        CompletionStage<IngestReceipt> ingest(Message message) throws Exception;
    }

    /** The answer to a webhook request. */
    record Result(int status, Map<String, String> headers, String body) {
        static Result json(int status, Map<String, ?> body) {
            try {
                return new Result(status, Map.of(), JSON.writeValueAsString(body));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }

        static Result error(int status, String reason) {
            return json(status, Map.of("error", reason));
        }

        Result with(String header, String value) {
            Map<String, String> all = new LinkedHashMap<>(headers);
            all.put(header, value);
            return new Result(status, Map.copyOf(all), body);
        }
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

    /** A request refused before it reaches core, with its answer. */
    private static final class Refused extends Exception {
        private static final long serialVersionUID = 1L;
        private final transient Result result;

        Refused(Result result) {
            super(null, null, false, false);
            this.result = result;
        }
    }

    /** The message the request carries, or {@link Refused} with the answer when it is not one to store. */
    private Message check(String instanceName, Function<String, String> headers, byte[] body) throws Refused {
        ApiInstance instance = instanceName == null ? null : instances.apply(instanceName);
        if (instance == null) {
            if (instanceName != null && configured.test(instanceName)) {
                // configured but not running (starting, or its configuration is invalid: see the log): the
                // sender must keep the event and try again, not drop it as it would on a 404
                throw new Refused(Result.error(503, "channel instance '" + instanceName
                        + "' is not running; send it again later").with("Retry-After", "10"));
            }
            throw new Refused(Result.error(404, "no HTTP channel instance '" + instanceName + "'"));
        }
        if (instance.secret() == null) {
            throw new Refused(Result.error(503, "channel instance '" + instance.instance() + "' is not usable: "
                    + instance.health().reason()).with("Retry-After", "30"));
        }
        if (body == null) {
            throw new Refused(Result.error(413, "the body is larger than " + instance.maxBodyBytes() + " bytes"));
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
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        if (cause instanceof IllegalArgumentException) {
            return Result.error(400, cause.getMessage());
        }
        return Result.error(503, "the message could not be stored now; send it again later").with("Retry-After", "5");
    }

    /** Reads {@code {"id", "from": {"id", "name", "email", "phone"}, "text", "thread"}}. */
    static Message parse(String instance, byte[] body) {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("malformed JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new IllegalArgumentException("unreadable body: " + e.getMessage());
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("the body must be a JSON object");
        }
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
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            throw new IllegalArgumentException("missing field: " + path);
        }
        if (!value.isTextual() && !value.isNumber()) {
            throw new IllegalArgumentException("field " + path + " must be a string");
        }
        String text = value.asText();
        if (text.isBlank()) {
            throw new IllegalArgumentException("field " + path + " must not be blank");
        }
        return text;
    }

    private static String optionalText(JsonNode node, String field, String path) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw new IllegalArgumentException("field " + path + " must be a string");
        }
        return value.asText().isBlank() ? null : value.asText();
    }
}
