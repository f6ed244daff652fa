package org.frontdoor.channel.webchat;

import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import org.frontdoor.api.Caller;
import org.frontdoor.api.Customers;
import org.frontdoor.api.Identity;
import org.frontdoor.api.OutboundReply;
import org.frontdoor.api.inbox.Inbox;
import org.frontdoor.api.inbox.ReplyRoute;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The customer's channel, not the agent's: an agent's reply to a visitor who has left the chat (no chat window open
 * for {@code emailWhenGoneAfterSeconds}) also goes by e-mail, through the e-mail door instance {@code confirmVia}, to
 * the address the visitor confirmed. A visitor who never confirmed one keeps the reply in the chat only, for the
 * next visit. A visitor who comes back within that time sees the reply in the chat and gets no e-mail, and so does one
 * who was in the chat when the reply came and stayed (a window that closed within two seconds of it counts as gone).
 *
 * <p>"Left" is what this node knows: the node that delivers the reply checks its own connections (a visitor it never
 * saw counts as gone). With several nodes a visitor connected to another node may also get the e-mail; no reply is
 * lost either way. A check that waits for the time to pass is kept in memory: a reply delivered just before the node
 * stops stays in the chat only.
 */
final class EmailContinuation {

    private static final Logger LOG = LoggerFactory.getLogger(EmailContinuation.class);
    static final String EMAIL = "email";
    /** A window that closes within this time of a reply's push counts as gone when the reply came. */
    static final long GRACE_MILLIS = 2_000;

    private final LiveVisitors live;
    private final Supplier<Inbox> inbox;
    private final Supplier<Customers> customers;
    private final ScheduledExecutorService timer;
    private final LongSupplier clock;

    EmailContinuation(LiveVisitors live, Supplier<Inbox> inbox, Supplier<Customers> customers,
                      ScheduledExecutorService timer, LongSupplier clock) {
        this.live = live;
        this.inbox = inbox;
        this.customers = customers;
        this.timer = timer;
        this.clock = clock;
    }

    /** A reply was delivered to the chat: when its visitor is gone, or stays gone, it goes by e-mail too. */
    void delivered(WebchatInstance instance, OutboundReply reply, String visitorKey) {
        long after = instance.config().emailWhenGoneAfterSeconds() * 1000L;
        String via = instance.config().confirmVia() == null ? "" : instance.config().confirmVia().trim();
        if (after <= 0 || via.isEmpty()) {
            return;
        }
        check(instance, via, reply, visitorKey, clock.getAsLong(), after);
    }

    /**
     * Forwards once the visitor has been gone for {@code after}, counting only a visitor who was gone when the reply
     * came or left within {@link #GRACE_MILLIS} of it (a window closing as the reply was pushed); one who stayed longer
     * saw the reply, and one who came back since sees it in the history.
     */
    private void check(WebchatInstance instance, String via, OutboundReply reply, String visitorKey, long deliveredAt,
                       long after) {
        long now = clock.getAsLong();
        long goneFor = live.goneForMillis(visitorKey, now);
        long wait;
        if (goneFor == Long.MAX_VALUE) {
            wait = 0; // a visitor this node does not know is not in its chat
        } else if (goneFor < 0) {
            if (now > deliveredAt + GRACE_MILLIS) {
                return; // in the chat since the reply came: pushed and seen
            }
            wait = GRACE_MILLIS; // look again once a closing window would have been noticed
        } else {
            if (now - goneFor > deliveredAt + GRACE_MILLIS) {
                return; // was in the chat after the reply came, then left: seen
            }
            wait = Math.max(0, after - goneFor);
        }
        if (wait == 0) {
            forward(instance, via, reply, visitorKey);
            return;
        }
        try {
            timer.schedule(() -> check(instance, via, reply, visitorKey, deliveredAt, after), wait,
                    TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException stopping) {
            LOG.debug("Web chat {} is stopping: reply {} stays in the chat only", instance.instance(), reply.replyId());
        }
    }

    private void forward(WebchatInstance instance, String via, OutboundReply reply, String visitorKey) {
        Caller door = Caller.system("channel-webchat-" + instance.instance());
        try {
            List<Identity> addresses = customers.get().verifiedIdentities(door,
                    Identity.of(WebchatInstance.CHANNEL_ID, visitorKey), EMAIL);
            if (addresses.isEmpty()) {
                return; // no confirmed address: the reply waits in the chat
            }
            // keyed by the chat reply: a chat reply delivered twice (a claim that ran out) goes on by e-mail once
            inbox.get().replyVia(door, reply.conversationId(), reply.text(),
                    new ReplyRoute(EMAIL, via, addresses.get(0)), "webchat-reply-" + reply.replyId());
            LOG.info("Web chat {}: the visitor of conversation {} has left; reply {} goes on by e-mail through {}/{}",
                    instance.instance(), reply.conversationId(), reply.replyId(), EMAIL, via);
        } catch (RuntimeException e) {
            // the reply is in the chat's history: the visitor sees it at the next visit
            LOG.warn("Web chat {}: reply {} could not go on by e-mail through {}/{}: {}", instance.instance(),
                    reply.replyId(), EMAIL, via, e.getMessage());
        }
    }
}
