package org.frontdoor.api;

/**
 * Thrown by {@link ChannelModeration#setHidden} when the network will never hide (or show) this message: it is not a
 * reply to the account's own post, it is gone, the account may not moderate it. Nothing changed on the network, and
 * Frontdoor records nothing but the attempt. The message is a sentence an admin understands, with the network's own
 * words where it gave some.
 */
public class ModerationRefusedException extends Exception {

    private static final long serialVersionUID = 1L;

    public ModerationRefusedException(String reason) {
        super(reason);
    }

    public ModerationRefusedException(String reason, Throwable cause) {
        super(reason, cause);
    }
}
