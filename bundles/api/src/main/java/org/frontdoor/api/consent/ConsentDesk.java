package org.frontdoor.api.consent;

import java.util.NoSuchElementException;

import org.frontdoor.api.Caller;

/**
 * Consent recorded by hand, for admins (REST {@code POST /api/v1/customers/{id}/consent}, the shell's
 * {@code frontdoor:consent-set}): the customer asked by phone not to be texted, or to be texted again. The statement
 * is dated now, names the admin and their reason, and is audited; it wins over any earlier one (a STOP, a START).
 * Implemented by core.
 */
public interface ConsentDesk {

    /**
     * Records that the customer's identity opted in or out.
     *
     * @param caller     an admin
     * @param customerId the customer the identity belongs to
     * @param reason     why, 1 to {@value Consents#MAX_REASON} characters: shown to every agent
     * @return the identity's consent after the statement
     * @throws SecurityException        when the caller is not an admin
     * @throws NoSuchElementException   when the customer does not exist (or is outside the caller's scope) or has no
     *                                  such identity
     * @throws IllegalArgumentException when the reason or identity is missing or too long
     */
    Consent record(Caller caller, long customerId, String channel, String handle, boolean optedIn, String reason);
}
