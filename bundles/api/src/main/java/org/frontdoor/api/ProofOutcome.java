package org.frontdoor.api;

import java.util.Objects;

/**
 * What a code typed back did ({@link Customers#proveByCode}).
 *
 * @param result       what happened
 * @param customerId   the customer of the identity that proved (LINKED, SUGGESTED), else 0
 * @param attemptsLeft wrong codes the challenge still takes (WRONG_CODE), else 0
 * @param address      the address the challenge was for, null when the challenge is unknown
 */
public record ProofOutcome(Result result, long customerId, int attemptsLeft, Identity address) {

    /** The outcomes of a code typed back. */
    public enum Result {
        /** The code was right: the address is now a verified identity of the requester's customer. */
        LINKED,
        /**
         * The code was right, but the address belongs to another customer with history: nothing moved; an agent is
         * asked to decide ({@code Inbox.mergeSuggestions}).
         */
        SUGGESTED,
        /** The code was wrong; {@code attemptsLeft} more may be tried. */
        WRONG_CODE,
        /** Too many wrong codes: this challenge takes no more; a new code must be asked for. */
        LOCKED,
        /** The code is past its time; a new one must be asked for. */
        EXPIRED,
        /** No such challenge for this requester, or it was used already. */
        UNKNOWN;

        /** Whether the code proved the address. */
        public boolean proven() {
            return this == LINKED || this == SUGGESTED;
        }
    }

    public ProofOutcome {
        Objects.requireNonNull(result, "result");
    }
}
