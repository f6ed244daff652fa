package org.frontdoor.api.inbox;

/**
 * One of a customer's identities.
 *
 * @param channel     channel id
 * @param handle      the channel's id of the customer
 * @param displayName name shown on that channel, may be null
 * @param email       e-mail, may be null
 * @param phone       phone, may be null
 */
public record IdentityView(String channel, String handle, String displayName, String email, String phone) {
}
