package org.frontdoor.api.inbox;

import java.time.Instant;

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
 */
public record IdentityView(String channel, String handle, String displayName, String email, String phone,
                           Instant confirmedAt) {

    /** An identity not confirmed. */
    public IdentityView(String channel, String handle, String displayName, String email, String phone) {
        this(channel, handle, displayName, email, phone, null);
    }
}
