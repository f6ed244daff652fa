package org.frontdoor.channel.meta;

import java.io.IOException;

import com.fasterxml.jackson.databind.JsonNode;
import org.frontdoor.testkit.VendorPeer;

/**
 * A local Graph API: checks each call as Meta documents it (POST, JSON, {@code Authorization: Bearer <token>}, no
 * token in the query; {@code /me/messages} with {@code recipient} and {@code message.text};
 * {@code /{comment}/comments} and {@code /{comment}/replies} with {@code message}; {@code /{phone-number-id}/messages}
 * with {@code messaging_product: whatsapp}, {@code to} and a text or template) and answers as Meta does.
 *
 * <p>Files: {@code GET /{version}/{media-id}} with the Bearer token answers WhatsApp's media object ({@code url},
 * {@code mime_type}, {@code sha256}, {@code file_size}); {@code GET} of that {@code url} with the Bearer token serves
 * the file; a Messenger or Instagram attachment's {@code payload.url} ({@link #attachment}) is served to a request
 * without any {@code Authorization} (the token must not go to a CDN).
 */
class GraphPeer extends VendorPeer {

    static final String VERSION = "v21.0";
    private volatile String token;
    private final java.util.Map<String, String[]> files = new java.util.concurrent.ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.AtomicInteger ids = new java.util.concurrent.atomic.AtomicInteger();

    GraphPeer(String token) throws IOException {
        this.token = token;
    }

    String baseUrl() {
        return url("/").toString().replaceAll("/$", "");
    }

    /** The token Meta takes from now on: the old one is refused (code 190). */
    void rotate(String newToken) {
        this.token = newToken;
    }

    /** A WhatsApp media object: its id, as a webhook's image.id gives it. */
    String whatsappMedia(String mimeType, String content) {
        String id = Long.toString(1_000_000_000_000L + ids.incrementAndGet());
        files.put("media " + id, new String[] {mimeType, content});
        return id;
    }

    /** A Messenger or Instagram attachment on Meta's CDN: its payload.url. */
    String attachment(String mimeType, String content) {
        String name = "cdn-" + ids.incrementAndGet();
        files.put("/cdn/" + name, new String[] {mimeType, content});
        return baseUrl() + "/cdn/" + name + "?_nc_cat=1&oh=signed";
    }

    /** The GET requests of files, as path and query. */
    java.util.List<String> fileRequests() {
        return received().stream().filter(r -> "GET".equals(r.method()))
                .map(r -> r.path() + (r.query() == null ? "" : "?" + r.query())).toList();
    }

    private String checkGet(Received r) {
        if (r.path().startsWith("/cdn/")) {
            if (r.header("Authorization") != null) {
                return "a token sent to the CDN";
            }
            return files.containsKey(r.path()) ? null : "no such file on the CDN";
        }
        if (r.query() != null && r.query().contains("access_token")) {
            return "the access token in the URL";
        }
        if (r.path().equals("/whatsapp_business/attachments/")) {
            String mid = r.query() == null ? "" : r.query().replaceAll(".*\\bmid=([0-9]+).*", "$1");
            if (!files.containsKey("media " + mid)) {
                return "no such media download";
            }
        } else if (!r.path().matches("/" + VERSION + "/[0-9]+") || !files.containsKey("media "
                + r.path().substring(VERSION.length() + 2))) {
            return "GET of " + r.path();
        }
        if (!("Bearer " + token).equals(r.header("Authorization"))) {
            expiredToken();
        }
        return null;
    }

    @Override
    protected Answer answerFor(Received r) {
        if (!"GET".equals(r.method())) {
            return null;
        }
        if (r.path().startsWith("/cdn/")) {
            String[] f = files.get(r.path());
            return new Answer(200, java.util.Map.of("Content-Type", f[0]), f[1]);
        }
        if (r.path().equals("/whatsapp_business/attachments/")) {
            String[] f = files.get("media " + r.query().replaceAll(".*\\bmid=([0-9]+).*", "$1"));
            return new Answer(200, java.util.Map.of("Content-Type", f[0]), f[1]);
        }
        String id = r.path().substring(VERSION.length() + 2);
        String[] f = files.get("media " + id);
        byte[] bytes = f[1].getBytes(java.nio.charset.StandardCharsets.UTF_8);
        String sha;
        try {
            sha = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        return new Answer(200, java.util.Map.of("Content-Type", "application/json"), "{\"messaging_product\":"
                + "\"whatsapp\",\"url\":\"" + baseUrl() + "/whatsapp_business/attachments/?mid=" + id
                + "&ext=1700000000&hash=ATtZ\",\"mime_type\":\"" + f[0] + "\",\"sha256\":\"" + sha
                + "\",\"file_size\":" + bytes.length + ",\"id\":\"" + id + "\"}");
    }

    @Override
    protected String check(Received r) {
        if ("GET".equals(r.method())) {
            return checkGet(r);
        }
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
