package org.frontdoor.channel.api;

import java.io.EOFException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;

import org.frontdoor.api.OutboundReply;
import org.frontdoor.api.ReplyRefusedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers a reply to its instance's {@code callbackUrl} as signed JSON, and says how the callback peer answered:
 * 2xx returns; an answer that may change (408, 425, 429, 5xx, no answer, no connection) is a {@link CallbackFailed}
 * that core retries; 401 and 403 are retried too, and the instance reports AUTH_EXPIRED; any other 4xx is a
 * {@link ReplyRefusedException}: the peer will never take this reply. Every message is a sentence an agent reads.
 */
final class CallbackSender {

    static final String REPLY_ID_HEADER = "X-Frontdoor-Reply-Id";
    private static final Logger LOG = LoggerFactory.getLogger(CallbackSender.class);
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

    /** A callback that did not succeed this time; the message is the sentence shown to the agent. */
    static final class CallbackFailed extends Exception {
        private static final long serialVersionUID = 1L;

        CallbackFailed(String reason) {
            super(reason);
        }
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT)
            .followRedirects(HttpClient.Redirect.NEVER).build();
    private final Function<String, ApiInstance> instances;

    CallbackSender(Function<String, ApiInstance> instances) {
        this.instances = instances;
    }

    void send(OutboundReply reply) throws CallbackFailed, ReplyRefusedException, InterruptedException {
        ApiInstance instance = instances.apply(reply.instance());
        if (instance == null) {
            throw new CallbackFailed("channel instance " + reply.instance() + " is not configured");
        }
        if (instance.callbackUrl() == null) {
            throw new CallbackFailed(instance.health().reason());
        }
        int status;
        try {
            status = post(instance, reply);
        } catch (IOException e) {
            String reason = reason(e, instance);
            LOG.debug("Callback of reply {} through instance {} failed: {}", reply.replyId(), instance.instance(),
                    reason, e);
            instance.callbackFailed(reason);
            throw new CallbackFailed(reason);
        }
        answered(instance, status);
    }

    private int post(ApiInstance instance, OutboundReply reply) throws IOException, InterruptedException {
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
        return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    /** What the peer's status means for this reply and for the instance's health. */
    private static void answered(ApiInstance instance, int status) throws CallbackFailed, ReplyRefusedException {
        if (status >= 200 && status < 300) {
            instance.callbackSucceeded();
            return;
        }
        if (status == 401 || status == 403) {
            instance.signatureRefused(status);
            throw new CallbackFailed("the callback peer refused our signature (" + status + "): the reply waits "
                    + "until an admin checks the secret of channel instance " + instance.instance());
        }
        String passing = switch (status) {
            case 408 -> "the callback peer gave up waiting for the reply: it answered 408";
            case 425 -> "the callback peer asked for the reply later: it answered 425";
            case 429 -> "the callback peer is taking too many replies at once: it answered 429";
            default -> null;
        };
        if (passing == null && status >= 400 && status < 500) {
            // the peer works and answered: only this reply is refused, so the instance's health stays as it is
            throw new ReplyRefusedException("the callback peer refused the reply for good: it answered " + status);
        }
        if (passing == null) {
            passing = status >= 300 && status < 400
                    ? "the callback peer answered " + status + ", a redirect, and callbacks follow none: set "
                            + "callbackUrl of channel instance " + instance.instance() + " to the final address"
                    : "the callback peer could not take the reply now: it answered " + status;
        }
        instance.callbackFailed(passing);
        throw new CallbackFailed(passing);
    }

    /** Why no answer came, as a sentence: never an exception's class name. */
    static String reason(IOException e, ApiInstance instance) {
        String peer = "the callback peer at " + hostAndPort(instance.callbackUrl());
        if (e instanceof HttpConnectTimeoutException) {
            return peer + " did not accept a connection within " + CONNECT_TIMEOUT.toSeconds() + " s";
        }
        if (e instanceof HttpTimeoutException) {
            return "the callback peer did not answer within " + instance.callbackTimeout().toSeconds() + " s";
        }
        if (causedBy(e, UnresolvedAddressException.class) || causedBy(e, UnknownHostException.class)) {
            return "the callback peer's host name " + instance.callbackUrl().getHost() + " does not resolve";
        }
        if (e instanceof ConnectException || causedBy(e, ConnectException.class)) {
            return "could not connect to " + peer + ": nothing accepted the connection";
        }
        if (causedBy(e, SSLHandshakeException.class)) {
            return "the TLS handshake with " + peer + " failed: check its certificate";
        }
        if (causedBy(e, SSLException.class)) {
            return "the TLS connection with " + peer + " broke before it answered";
        }
        if (causedBy(e, ClosedChannelException.class) || causedBy(e, EOFException.class)
                || String.valueOf(e.getMessage()).contains("received no bytes")) {
            return "the connection to the callback peer closed before it answered";
        }
        return "the connection to the callback peer failed before it answered";
    }

    private static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    /** Host and port only: the path and query of a callback URL are nobody's business in a reason. */
    private static String hostAndPort(URI url) {
        int port = url.getPort() != -1 ? url.getPort() : "https".equals(url.getScheme()) ? 443 : 80;
        return url.getHost() + ":" + port;
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
