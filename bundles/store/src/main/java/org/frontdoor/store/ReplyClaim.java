package org.frontdoor.store;

import java.time.Instant;
import java.util.Objects;

import org.frontdoor.api.OutboundReply;

/**
 * A reply one node holds for sending: only the holder of this very claim (owner and token) may renew it or record
 * the reply's outcome, so a node whose claim ran out and was taken by another has its late writes refused.
 *
 * @param reply the reply to send
 * @param node  the node that holds it
 * @param token this claim's token: a claim taken again, by any node, has another
 * @param until when the claim runs out unless renewed
 */
public record ReplyClaim(OutboundReply reply, String node, String token, Instant until) {

    public ReplyClaim {
        Objects.requireNonNull(reply, "reply");
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(until, "until");
    }

    public long replyId() {
        return reply.replyId();
    }

    /** The same claim, renewed until {@code later}. */
    public ReplyClaim renewed(Instant later) {
        return new ReplyClaim(reply, node, token, later);
    }
}
