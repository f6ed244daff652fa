package org.frontdoor.api;

/**
 * Thrown by {@link ChannelModeration#setHidden} when the network could not be asked, or could not answer, now: no
 * connection, a timeout, a 5xx, a rate limit, a refused token. The message is not known to be hidden or shown on the
 * network; Frontdoor records no change, and the admin may try again. The message is a sentence naming what to wait
 * for or fix ("X's rate limit for this account is reached until 10:15:00 UTC"), in the words of
 * {@link ConnectionTrouble} for a failure to connect.
 */
public class ModerationUnavailableException extends Exception {

    private static final long serialVersionUID = 1L;

    public ModerationUnavailableException(String reason) {
        super(reason);
    }

    public ModerationUnavailableException(String reason, Throwable cause) {
        super(reason, cause);
    }
}
