package org.frontdoor.channel.meta;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;
import org.frontdoor.api.ChannelHealth;
import org.frontdoor.api.ModerationRefusedException;
import org.frontdoor.api.ModerationUnavailableException;
import org.frontdoor.api.OutboundReply;
import org.frontdoor.api.RateLimitedException;
import org.frontdoor.api.ReplyRefusedException;
import org.frontdoor.api.Visibility;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends a reply through the Graph API with the access token as a Bearer header (never in the URL):
 * <ul>
 * <li>a Messenger or Instagram message: {@code POST /{version}/me/messages} with {@code recipient.id},
 *     {@code messaging_type: RESPONSE} and {@code message.text};</li>
 * <li>a private reply to a comment: the same call with {@code recipient.comment_id};</li>
 * <li>a public reply to a Page comment: {@code POST /{version}/{comment-id}/comments} with {@code message}; to an
 *     Instagram comment: {@code POST /{version}/{comment-id}/replies} with {@code message};</li>
 * <li>WhatsApp: {@code POST /{version}/{phone-number-id}/messages} with {@code messaging_product: whatsapp},
 *     {@code to} and {@code text.body}, only within 24 hours of the customer's last message; outside it a reply
 *     {@code /template <name> [param | param ...]} sends an approved template of the cfg instead.</li>
 * </ul>
 * Meta's answer decides: 2xx sent; code 190 (or 401) AUTH_EXPIRED; 429 or codes 4, 17, 32, 613, 80007, 130429
 * wait for Retry-After (a minute when none); 5xx and codes 1, 2 passing failures; any other error refuses the reply
 * for good with Meta's own words.
 */
final class MetaSender {

    private static final Logger LOG = LoggerFactory.getLogger(MetaSender.class);
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration WINDOW = Duration.ofHours(24);
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")
            .withZone(ZoneOffset.UTC);
    private static final Set<Integer> RATE_CODES = Set.of(4, 17, 32, 613, 80007, 130429, 131056);
    static final String TEMPLATE_PREFIX = "/template ";

    /** When the customer last wrote in the conversation of a reply, if the store knows. */
    @FunctionalInterface
    interface LastInbound {
        Optional<Instant> of(OutboundReply reply) throws Exception;
    }

    /** A reply that did not go out this time; the message is the sentence shown to the agent. */
    static final class SendFailed extends Exception {
        private static final long serialVersionUID = 1L;

        SendFailed(String reason) {
            super(reason);
        }
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT)
            .followRedirects(HttpClient.Redirect.NEVER).build();
    private final Function<String, MetaInstance> instances;
    private final LastInbound lastInbound;

    MetaSender(Function<String, MetaInstance> instances, LastInbound lastInbound) {
        this.instances = instances;
        this.lastInbound = lastInbound;
    }

    /**
     * Sends the reply; returns the id Meta gave the message (Messenger and Instagram {@code message_id}, WhatsApp
     * {@code messages[0].id}), which its delivery and read receipts name, or null for a comment (comments have none).
     */
    String send(OutboundReply reply) throws Exception {
        MetaInstance instance = instances.apply(reply.instance());
        if (instance == null) {
            throw new SendFailed("channel instance meta/" + reply.instance() + " is not configured");
        }
        if (instance.accessToken() == null || instance.baseUrl() == null) {
            throw new SendFailed(instance.health().reason());
        }
        Instant until = instance.rateLimitedUntil();
        if (instance.now().isBefore(until)) {
            throw new RateLimitedException("Meta's rate limit for this app is reached: the reply waits until "
                    + TIME.format(until));
        }
        String thread = reply.threadRef() == null ? "" : reply.threadRef();
        String handle = reply.recipient().handle();
        String version = "/" + instance.graphVersion();
        String vendorId = null;
        if (thread.startsWith("wa:")) {
            vendorId = whatsapp(instance, reply, thread, version);
        } else if (thread.startsWith("fbpost:") || thread.startsWith("igmedia:")) {
            boolean instagram = thread.startsWith("igmedia:");
            String comment = reply.inReplyTo();
            if (comment == null || !comment.matches("[0-9_]{1,80}")) {
                throw new ReplyRefusedException("there is no comment of the customer on "
                        + (instagram ? "Instagram" : "Facebook") + " to answer: answer in a new message");
            }
            if (reply.visibility() == Visibility.PRIVATE) {
                // Meta's private replies: one message to the comment's author, within 7 days of the comment
                limit(reply, instagram ? 1000 : 2000, instagram ? "an Instagram message" : "a Messenger message");
                vendorId = messageId(call(instance, version + "/me/messages", Map.of("recipient",
                        Map.of("comment_id", comment), "message", Map.of("text", reply.text()))));
            } else if (instagram) {
                limit(reply, 2200, "an Instagram comment");
                call(instance, version + "/" + comment + "/replies", Map.of("message", reply.text()));
            } else {
                limit(reply, 8000, "a Facebook comment");
                call(instance, version + "/" + comment + "/comments", Map.of("message", reply.text()));
            }
        } else if (thread.startsWith("fb:") || thread.startsWith("ig:")) {
            boolean instagram = thread.startsWith("ig:");
            if (reply.visibility() == Visibility.PUBLIC) {
                throw new ReplyRefusedException("a " + (instagram ? "Instagram direct" : "Messenger")
                        + " message has no public side: answer in private");
            }
            String recipient = handle.substring(handle.indexOf(':') + 1);
            if (!handle.startsWith(instagram ? "ig:" : "fb:") || !recipient.matches("[0-9]{1,30}")) {
                throw new ReplyRefusedException("'" + handle + "' is not a " + (instagram ? "Instagram" : "Messenger")
                        + " id this door can write to");
            }
            limit(reply, instagram ? 1000 : 2000, instagram ? "an Instagram message" : "a Messenger message");
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("recipient", Map.of("id", recipient));
            body.put("messaging_type", "RESPONSE");
            body.put("message", Map.of("text", reply.text()));
            vendorId = messageId(call(instance, version + "/me/messages", body));
        } else {
            throw new ReplyRefusedException("this conversation did not come through Meta's webhook (thread '"
                    + thread + "'): the Meta door cannot tell where to answer");
        }
        instance.succeeded();
        return vendorId;
    }

    /** Messenger's and Instagram's {@code message_id} of a sent message, or null when Meta named none. */
    static String messageId(JsonNode answer) {
        String id = answer.path("message_id").asText("");
        return id.isBlank() ? null : id;
    }

    /** WhatsApp's {@code messages[0].id} ({@code wamid...}) of a sent message, or null when Meta named none. */
    static String whatsappId(JsonNode answer) {
        String id = answer.path("messages").path(0).path("id").asText("");
        return id.isBlank() ? null : id;
    }

    private String whatsapp(MetaInstance instance, OutboundReply reply, String thread, String version)
            throws Exception {
        if (reply.visibility() == Visibility.PUBLIC) {
            throw new ReplyRefusedException("WhatsApp has no public side: answer in private");
        }
        String[] parts = thread.split(":");
        if (parts.length != 3 || !parts[1].matches("[0-9]{1,25}") || !parts[2].matches("[0-9]{4,20}")) {
            throw new ReplyRefusedException("'" + thread + "' is not a WhatsApp conversation this door can answer");
        }
        String phoneNumberId = parts[1];
        String to = parts[2];
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("messaging_product", "whatsapp");
        body.put("recipient_type", "individual");
        body.put("to", to);
        String text = reply.text().strip();
        if (text.startsWith(TEMPLATE_PREFIX.strip())) {
            template(instance, text, body);
        } else {
            Optional<Instant> last = lastInbound.of(reply);
            Instant now = instance.now();
            if (last.isEmpty() || !now.isBefore(last.get().plus(WINDOW))) {
                throw new ReplyRefusedException(outsideWindow(instance, last.orElse(null)));
            }
            limit(reply, 4096, "a WhatsApp message");
            body.put("type", "text");
            body.put("text", Map.of("preview_url", false, "body", reply.text()));
        }
        return whatsappId(call(instance, version + "/" + phoneNumberId + "/messages", body));
    }

    /** The refusal of a free-form WhatsApp reply outside the window, naming what the agent can send instead. */
    static String outsideWindow(MetaInstance instance, Instant last) {
        String when = last == null ? "the customer has not written in this conversation"
                : "the customer last wrote at " + TIME.format(last);
        return "WhatsApp takes a free-form message only within 24 hours of the customer's last message, and "
                + when + ": " + templateOffer(instance);
    }

    /** What an agent can send outside the window: the approved templates of the cfg, or whom to ask. */
    static String templateOffer(MetaInstance instance) {
        if (instance.templates().isEmpty()) {
            return "no approved template is configured: an admin lists them in whatsappTemplates of "
                    + instance.source() + "; or wait until the customer writes again";
        }
        List<String> names = new ArrayList<>();
        instance.templates().values().forEach(t -> names.add(t.toString()));
        return "send an approved template instead, as a reply '/template <name>' (its parameters after it, "
                + "separated by '|'): " + String.join(", ", names);
    }

    private static void template(MetaInstance instance, String text, Map<String, Object> body)
            throws ReplyRefusedException {
        String rest = text.substring(TEMPLATE_PREFIX.strip().length()).strip();
        String name = rest.split("\\s+", 2)[0];
        String params = rest.length() > name.length() ? rest.substring(name.length()).strip() : "";
        MetaInstance.Template template = instance.templates().get(name);
        if (template == null) {
            throw new ReplyRefusedException("'" + name + "' is not an approved template of this door; "
                    + (instance.templates().isEmpty() ? "none is configured (whatsappTemplates in "
                    + instance.source() + ")" : "the approved ones are " + instance.templates().values()));
        }
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("name", template.name());
        t.put("language", Map.of("code", template.language()));
        if (!params.isEmpty()) {
            List<Map<String, Object>> values = new ArrayList<>();
            for (String p : params.split("\\|")) {
                values.add(Map.of("type", "text", "text", p.strip()));
            }
            t.put("components", List.of(Map.of("type", "body", "parameters", values)));
        }
        body.put("type", "template");
        body.put("template", t);
    }

    /** Each side's own limit, for a door whose maxReplyLength is above it. */
    private static void limit(OutboundReply reply, int max, String what) throws ReplyRefusedException {
        int length = reply.text().codePointCount(0, reply.text().length());
        if (length > max) {
            throw new ReplyRefusedException(what + " takes at most " + max + " characters, and this reply has "
                    + length + ": cut " + (length - max));
        }
    }

    /**
     * Hides a customer's comment from everyone but its author, or shows it again: a Page comment (Meta's ids
     * {@code <post>_<comment>}) by {@code POST /{version}/{comment-id}} with {@code is_hidden}, an Instagram comment
     * (a plain number) with {@code hide}. Returns once Meta confirmed ({@code success: true}); a token Meta refuses
     * turns the door AUTH_EXPIRED, as for replies.
     */
    void setHidden(MetaInstance instance, String commentId, boolean hidden) throws ModerationRefusedException,
            ModerationUnavailableException, InterruptedException {
        String verb = hidden ? "hide" : "show";
        if (instance.accessToken() == null || instance.baseUrl() == null) {
            throw new ModerationUnavailableException(instance.health().reason());
        }
        if (commentId == null || !commentId.matches("[0-9]{1,40}(_[0-9]{1,40})?")) {
            throw new ModerationRefusedException("Meta can only " + verb + " a comment: '" + commentId
                    + "' is not a Facebook or Instagram comment id");
        }
        boolean facebook = commentId.contains("_");
        String network = facebook ? "Facebook" : "Instagram";
        HttpResponse<byte[]> answer;
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(instance.baseUrl() + "/"
                            + instance.graphVersion() + "/" + commentId))
                    .timeout(instance.requestTimeout())
                    .header("Content-Type", "application/json")
                    .header("Authorization", "Bearer " + instance.accessToken())
                    .POST(HttpRequest.BodyPublishers.ofByteArray(MetaWebhookHandler.JSON.writeValueAsBytes(
                            Map.of(facebook ? "is_hidden" : "hide", hidden))))
                    .build();
            answer = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new ModerationUnavailableException("could not " + verb + " the " + network + " comment now: "
                    + reason(e, instance));
        }
        int status = answer.statusCode();
        JsonNode json = json(answer.body());
        if (status >= 200 && status < 300) {
            if (!json.path("success").asBoolean(false)) {
                throw new ModerationUnavailableException("Meta answered " + status + " without confirming the "
                        + network + " comment is " + (hidden ? "hidden" : "shown"));
            }
            LOG.info("Meta channel instance {}: {} comment {} is {} now", instance.instance(), network, commentId,
                    hidden ? "hidden" : "shown");
            return;
        }
        JsonNode error = json.path("error");
        int code = error.path("code").asInt(0);
        String said = detail(error);
        if (code == 190 || status == 401) {
            if (instance.health().status() != ChannelHealth.Status.AUTH_EXPIRED) {
                instance.authExpired("Meta refused the access token (code " + (code == 0 ? status : code) + said
                        + "): set a new accessToken in " + instance.source());
            }
            throw new ModerationUnavailableException("Meta refused the access token: set a new one for channel "
                    + "instance meta/" + instance.instance() + ", then " + verb + " the comment again");
        }
        if (status == 429 || RATE_CODES.contains(code)) {
            throw new ModerationUnavailableException("Meta's rate limit is reached (" + (code == 0 ? status
                    : "code " + code) + "): try again after " + TIME.format(retryAfter(answer, instance.now())));
        }
        if (status >= 500 || code == 1 || code == 2 || status == 408) {
            throw new ModerationUnavailableException("Meta could not " + verb + " the " + network
                    + " comment now: it answered " + status + said);
        }
        throw new ModerationRefusedException("Meta refused to " + verb + " the " + network + " comment: it answered "
                + status + (code == 0 ? "" : " code " + code) + said + (code == 10 || code == 200
                ? " (the token needs pages_manage_engagement for a Page, instagram_manage_comments for Instagram)"
                : ""));
    }

    /** Posts to the Graph API; returns its answer's JSON (empty when it sent none) once it accepted. */
    private JsonNode call(MetaInstance instance, String path, Map<String, Object> json) throws Exception {
        HttpResponse<byte[]> answer;
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(instance.baseUrl() + path))
                    .timeout(instance.requestTimeout())
                    .header("Content-Type", "application/json")
                    .header("Authorization", "Bearer " + instance.accessToken())
                    .POST(HttpRequest.BodyPublishers.ofByteArray(MetaWebhookHandler.JSON.writeValueAsBytes(json)))
                    .build();
            answer = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            String reason = reason(e, instance);
            LOG.debug("A reply through Meta channel instance {} failed: {}", instance.instance(), reason);
            instance.failed(reason);
            throw new SendFailed(reason);
        }
        answered(instance, answer);
        return json(answer.body());
    }

    private static void answered(MetaInstance instance, HttpResponse<byte[]> answer) throws Exception {
        int status = answer.statusCode();
        if (status >= 200 && status < 300) {
            return;
        }
        JsonNode error = json(answer.body()).path("error");
        int code = error.path("code").asInt(0);
        int subcode = error.path("error_subcode").asInt(0);
        String said = detail(error);
        if (code == 190 || status == 401) {
            if (instance.health().status() != ChannelHealth.Status.AUTH_EXPIRED) {
                instance.authExpired("Meta refused the access token (code " + (code == 0 ? status : code) + said
                        + "): set a new accessToken in " + instance.source());
            }
            throw new SendFailed("Meta refused the access token: the reply waits until an admin sets a new one for "
                    + "channel instance meta/" + instance.instance());
        }
        if (status == 429 || RATE_CODES.contains(code)) {
            Instant until = retryAfter(answer, instance.now());
            instance.rateLimited(until);
            throw new RateLimitedException("Meta's rate limit is reached (" + (code == 0 ? status : "code " + code)
                    + "): the reply waits until " + TIME.format(until));
        }
        if (status >= 500 || code == 1 || code == 2 || status == 408) {
            String reason = "Meta could not take the reply now: it answered " + status + said;
            instance.failed(reason);
            throw new SendFailed(reason);
        }
        if (code == 131047) {
            throw new ReplyRefusedException("WhatsApp refused the reply: more than 24 hours have passed since the "
                    + "customer last wrote" + said + "; " + templateOffer(instance));
        }
        if (code == 10 && subcode == 2018278) {
            throw new ReplyRefusedException("Meta refused the reply: the customer wrote more than 24 hours ago"
                    + said + "; the conversation can go on once the customer writes again");
        }
        throw new ReplyRefusedException("Meta refused the reply for good: it answered " + status
                + (code == 0 ? "" : " code " + code) + said);
    }

    /** The end of Meta's window from Retry-After (seconds); a minute when Meta names none. */
    static Instant retryAfter(HttpResponse<?> answer, Instant now) {
        String header = answer.headers().firstValue("Retry-After").orElse("");
        try {
            long seconds = Long.parseLong(header.trim());
            return seconds > 0 && seconds < 86_400 ? now.plusSeconds(seconds) : now.plusSeconds(60);
        } catch (NumberFormatException e) {
            return now.plusSeconds(60);
        }
    }

    private static JsonNode json(byte[] body) {
        try {
            JsonNode json = body == null || body.length == 0 ? null : MetaWebhookHandler.JSON.readTree(body);
            return json == null ? MetaWebhookHandler.JSON.createObjectNode() : json;
        } catch (IOException e) {
            return MetaWebhookHandler.JSON.createObjectNode();
        }
    }

    /** ": <Meta's message>", cut to 200 characters and to one line; empty when Meta said nothing. */
    private static String detail(JsonNode error) {
        String said = error.path("message").asText("").replaceAll("[\\p{Cntrl}]", " ").strip();
        if (said.length() > 200) {
            said = said.substring(0, 200) + "…";
        }
        return said.isEmpty() ? "" : ": " + said;
    }

    /** Why no answer came, as a sentence: host and port at most. */
    static String reason(IOException e, MetaInstance instance) {
        URI base = instance.baseUrl();
        int port = base.getPort() != -1 ? base.getPort() : "https".equals(base.getScheme()) ? 443 : 80;
        String peer = "Meta at " + base.getHost() + ":" + port;
        if (e instanceof HttpTimeoutException) {
            return peer + " did not answer within " + instance.requestTimeout().toSeconds() + " s";
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.net.ConnectException) {
                return "could not connect to " + peer + ": nothing accepted the connection";
            }
        }
        return "the connection to " + peer + " closed before it answered";
    }
}
