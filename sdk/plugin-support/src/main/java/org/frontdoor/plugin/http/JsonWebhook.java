package org.frontdoor.plugin.http;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletionException;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The answers of a door's webhook handler (what a webhook does apart from the servlet plumbing): a {@link Result} is
 * a status, headers and a JSON body; the refusals every door answers alike; an ingest's outcome. A handler extends
 * this class so that its {@code Result}, {@code Refused} and {@code JSON} read as its own.
 */
public abstract class JsonWebhook {

    /** Strict JSON ({@link StrictJson#MAPPER}): bytes after the JSON make a body malformed. */
    public static final ObjectMapper JSON = StrictJson.MAPPER;

    /** The message of a 503 when core could not store a message, after {@code "the "}. */
    private static final String NOT_STORED = " could not be stored now; send it again later";

    protected JsonWebhook() {
    }

    /** The answer to a webhook request: its status, its headers besides Content-Type, its JSON body. */
    public record Result(int status, Map<String, String> headers, String body) {

        /** This status with this body, written as JSON. */
        public static Result json(int status, Map<String, ?> body) {
            try {
                return new Result(status, Map.of(), JSON.writeValueAsString(body));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }

        /** This status with {@code {"error": reason}}. */
        public static Result error(int status, String reason) {
            return json(status, Map.of("error", reason));
        }

        /** This answer with one more header (or this header replaced). */
        public Result with(String header, String value) {
            Map<String, String> all = new LinkedHashMap<>(headers);
            all.put(header, value);
            return new Result(status, Map.copyOf(all), body);
        }
    }

    /** A request refused before it reaches core, with its answer. Cheap: no stack trace. */
    public static final class Refused extends Exception {
        private static final long serialVersionUID = 1L;
        /** The answer to the refused request. */
        public final transient Result result;

        public Refused(Result result) {
            super(null, null, false, false);
            this.result = result;
        }
    }

    /**
     * 404 for a name no configuration has: {@code no {door} channel instance '{name}'}.
     *
     * @param door the door as people call it: {@code HTTP}, {@code Telegram}, {@code X}
     */
    public static Result unknownInstance(String door, String instanceName) {
        return Result.error(404, "no " + door + " channel instance '" + instanceName + "'");
    }

    /**
     * 503 with Retry-After 10 for an instance that is configured but not running (starting, or its configuration is
     * invalid: see the log): the sender must keep the event and try again, not drop it as it would on a 404.
     */
    public static Result notRunning(String instanceName) {
        return Result.error(503, "channel instance '" + instanceName + "' is not running; send it again later")
                .with("Retry-After", "10");
    }

    /** 503 with Retry-After 30 for a running instance that cannot take messages now, with the reason. */
    public static Result notUsable(String instanceName, String reason) {
        return Result.error(503, "channel instance '" + instanceName + "' is not usable: " + reason)
                .with("Retry-After", "30");
    }

    /**
     * 413 for a body over the instance's limit: {@code the {what} is larger than {max} bytes}.
     *
     * @param what {@code body}, {@code update}...
     */
    public static Result tooLarge(String what, int maxBytes) {
        return Result.error(413, "the " + what + " is larger than " + maxBytes + " bytes");
    }

    /**
     * 503 with Retry-After 5: {@code the {what} could not be stored now; send it again later}.
     *
     * @param what {@code message}, {@code update}...
     */
    public static Result notStored(String what) {
        return Result.error(503, "the " + what + NOT_STORED).with("Retry-After", "5");
    }

    /**
     * The answer to an ingest that failed: 400 with the reason for a bad message ({@link IllegalArgumentException},
     * unwrapped from a {@link CompletionException}), {@link #notStored} otherwise.
     */
    public static Result failed(Throwable failure, String what) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        if (cause instanceof IllegalArgumentException) {
            return Result.error(400, cause.getMessage());
        }
        return notStored(what);
    }
}
