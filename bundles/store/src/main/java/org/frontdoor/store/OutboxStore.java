package org.frontdoor.store;

import java.time.Instant;
import java.util.Collection;
import java.util.List;

import org.frontdoor.api.OutboundReply;

/** Reply delivery's side: replies claimed per door, and their outcome. */
public interface OutboxStore {

    /** The doors of these channels with a reply due now. */
    List<Door> doorsWithDueReplies(Collection<String> channels, Instant now);

    /**
     * Claims due replies of one door until {@code until}, oldest first: at most one per conversation, and never one
     * while an older reply of its conversation waits, so a conversation's replies leave in order. Rows other
     * transactions hold are skipped.
     */
    List<OutboundReply> claimDueReplies(Door door, String node, Instant now, Instant until, int limit);

    /** Marks a reply sent (its last error cleared), with its event and audit. */
    void replySent(long replyId, Instant at);

    /**
     * Records a passing failure: retried at {@code nextAttemptAt}, or marked FAILED (with its event) when this was
     * attempt {@code maxAttempts}.
     */
    void replyFailed(long replyId, String reason, Instant nextAttemptAt, int maxAttempts);

    /** Marks a reply FAILED for good with the door's reason, with its event and audit. */
    void replyRefused(long replyId, String reason);

    /** Lets go of this node's claims (a stopping pipeline), so another takes them at once. */
    void releaseClaims(String node);
}
