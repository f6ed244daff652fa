package org.frontdoor.api.inbox;

/**
 * A reply named an idempotency key its caller already used in that conversation for a different request: nothing was
 * stored. The REST API answers 422 with the reason.
 */
public class IdempotencyKeyReusedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final long replyId;

    /** @param replyId the reply the key was first used for */
    public IdempotencyKeyReusedException(String message, long replyId) {
        super(message);
        this.replyId = replyId;
    }

    /** The reply stored with the key first. */
    public long replyId() {
        return replyId;
    }
}
