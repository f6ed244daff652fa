package org.frontdoor.web;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import org.frontdoor.api.inbox.ConversationQuery;
import org.frontdoor.api.inbox.ConversationStatus;
import org.frontdoor.api.inbox.Inbox;
import org.frontdoor.api.inbox.ReplyView;

/**
 * The REST resources under {@code /api/v1}, apart from the servlet plumbing and authentication:
 * <ul>
 * <li>{@code GET /conversations?status=&department=&channel=&offset=&limit=}</li>
 * <li>{@code GET /conversations/{id}}</li>
 * <li>{@code POST /conversations/{id}/replies} with {@code {"text"}}</li>
 * <li>{@code GET /customers/{id}}</li>
 * </ul>
 */
final class RestHandler {

    static final int DEFAULT_LIMIT = 50;
    private static final Pattern CONVERSATIONS = Pattern.compile("/conversations/?");
    private static final Pattern CONVERSATION = Pattern.compile("/conversations/([^/]+)/?");
    private static final Pattern REPLIES = Pattern.compile("/conversations/([^/]+)/replies/?");
    private static final Pattern CUSTOMER = Pattern.compile("/customers/([^/]+)/?");

    private RestHandler() {
    }

    /**
     * @param path  the path below {@code /api/v1}
     * @param query the query parameters (first value of each)
     * @param agent the authenticated user, the author of replies
     * @param inbox the inbox, or null while core is not running
     */
    static Reply handle(String method, String path, Map<String, String> query, byte[] body, String agent, Inbox inbox) {
        String p = path == null ? "/" : path;
        Matcher m;
        if (CONVERSATIONS.matcher(p).matches()) {
            return onlyFor("GET", method, () -> list(query, inbox), inbox);
        }
        if ((m = REPLIES.matcher(p)).matches()) {
            String id = m.group(1);
            return onlyFor("POST", method, () -> reply(id, body, agent, inbox), inbox);
        }
        if ((m = CONVERSATION.matcher(p)).matches()) {
            String id = m.group(1);
            return onlyFor("GET", method, () -> found(inbox.conversation(parseId(id)), "conversation", id), inbox);
        }
        if ((m = CUSTOMER.matcher(p)).matches()) {
            String id = m.group(1);
            return onlyFor("GET", method, () -> found(inbox.customer(parseId(id)), "customer", id), inbox);
        }
        return Reply.error(404, "no resource " + p + " (see /api/v1/conversations, /api/v1/customers/{id})");
    }

    private interface Action {
        Reply run();
    }

    private static Reply onlyFor(String allowed, String method, Action action, Inbox inbox) {
        if (!allowed.equals(method)) {
            return Reply.error(405, method + " is not allowed here; use " + allowed).with("Allow", allowed);
        }
        if (inbox == null) {
            return Reply.error(503, "Frontdoor core is not running").with("Retry-After", "10");
        }
        try {
            return action.run();
        } catch (BadRequest e) {
            return Reply.error(400, e.getMessage());
        }
    }

    private static Reply list(Map<String, String> query, Inbox inbox) {
        ConversationStatus status = null;
        String s = blankToNull(query.get("status"));
        if (s != null) {
            try {
                status = ConversationStatus.valueOf(s.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new BadRequest("status must be one of " + Arrays.toString(ConversationStatus.values()));
            }
        }
        int offset = intParam(query, "offset", 0);
        int limit = intParam(query, "limit", DEFAULT_LIMIT);
        ConversationQuery q;
        try {
            q = new ConversationQuery(status, blankToNull(query.get("department")), blankToNull(query.get("channel")),
                    offset, limit);
        } catch (IllegalArgumentException e) {
            throw new BadRequest(e.getMessage());
        }
        return Reply.ok(inbox.conversations(q));
    }

    private static Reply reply(String id, byte[] body, String agent, Inbox inbox) {
        long conversationId = parseId(id);
        String text;
        try {
            JsonNode json = Json.MAPPER.readTree(body == null ? new byte[0] : body);
            if (json == null || !json.isObject()) {
                throw new BadRequest("the body must be a JSON object {\"text\": \"...\"}");
            }
            JsonNode t = json.get("text");
            if (t == null || !t.isTextual() || t.asText().isBlank()) {
                throw new BadRequest("missing field: text");
            }
            text = t.asText();
        } catch (IOException e) {
            throw new BadRequest("malformed JSON: " + e.getMessage().lines().findFirst().orElse(""));
        }
        ReplyView reply;
        try {
            reply = inbox.reply(conversationId, text, agent);
        } catch (NoSuchElementException e) {
            return Reply.error(404, "no conversation " + conversationId);
        } catch (IllegalArgumentException e) {
            throw new BadRequest(e.getMessage());
        }
        return new Reply(202, Map.of("Location", "/api/v1/conversations/" + conversationId), reply);
    }

    private static Reply found(Optional<?> value, String what, String id) {
        return value.<Reply>map(Reply::ok).orElseGet(() -> Reply.error(404, "no " + what + " " + id));
    }

    static long parseId(String id) {
        try {
            long value = Long.parseLong(id);
            if (value > 0) {
                return value;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw new BadRequest("'" + id + "' is not an id");
    }

    /**
     * A raw query string to its parameters, decoded as UTF-8; the first value of a repeated name wins.
     *
     * @throws BadRequest on a malformed escape
     */
    static Map<String, String> parseQuery(String raw) {
        Map<String, String> query = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return query;
        }
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            try {
                String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                query.putIfAbsent(name, value);
            } catch (IllegalArgumentException e) {
                throw new BadRequest("malformed query string: " + e.getMessage());
            }
        }
        return query;
    }

    private static int intParam(Map<String, String> query, String name, int fallback) {
        String v = blankToNull(query.get(name));
        if (v == null) {
            return fallback;
        }
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new BadRequest(name + " must be a whole number");
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }

    /** A request the client must correct; its message says how. */
    static final class BadRequest extends RuntimeException {
        private static final long serialVersionUID = 1L;

        BadRequest(String message) {
            super(message);
        }
    }
}
