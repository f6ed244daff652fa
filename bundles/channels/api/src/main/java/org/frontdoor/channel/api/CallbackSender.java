package org.frontdoor.channel.api;

import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

import org.frontdoor.api.OutboundReply;

/**
 * Delivers a reply to its instance's {@code callbackUrl} as signed JSON. Any answer but 2xx, or no answer,
 * is an exception whose message the agent sees; core then retries with backoff.
 */
final class CallbackSender {

    static final String REPLY_ID_HEADER = "X-Frontdoor-Reply-Id";

    /** A callback that did not succeed; the message is the short reason shown to the agent. */
    static final class CallbackFailed extends Exception {
        CallbackFailed(String reason) {
            super(reason);
        }
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER).build();
    private final Function<String, ApiInstance> instances;

    CallbackSender(Function<String, ApiInstance> instances) {
        this.instances = instances;
    }

    void send(OutboundReply reply) throws CallbackFailed, InterruptedException {
        ApiInstance instance = instances.apply(reply.instance());
        if (instance == null) {
            throw new CallbackFailed("channel instance " + reply.instance() + " is not configured");
        }
        if (instance.callbackUrl() == null) {
            throw new CallbackFailed(instance.health().reason());
        }
        String failure = null;
        try {
            failure = post(instance, reply);
        } finally {
            instance.callbackOutcome(failure);
        }
        if (failure != null) {
            throw new CallbackFailed(failure);
        }
    }

    private String post(ApiInstance instance, OutboundReply reply) throws InterruptedException {
        byte[] body = body(reply);
        long now = Instant.now().getEpochSecond();
        HttpRequest request = HttpRequest.newBuilder(instance.callbackUrl())
                .timeout(instance.callbackTimeout())
                .header("Content-Type", "application/json")
                .header(Signatures.TIMESTAMP_HEADER, Long.toString(now))
                .header(Signatures.SIGNATURE_HEADER, Signatures.sign(instance.secret(), now, body))
                .header(REPLY_ID_HEADER, Long.toString(reply.replyId()))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        try {
            HttpResponse<Void> response = http.send(request, HttpResponse.BodyHandlers.discarding());
            return response.statusCode() / 100 == 2 ? null : "callback answered " + response.statusCode();
        } catch (HttpTimeoutException e) {
            return "callback timed out after " + instance.callbackTimeout().toSeconds() + " s";
        } catch (ConnectException e) {
            return "callback unreachable: connection refused";
        } catch (IOException e) {
            return "callback failed: " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
        }
    }

    static byte[] body(OutboundReply reply) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("replyId", reply.replyId());
        json.put("conversationId", reply.conversationId());
        json.put("to", reply.recipient().handle());
        json.put("thread", reply.threadRef());
        json.put("inReplyTo", reply.inReplyTo());
        json.put("text", reply.text());
        json.put("author", reply.author());
        json.put("createdAt", reply.createdAt().toString());
        json.put("attempt", reply.attempt());
        try {
            return WebhookHandler.JSON.writeValueAsBytes(json);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
