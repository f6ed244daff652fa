package org.frontdoor.api.doorstate;

import java.util.Optional;
import java.util.OptionalLong;

/**
 * Key/value state per door instance, in the store (an OSGi service): what a door would otherwise keep in a file of its
 * node, lost with the node and unknown to the others. Each key has a version that every write bumps; a write names the
 * version it read ({@code 0} when the key was absent) and is refused when another writer (a thread, another node)
 * wrote in between, so a door reads again and decides: a cursor only moves forward, a map entry is not overwritten by
 * an older one.
 *
 * <p>Keys: 1 to {@value #MAX_KEY} characters chosen by the door ({@code notifications.newest},
 * {@code post:1234567890}); values: at most {@value #MAX_VALUE} characters. Not for customer data (that goes through
 * {@code frontdoor:inbound}) nor secrets (those stay in the door's cfg).
 */
public interface DoorStates {

    int MAX_KEY = 200;
    int MAX_VALUE = 2000;

    /** A key's value and its version (1 for the first write). */
    record Entry(String value, long version) {
    }

    /** The key's value, or empty when it was never written. */
    Optional<Entry> read(String channel, String instance, String key);

    /**
     * Writes {@code value} if the key is still at {@code expectedVersion} ({@code 0}: absent).
     *
     * @return the new version, or empty when another write came first (nothing was written)
     * @throws IllegalArgumentException for a key or value out of bounds
     */
    OptionalLong compareAndSet(String channel, String instance, String key, long expectedVersion, String value);
}
