package org.frontdoor.channel.meta;

import java.io.IOException;

import com.fasterxml.jackson.databind.JsonNode;
import org.frontdoor.testkit.VendorPeer;

/**
 * A local Graph API: checks each call as Meta documents it (POST, JSON, {@code Authorization: Bearer <token>}, no
 * token in the query; {@code /me/messages} with {@code recipient} and {@code message.text};
 * {@code /{comment}/comments} and {@code /{comment}/replies} with {@code message}; {@code /{phone-number-id}/messages}
 * with {@code messaging_product: whatsapp}, {@code to} and a text or template) and answers as Meta does.
 */
class GraphPeer extends VendorPeer {

    static final String VERSION = "v21.0";
    private final String token;

    GraphPeer(String token) throws IOException {
        this.token = token;
    }

    String baseUrl() {
        return url("/").toString().replaceAll("/$", "");
    }

    @Override
    protected String check(Received r) {
        if (!"POST".equals(r.method())) {
            return "method " + r.method();
        }
        if (r.query() != null && r.query().contains("access_token")) {
            return "the access token in the URL";
        }
        if (!("Bearer " + token).equals(r.header("Authorization"))) {
            return "Authorization is not the Bearer token";
        }
        if (!"application/json".equals(r.header("Content-Type"))) {
            return "content type " + r.header("Content-Type");
        }
        JsonNode body = r.json();
        String prefix = "/" + VERSION + "/";
        if (!r.path().startsWith(prefix)) {
            return "path without the version: " + r.path();
        }
        String rest = r.path().substring(prefix.length());
        if (rest.equals("me/messages")) {
            JsonNode recipient = body.path("recipient");
            if (!recipient.path("id").isTextual() && !recipient.path("comment_id").isTextual()) {
                return "no recipient.id or recipient.comment_id";
            }
            if (recipient.path("id").isTextual() && !"RESPONSE".equals(body.path("messaging_type").asText())) {
                return "messaging_type must be RESPONSE";
            }
            return body.path("message").path("text").asText("").isBlank() ? "no message.text" : null;
        }
        if (rest.matches("[0-9_]+/(comments|replies)")) {
            return body.path("message").asText("").isBlank() ? "no message" : null;
        }
        if (rest.matches("[0-9]+_[0-9]+")) {
            // a Page comment hidden or shown: POST /{comment-id} with is_hidden
            return body.size() == 1 && body.path("is_hidden").isBoolean() ? null
                    : "a Page comment's visibility without exactly {\"is_hidden\": bool}";
        }
        if (rest.matches("[0-9]+")) {
            // an Instagram comment hidden or shown: POST /{ig-comment-id} with hide
            return body.size() == 1 && body.path("hide").isBoolean() ? null
                    : "an Instagram comment's visibility without exactly {\"hide\": bool}";
        }
        if (rest.matches("[0-9]+/messages")) {
            if (!"whatsapp".equals(body.path("messaging_product").asText())) {
                return "messaging_product must be whatsapp";
            }
            if (!body.path("to").asText("").matches("[0-9]+")) {
                return "no to";
            }
            return switch (body.path("type").asText()) {
                case "text" -> body.path("text").path("body").asText("").isBlank() ? "no text.body" : null;
                case "template" -> body.path("template").path("name").asText("").isBlank()
                        || body.path("template").path("language").path("code").asText("").isBlank()
                        ? "a template without name or language.code" : null;
                default -> "type " + body.path("type");
            };
        }
        return "path " + r.path();
    }

    @Override
    protected String body(Received r) {
        String rest = r.path().substring(VERSION.length() + 2);
        if (rest.equals("me/messages")) {
            return "{\"recipient_id\":\"1254459154682919\",\"message_id\":\"m_AG5Hz2Uq7tuwNEhXfYYKj8mJEM\"}";
        }
        if (rest.matches("[0-9_]+")) {
            return "{\"success\":true}";
        }
        if (rest.endsWith("/comments") || rest.endsWith("/replies")) {
            return "{\"id\":\"17858893269000001\"}";
        }
        return "{\"messaging_product\":\"whatsapp\",\"contacts\":[{\"input\":\"16505551234\",\"wa_id\":\"16505551234\"}],"
                + "\"messages\":[{\"id\":\"wamid.HBgLMTY1MDUwNzY1MjAVAgARGBI5QTNDQTVCM0Q0Q0Q2RTY3RTcA\"}]}";
    }

    /** Meta's answer for an expired token (code 190, subcode 463), with the 401 Graph gives it. */
    void expiredToken() {
        answer(new Answer(401, java.util.Map.of("Content-Type", "application/json", "WWW-Authenticate",
                "OAuth \"Facebook Platform\" \"invalid_token\""), "{\"error\":{\"message\":\"Error validating access "
                + "token: Session has expired on Friday, 04-Dec-26 09:00:00 PST.\",\"type\":\"OAuthException\","
                + "\"code\":190,\"error_subcode\":463,\"fbtrace_id\":\"AbCdEf\"}}"));
    }

    /** A Graph error answer with this status, code and message. */
    void error(int status, int code, String message) {
        answer(new Answer(status, java.util.Map.of("Content-Type", "application/json"), "{\"error\":{\"message\":\""
                + message + "\",\"type\":\"OAuthException\",\"code\":" + code + ",\"fbtrace_id\":\"AbCdEf\"}}"));
    }
}
