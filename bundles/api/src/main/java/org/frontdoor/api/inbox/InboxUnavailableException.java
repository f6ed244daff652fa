package org.frontdoor.api.inbox;

/**
 * The inbox cannot answer now (its database cannot be reached or does not answer in time): nothing was changed, and
 * the same call may succeed later. The REST API answers 503 with Retry-After.
 */
public class InboxUnavailableException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public InboxUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
