package org.frontdoor.api;

import java.time.Instant;
import java.util.Objects;

/**
 * How a channel instance is doing, shown to admins (channel-list) and used to hold replies back.
 *
 * @param status the state
 * @param reason why, in words an admin can act on; null when UP
 * @param since  when the channel entered this state
 */
public record ChannelHealth(Status status, String reason, Instant since) {

    /** The states of a channel. */
    public enum Status {
        UP,
        DEGRADED,
        AUTH_EXPIRED,
        DOWN
    }

    public ChannelHealth {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(since, "since");
    }

    public static ChannelHealth up() {
        return new ChannelHealth(Status.UP, null, Instant.now());
    }

    public static ChannelHealth of(Status status, String reason) {
        return new ChannelHealth(status, reason, Instant.now());
    }
}
