package org.frontdoor.api;

/** Refused because a limit that holds across nodes is reached; the message says which, in words a visitor may read. */
public class RateLimitedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public RateLimitedException(String message) {
        super(message);
    }
}
