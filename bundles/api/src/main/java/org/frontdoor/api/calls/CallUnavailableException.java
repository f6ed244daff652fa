package org.frontdoor.api.calls;

/**
 * A call the provider could not take now (no answer, 5xx, a rate limit, refused credentials): asking again later may
 * work. The message is a sentence for the agent.
 */
public class CallUnavailableException extends RuntimeException {

    private static final long serialVersionUID = 1L;
    private final long retryAfterSeconds;

    /**
     * @param retryAfterSeconds how long to wait before asking again (the provider's Retry-After), 0 when unknown
     */
    public CallUnavailableException(String message, long retryAfterSeconds) {
        super(message);
        this.retryAfterSeconds = Math.max(0, retryAfterSeconds);
    }

    /** Seconds to wait before asking again; 0 when the provider did not say. */
    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
