package org.frontdoor.api.inbox;

/**
 * The network did not hide (or show) a message ({@link Inbox#hide}, {@link Inbox#unhide}): Frontdoor recorded no
 * change, only the attempt in the audit trail. {@link #passing()} tells whether trying again later may work (no
 * answer, a rate limit, a refused token) or never will (the network refused this message for good). The message is the
 * door's sentence for an admin.
 */
public class ModerationFailedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final boolean passing;

    public ModerationFailedException(String reason, boolean passing) {
        super(reason);
        this.passing = passing;
    }

    /** Whether it may work later; false when the network refused it for good. */
    public boolean passing() {
        return passing;
    }
}
