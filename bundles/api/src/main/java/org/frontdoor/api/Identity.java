package org.frontdoor.api;

import java.util.Objects;

/**
 * Who wrote a message, as the channel knows them. The same {@code handle} on the same {@code channel}
 * is the same customer.
 *
 * @param channel     channel id, such as {@code api} or {@code email}
 * @param handle      the channel's stable id of the author (an account id, an address, a phone number)
 * @param displayName name to show, may be null
 * @param email       e-mail address if the channel knows it, may be null
 * @param phone       phone number in E.164 if the channel knows it, may be null
 * @param reach       followers or audience size where the channel has one, else 0
 */
public record Identity(String channel, String handle, String displayName, String email, String phone, long reach) {

    public Identity {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(handle, "handle");
        if (handle.isBlank()) {
            throw new IllegalArgumentException("handle must not be blank");
        }
        if (reach < 0) {
            throw new IllegalArgumentException("reach must not be negative");
        }
    }

    public static Identity of(String channel, String handle) {
        return new Identity(channel, handle, null, null, null, 0);
    }
}
