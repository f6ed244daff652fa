package org.frontdoor.channel.x;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;
import org.frontdoor.api.ModerationRefusedException;
import org.frontdoor.api.ModerationUnavailableException;
import org.frontdoor.api.OutboundReply;
import org.frontdoor.api.RateLimitedException;
import org.frontdoor.api.ReplyRefusedException;
import org.frontdoor.api.Visibility;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends a reply through X's API v2 with the account's OAuth 2.0 user-context token: a public reply as
 * {@code POST /2/tweets} threaded to the customer's post (a long one as a thread of posts, each answering the one
 * before), a private one as {@code POST /2/dm_conversations/with/:participant_id/messages}. X's answer decides:
 * 2xx sent; 401 a token refresh (when configured) and one more try, else AUTH_EXPIRED; 429 waits for
 * {@code x-rate-limit-reset}; 408 and 5xx are passing failures; any other 4xx refuses the reply for good with X's
 * own words. Tokens are never logged and never part of a reason.
 */
final class XSender {

    private static final Logger LOG = LoggerFactory.getLogger(XSender.class);
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss 'UTC'")
            .withZone(ZoneOffset.UTC);

    /** A reply that did not go out this time; the message is the sentence shown to the agent. */
    static final class SendFailed extends Exception {
        private static final long serialVersionUID = 1L;

        SendFailed(String reason) {
            super(reason);
        }
    }

    /** X refused a post as a duplicate of one the account made: on a retry, the earlier attempt's own post. */
    static final class Duplicate extends ReplyRefusedException {
        private static final long serialVersionUID = 1L;

        Duplicate(String reason) {
            super(reason);
        }
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT)
            .followRedirects(HttpClient.Redirect.NEVER).build();
    private final Function<String, XInstance> instances;

    XSender(Function<String, XInstance> instances) {
        this.instances = instances;
    }

    void send(OutboundReply reply) throws SendFailed, ReplyRefusedException, InterruptedException {
        XInstance instance = instances.apply(reply.instance());
        if (instance == null) {
            throw new SendFailed("channel instance x/" + reply.instance() + " is not configured");
        }
        if (instance.tokens().access() == null || instance.baseUrl() == null) {
            throw new SendFailed(instance.health().reason());
        }
        Instant until = instance.rateLimitedUntil();
        if (instance.now().isBefore(until)) {
            throw new RateLimitedException("X's rate limit for this account is reached: the reply waits until "
                    + TIME.format(until));
        }
        String recipient = reply.recipient().handle();
        if (reply.visibility() == Visibility.PRIVATE) {
            if (!recipient.matches("[0-9]{1,20}")) {
                throw new ReplyRefusedException("X cannot send a direct message to '" + recipient
                        + "': it is not an X user id");
            }
            call(instance, "/2/dm_conversations/with/" + recipient + "/messages", Map.of("text", reply.text()),
                    "dm_event_id");
        } else {
            thread(instance, reply);
        }
        instance.succeeded();
    }

    /** The posts of a public reply, each answering the one before; those already on X are not posted again. */
    private void thread(XInstance instance, OutboundReply reply) throws SendFailed, ReplyRefusedException,
            InterruptedException {
        String answered = reply.inReplyTo();
        if (answered == null || !answered.matches("[0-9]{1,20}")) {
            throw new ReplyRefusedException("there is no post of the customer on X to answer in public: answer "
                    + "in private");
        }
        List<String> posts;
        try {
            posts = XThread.posts(reply.text(), instance.maxPostLength());
        } catch (IllegalArgumentException e) {
            throw new ReplyRefusedException(e.getMessage());
        }
        List<String> done = instance.postedParts().computeIfAbsent(reply.replyId(), id -> new ArrayList<>());
        synchronized (done) {
            for (int i = done.size(); i < posts.size(); i++) {
                String previous = i == 0 ? answered : done.get(i - 1);
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("text", posts.get(i));
                body.put("reply", Map.of("in_reply_to_tweet_id", previous));
                try {
                    String posted = call(instance, "/2/tweets", body, "id");
                    done.add(posted);
                    // the customer's answer to this post joins this conversation
                    instance.threads().remember(posted, reply.threadRef());
                } catch (Duplicate duplicate) {
                    if (reply.attempt() > 1 && i == posts.size() - 1) {
                        // the attempt before posted it, and then could not record it: it is on X
                        LOG.info("X took reply {} on an earlier attempt (it refuses the repeat as a duplicate)",
                                reply.replyId());
                        done.add("");
                    } else {
                        throw duplicate;
                    }
                }
            }
        }
        instance.postedParts().remove(reply.replyId());
    }

    /** One call, with one refresh and retry after a 401 when the door has a refresh token; X's new id. */
    private String call(XInstance instance, String path, Map<String, Object> body, String idField)
            throws SendFailed, ReplyRefusedException, InterruptedException {
        HttpResponse<byte[]> answer = post(instance, path, body);
        if (answer.statusCode() == 401 && instance.canRefresh()) {
            if (refresh(instance)) {
                answer = post(instance, path, body);
            }
        }
        return answered(instance, answer, idField);
    }

    private HttpResponse<byte[]> post(XInstance instance, String path, Map<String, Object> json)
            throws SendFailed, InterruptedException {
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(instance.baseUrl() + path))
                    .timeout(instance.requestTimeout())
                    .header("Content-Type", "application/json")
                    .header("Authorization", "Bearer " + instance.tokens().access())
                    .POST(HttpRequest.BodyPublishers.ofByteArray(XWebhookHandler.JSON.writeValueAsBytes(json)))
                    .build();
            return http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            String reason = reason(e, instance);
            LOG.debug("A reply through X channel instance {} failed: {}", instance.instance(), reason);
            instance.failed(reason);
            throw new SendFailed(reason);
        }
    }

    /** Asks X for a new access token with the refresh token; false (and AUTH_EXPIRED) when X refuses it. */
    private boolean refresh(XInstance instance) throws SendFailed, InterruptedException {
        XInstance.Tokens tokens = instance.tokens();
        String form = "grant_type=refresh_token&refresh_token=" + URLEncoder.encode(tokens.refresh(),
                StandardCharsets.UTF_8) + "&client_id=" + URLEncoder.encode(instance.clientId(),
                StandardCharsets.UTF_8);
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(instance.baseUrl() + "/2/oauth2/token"))
                .timeout(instance.requestTimeout())
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form));
        if (instance.clientSecret() != null) {
            request.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                    (instance.clientId() + ":" + instance.clientSecret()).getBytes(StandardCharsets.UTF_8)));
        }
        HttpResponse<byte[]> answer;
        try {
            answer = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            String reason = reason(e, instance);
            instance.failed(reason);
            throw new SendFailed(reason);
        }
        if (answer.statusCode() == 200) {
            try {
                JsonNode json = XWebhookHandler.JSON.readTree(answer.body());
                String access = json.path("access_token").asText("");
                if (!access.isBlank()) {
                    String refresh = json.path("refresh_token").asText("");
                    instance.refreshed(new XInstance.Tokens(access, refresh.isBlank() ? tokens.refresh() : refresh));
                    LOG.info("X channel instance {} refreshed its access token", instance.instance());
                    return true;
                }
            } catch (IOException e) {
                // handled below as a refusal of the refresh
            }
        }
        if (answer.statusCode() >= 500 || answer.statusCode() == 429) {
            String reason = "X could not refresh the access token now: it answered " + answer.statusCode();
            instance.failed(reason);
            throw new SendFailed(reason);
        }
        instance.authExpired("X refused the refresh token of the account (" + answer.statusCode() + "): authorize "
                + "the app again and set accessToken and refreshToken in " + instance.source());
        return false;
    }

    private static String answered(XInstance instance, HttpResponse<byte[]> answer, String idField)
            throws SendFailed, ReplyRefusedException {
        int status = answer.statusCode();
        JsonNode json = json(answer.body());
        if (status >= 200 && status < 300) {
            String id = json.path("data").path(idField).asText("");
            if (id.isBlank()) {
                String reason = "X answered " + status + " without data." + idField;
                instance.failed(reason);
                throw new SendFailed(reason);
            }
            return id;
        }
        if (status == 401) {
            if (instance.health().status() != org.frontdoor.api.ChannelHealth.Status.AUTH_EXPIRED) {
                instance.authExpired("X refused the access token of the account (401" + detail(json) + "): set a "
                        + "new accessToken" + (instance.canRefresh() ? "" : " (and refreshToken, clientId to have it "
                        + "refreshed)") + " in " + instance.source());
            }
            throw new SendFailed("X refused the access token (401): the reply waits until an admin sets a new one "
                    + "for channel instance x/" + instance.instance());
        }
        if (status == 429) {
            Instant until = reset(answer, instance.now());
            instance.rateLimited(until);
            throw new RateLimitedException("X's rate limit for this account is reached (429): the reply waits until "
                    + TIME.format(until));
        }
        if (status == 408 || status >= 500 || status < 200 || (status >= 300 && status < 400)) {
            String reason = "X could not take the reply now: it answered " + status + detail(json);
            instance.failed(reason);
            throw new SendFailed(reason);
        }
        if (status == 403 && json.path("detail").asText("").contains("duplicate content")) {
            throw new Duplicate("X refused the reply for good: it answered 403" + detail(json));
        }
        // 400, 403 (a duplicate post, a recipient who takes no direct messages), 404: this reply, never
        throw new ReplyRefusedException("X refused the reply for good: it answered " + status + detail(json));
    }

    /**
     * Hides a reply to one of the account's posts, or shows it again: {@code PUT /2/tweets/:id/hidden} with
     * {@code {"hidden": true|false}} and the user token (scope {@code tweet.moderate.write}); X answers
     * {@code {"data": {"hidden": true|false}}}. A 401 refreshes the token once where the door can, else the door turns
     * AUTH_EXPIRED; 429, 408, 5xx and no answer are passing; any other 4xx is X's refusal of this post, for good. X's
     * rate limit for hiding is its own: a 429 here does not hold the door's replies.
     */
    void setHidden(XInstance instance, String tweetId, boolean hidden) throws ModerationRefusedException,
            ModerationUnavailableException, InterruptedException {
        String verb = hidden ? "hide" : "show";
        if (instance.tokens().access() == null || instance.baseUrl() == null) {
            throw new ModerationUnavailableException(instance.health().reason());
        }
        if (tweetId == null || !tweetId.matches("[0-9]{1,20}")) {
            throw new ModerationRefusedException("X can only " + verb + " a post: '" + tweetId + "' is not a post id");
        }
        String path = "/2/tweets/" + tweetId + "/hidden";
        Map<String, Object> body = Map.of("hidden", hidden);
        HttpResponse<byte[]> answer;
        try {
            answer = put(instance, path, body);
            if (answer.statusCode() == 401 && instance.canRefresh() && refresh(instance)) {
                answer = put(instance, path, body);
            }
        } catch (SendFailed e) {
            throw new ModerationUnavailableException(e.getMessage());
        }
        int status = answer.statusCode();
        JsonNode json = json(answer.body());
        if (status >= 200 && status < 300) {
            JsonNode said = json.path("data").path("hidden");
            if (!said.isBoolean() || said.asBoolean() != hidden) {
                throw new ModerationUnavailableException("X answered " + status + " without confirming the post is "
                        + (hidden ? "hidden" : "shown") + " (data.hidden: " + said + ")");
            }
            LOG.info("X channel instance {}: post {} is {} now", instance.instance(), tweetId,
                    hidden ? "hidden" : "shown");
            return;
        }
        if (status == 401) {
            if (instance.health().status() != org.frontdoor.api.ChannelHealth.Status.AUTH_EXPIRED) {
                instance.authExpired("X refused the access token of the account (401" + detail(json) + "): set a "
                        + "new accessToken" + (instance.canRefresh() ? "" : " (and refreshToken, clientId to have it "
                        + "refreshed)") + " in " + instance.source());
            }
            throw new ModerationUnavailableException("X refused the access token (401): set a new one for channel "
                    + "instance x/" + instance.instance() + ", then " + verb + " the post again");
        }
        if (status == 429) {
            Instant until = reset(answer, instance.now());
            throw new ModerationUnavailableException("X's rate limit for hiding replies is reached for this account "
                    + "(429): try again after " + TIME.format(until));
        }
        if (status == 408 || status >= 500 || status < 200 || (status >= 300 && status < 400)) {
            throw new ModerationUnavailableException("X could not " + verb + " the post now: it answered " + status
                    + detail(json));
        }
        throw new ModerationRefusedException("X refused to " + verb + " the post: it answered " + status
                + detail(json) + (status == 403 ? " (X hides only replies to the account's own posts, with a token "
                + "of scope tweet.moderate.write)" : ""));
    }

    private HttpResponse<byte[]> put(XInstance instance, String path, Map<String, Object> json)
            throws SendFailed, InterruptedException {
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(instance.baseUrl() + path))
                    .timeout(instance.requestTimeout())
                    .header("Content-Type", "application/json")
                    .header("Authorization", "Bearer " + instance.tokens().access())
                    .PUT(HttpRequest.BodyPublishers.ofByteArray(XWebhookHandler.JSON.writeValueAsBytes(json)))
                    .build();
            return http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            String reason = reason(e, instance);
            LOG.debug("Hiding a post through X channel instance {} failed: {}", instance.instance(), reason);
            throw new SendFailed(reason);
        }
    }

    /** The end of X's window from x-rate-limit-reset (epoch seconds); a minute when X names none. */
    static Instant reset(HttpResponse<?> answer, Instant now) {
        String header = answer.headers().firstValue("x-rate-limit-reset").orElse("");
        try {
            Instant at = Instant.ofEpochSecond(Long.parseLong(header.trim()));
            // a reset in the past or more than a day away is not believed
            return at.isAfter(now) && at.isBefore(now.plus(Duration.ofDays(1))) ? at : now.plusSeconds(60);
        } catch (NumberFormatException e) {
            return now.plusSeconds(60);
        }
    }

    private static JsonNode json(byte[] body) {
        try {
            JsonNode json = body == null || body.length == 0 ? null : XWebhookHandler.JSON.readTree(body);
            return json == null ? XWebhookHandler.JSON.createObjectNode() : json;
        } catch (IOException e) {
            return XWebhookHandler.JSON.createObjectNode();
        }
    }

    /** ": <X's detail or title>", cut to 200 characters and to one line; empty when X said nothing. */
    private static String detail(JsonNode json) {
        String said = json.path("detail").asText("");
        if (said.isBlank()) {
            said = json.path("title").asText("");
        }
        if (said.isBlank() && json.path("errors").isArray() && json.path("errors").size() > 0) {
            said = json.path("errors").get(0).path("message").asText("");
        }
        said = said.replaceAll("[\\p{Cntrl}]", " ").strip();
        if (said.length() > 200) {
            said = said.substring(0, 200) + "…";
        }
        return said.isEmpty() ? "" : ": " + said;
    }

    /** Why no answer came, as a sentence: host and port at most. */
    static String reason(IOException e, XInstance instance) {
        URI base = instance.baseUrl();
        int port = base.getPort() != -1 ? base.getPort() : "https".equals(base.getScheme()) ? 443 : 80;
        String peer = "X at " + base.getHost() + ":" + port;
        if (e instanceof HttpTimeoutException) {
            return peer + " did not answer within " + instance.requestTimeout().toSeconds() + " s";
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.net.ConnectException) {
                return "could not connect to " + peer + ": nothing accepted the connection";
            }
            if (t instanceof javax.net.ssl.SSLException) {
                return "the TLS connection with " + peer + " failed: check its certificate";
            }
        }
        return "the connection to " + peer + " closed before it answered";
    }
}
