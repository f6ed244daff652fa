package org.frontdoor.channel.mastodon;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

import org.frontdoor.api.OutboundReply;
import org.frontdoor.api.RateLimitedException;
import org.frontdoor.api.ReplyRefusedException;
import org.frontdoor.api.Visibility;

/**
 * Sends a reply as a status: {@code POST /api/v1/statuses} with {@code status} (starting with the customer's
 * {@code @acct}, as Mastodon needs to deliver it, unless the agent wrote it first), {@code in_reply_to_id} (the
 * customer's status answered) and {@code visibility} ({@code public} for a public reply, {@code direct} for a private
 * one), and an {@code Idempotency-Key} of the reply's id, so a retry after a lost answer posts nothing twice.
 * Mastodon's answer decides: 2xx sent; 401 AUTH_EXPIRED (the reply waits); 429 waits until {@code X-RateLimit-Reset};
 * 408 and 5xx are passing failures; any other 4xx (422: too long, 404: the status is gone) refuses the reply for good
 * with Mastodon's own words.
 */
final class MastodonSender {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss 'UTC'")
            .withZone(ZoneOffset.UTC);

    /** A reply that did not go out this time; the message is the sentence shown to the agent. */
    static final class SendFailed extends Exception {
        private static final long serialVersionUID = 1L;

        SendFailed(String reason) {
            super(reason);
        }
    }

    private final Function<String, MastodonInstance> instances;

    MastodonSender(Function<String, MastodonInstance> instances) {
        this.instances = instances;
    }

    void send(OutboundReply reply) throws SendFailed, ReplyRefusedException, InterruptedException {
        MastodonInstance instance = instances.apply(reply.instance());
        if (instance == null) {
            throw new SendFailed("channel instance mastodon/" + reply.instance() + " is not configured");
        }
        if (!instance.usable()) {
            throw new SendFailed(instance.health().reason());
        }
        Instant until = instance.rateLimitedUntil();
        if (instance.now().isBefore(until)) {
            throw new RateLimitedException("Mastodon's rate limit for this account is reached: the reply waits until "
                    + TIME.format(until));
        }
        String acct = reply.recipient().handle();
        if (!acct.matches("[A-Za-z0-9_.-]+(@[A-Za-z0-9_.-]+)?")) {
            throw new ReplyRefusedException("'" + acct + "' is not a Mastodon account to answer");
        }
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("status", withMention(acct, reply.text()));
        String answered = reply.inReplyTo();
        if (answered != null && answered.matches("[0-9A-Za-z_-]{1,64}")) {
            status.put("in_reply_to_id", answered);
        }
        status.put("visibility", reply.visibility() == Visibility.PUBLIC ? "public" : "direct");
        try {
            instance.api().postStatus(status, "frontdoor-" + reply.channel() + "-" + reply.instance() + "-reply-"
                    + reply.replyId());
        } catch (MastodonApi.Failure f) {
            switch (f.kind()) {
                case TOKEN_REFUSED -> {
                    instance.authExpired(f.getMessage());
                    throw new SendFailed("Mastodon refused the access token (401): the reply waits until an admin "
                            + "sets a new one for channel instance mastodon/" + reply.instance());
                }
                case RATE_LIMITED -> {
                    Instant at = f.retryAt() != null && f.retryAt().isAfter(instance.now())
                            && f.retryAt().isBefore(instance.now().plusSeconds(86_400)) ? f.retryAt()
                            : instance.now().plusSeconds(60);
                    instance.rateLimited(at);
                    throw new RateLimitedException("Mastodon's rate limit for this account is reached (429): the "
                            + "reply waits until " + TIME.format(at));
                }
                case REFUSED -> throw new ReplyRefusedException(f.getMessage());
                default -> throw new SendFailed(f.getMessage());
            }
        }
        instance.succeeded();
    }

    /** The text as Mastodon needs it: starting with {@code @acct}, unless the agent wrote it there already. */
    static String withMention(String acct, String text) {
        String stripped = text.stripLeading();
        String mention = "@" + acct;
        if (stripped.toLowerCase(Locale.ROOT).startsWith(mention.toLowerCase(Locale.ROOT))
                && (stripped.length() == mention.length()
                || Character.isWhitespace(stripped.charAt(mention.length())))) {
            return stripped;
        }
        return mention + " " + stripped;
    }
}
