package org.frontdoor.api.dashboard;

import java.util.List;
import java.util.Objects;

/**
 * The customer messages one door brought in, hour by hour, oldest hour first (the hours of {@link Volumes}).
 *
 * @param channel  the door's channel id
 * @param instance the door's instance
 * @param counts   messages received in each hour; as many as {@link Volumes#hours()}
 */
public record DoorVolume(String channel, String instance, List<Long> counts) {

    public DoorVolume {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(instance, "instance");
        counts = List.copyOf(counts);
    }

    /** Every message of the period. */
    public long total() {
        return counts.stream().mapToLong(Long::longValue).sum();
    }
}
