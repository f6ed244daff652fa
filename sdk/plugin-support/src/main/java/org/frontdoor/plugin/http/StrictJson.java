package org.frontdoor.plugin.http;

import java.io.IOException;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Strict JSON for request bodies: a body with bytes after its JSON (a second object, stray text) is malformed, as
 * {@link DeserializationFeature#FAIL_ON_TRAILING_TOKENS} says; white space after it is not. Every failure is an
 * {@link IllegalArgumentException} whose message can be answered to the sender as it is (a 400).
 */
public final class StrictJson {

    /** The strict mapper: reads with {@link DeserializationFeature#FAIL_ON_TRAILING_TOKENS}. */
    public static final ObjectMapper MAPPER = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private StrictJson() {
    }

    /**
     * The body as a JSON object.
     *
     * @throws IllegalArgumentException "malformed JSON: ..." (trailing bytes included), "unreadable body: ..." or "the
     *                                  body must be a JSON object"
     */
    public static JsonNode readObject(byte[] body) {
        return readObject(body, "a JSON object");
    }

    /**
     * The body as a JSON object, with what it must be in the message when it is JSON but no object.
     *
     * @param expected e.g. {@code a JSON object (a Telegram Update)}: the message is "the body must be {expected}"
     */
    public static JsonNode readObject(byte[] body, String expected) {
        JsonNode root;
        try {
            root = MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("malformed JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new IllegalArgumentException("unreadable body: " + e.getMessage());
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("the body must be " + expected);
        }
        return root;
    }

    /**
     * A string field as it is (blank or empty included), or null when it is absent or JSON null.
     *
     * @param path the field's name in the messages, e.g. {@code from.name}
     * @throws IllegalArgumentException "field {path} must be a string" for a number, object, array or boolean
     */
    public static String text(JsonNode node, String field, String path) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw new IllegalArgumentException("field " + path + " must be a string");
        }
        return value.asText();
    }

    /**
     * A required id or text: a string, or a number taken as its text (ids often come as either), not blank. A null
     * node (an absent parent object) counts as the field missing.
     *
     * @throws IllegalArgumentException "missing field: {path}", "field {path} must be a string" or "field {path} must
     *                                  not be blank"
     */
    public static String requiredText(JsonNode node, String field, String path) {
        JsonNode value = node == null ? null : node.get(field);
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
}
