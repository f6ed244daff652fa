package org.frontdoor.store;

import java.time.Instant;
import java.util.Collection;
import java.util.List;

import org.frontdoor.api.OutboundReply;

/** Reply delivery's side: replies claimed per door, and their outcome. */
public interface OutboxStore {

    /** The doors of these channels with a reply due now. */
    List<Door> doorsWithDueReplies(Collection<String> channels, Instant now);

    /** How much work waits now (replies per door, unrouted, unassigned per department), for the metrics. */
    QueueDepths queueDepths();

    /**
     * Claims due replies of one door until {@code until}, oldest first: at most one per conversation, and never one
     * while an older reply of its conversation waits, so a conversation's replies leave in order. Rows other
     * transactions hold are skipped.
     *
     * @param token this claim's token, new for every claim: only its holder may renew it or record an outcome
     */
    List<ReplyClaim> claimDueReplies(Door door, String node, String token, Instant now, Instant until, int limit);

    /** Renews a claim until {@code until}; false when it was lost (taken by another claim or the reply is done). */
    boolean renewClaim(ReplyClaim claim, Instant until);

    /** Marks a reply sent (its last error cleared), with its event and audit; false when the claim was lost. */
    default boolean replySent(ReplyClaim claim, Instant at) {
        return replySent(claim, at, null);
    }

    /**
     * Marks a reply sent as {@link #replySent(ReplyClaim, Instant)}, keeping the id its door's vendor gave it (null:
     * none), then applies the delivery receipts that were waiting for that id. An id another reply of the door already
     * carries is not kept (audited): the reply is sent all the same.
     */
    boolean replySent(ReplyClaim claim, Instant at, String vendorId);

    /**
     * Records a passing failure: retried at {@code nextAttemptAt}, or marked FAILED (with its event) when this was
     * attempt {@code maxAttempts}; false when the claim was lost.
     */
    boolean replyFailed(ReplyClaim claim, String reason, Instant nextAttemptAt, int maxAttempts);

    /** Marks a reply FAILED for good with the door's reason, with its event and audit; false when the claim was lost. */
    boolean replyRefused(ReplyClaim claim, String reason);

    /** Lets go of claims whose send never started (a stopping node), so another node takes them at once. */
    void releaseClaims(Collection<ReplyClaim> notStarted);

    /**
     * Takes back at once what an earlier run of this node held (it crashed or stopped during a send): claims of
     * {@code node} whose token does not start with {@code runPrefix}. Returns how many.
     */
    int takeBackClaims(String node, String runPrefix);

    /** Lets go of this node's routing claims (a stopping pipeline), so another takes them at once. */
    void releaseRouteClaims(String node);
}
