package org.frontdoor.api.dashboard;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Customer messages per door and hour over a period of whole hours (UTC), by when Frontdoor stored them.
 *
 * @param since the start of the first hour
 * @param hours how many hours, the last one being the current hour (1 to {@link #MAX_HOURS})
 * @param doors each door that brought in at least one message in the period, by channel and instance
 */
public record Volumes(Instant since, int hours, List<DoorVolume> doors) {

    /** The longest period asked: a week. */
    public static final int MAX_HOURS = 168;

    public Volumes {
        Objects.requireNonNull(since, "since");
        if (hours < 1 || hours > MAX_HOURS) {
            throw new IllegalArgumentException("hours " + hours + " is not within 1.." + MAX_HOURS);
        }
        doors = List.copyOf(doors);
        for (DoorVolume door : doors) {
            if (door.counts().size() != hours) {
                throw new IllegalArgumentException("door " + door.channel() + ":" + door.instance() + " has "
                        + door.counts().size() + " hours, not " + hours);
            }
        }
    }
}
