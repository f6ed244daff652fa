package org.frontdoor.api.inbox;

import java.time.Instant;

import org.frontdoor.api.consent.Consent;

/**
 * One of a customer's identities.
 *
 * @param channel     channel id
 * @param handle      the channel's id of the customer
 * @param displayName name shown on that channel, may be null
 * @param email       e-mail, may be null
 * @param phone       phone, may be null
 * @param confirmedAt when the customer proved to own it ({@link org.frontdoor.api.Customers#linkVerified}); null when
 *                    not confirmed. Only a confirmed identity can receive a reply through another door
 *                    ({@link Inbox#replyVia})
 * @param consent     the consent recorded for this identity, or null when none was (it counts as opted in)
 */
public record IdentityView(String channel, String handle, String displayName, String email, String phone,
                           Instant confirmedAt, Consent consent) {

    /** An identity not confirmed, with no consent recorded. */
    public IdentityView(String channel, String handle, String displayName, String email, String phone) {
        this(channel, handle, displayName, email, phone, null, null);
    }

    /** An identity with no consent recorded. */
    public IdentityView(String channel, String handle, String displayName, String email, String phone,
                        Instant confirmedAt) {
        this(channel, handle, displayName, email, phone, confirmedAt, null);
    }

    /** An identity not confirmed. */
    public IdentityView(String channel, String handle, String displayName, String email, String phone,
                        Consent consent) {
        this(channel, handle, displayName, email, phone, null, consent);
    }
}
