package org.frontdoor.api.accounts;

/**
 * What checking a password found.
 *
 * @param outcome how it went
 * @param account the account when {@code outcome} is {@link Outcome#ACCEPTED}, else null
 */
public record LoginResult(Outcome outcome, Account account) {

    /** How a password check went. */
    public enum Outcome {
        /** The right password of an enabled account. */
        ACCEPTED,
        /** The account exists and the password is wrong. */
        WRONG_PASSWORD,
        /** The account exists and is disabled; the password was not looked at. */
        DISABLED,
        /** No account has this name. */
        UNKNOWN
    }
}
