package org.frontdoor.testkit;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

import org.frontdoor.api.doorstate.DoorStates;

/**
 * Door instances' durable state in memory, with the store's rules (versions, compare-and-set, bounds), for a door's
 * unit tests: one object stands for one database, so two door instances given the same one are two nodes, and an
 * instance made again with it is a restarted or reinstalled door. {@link #down} makes it fail as an unreachable
 * database does.
 */
public final class MemoryDoorStates implements DoorStates {

    private final Map<List<String>, Entry> entries = new HashMap<>();
    private boolean down;

    /** Makes every call fail (true) or work again (false). */
    public synchronized void down(boolean down) {
        this.down = down;
    }

    @Override
    public synchronized Optional<Entry> read(String channel, String instance, String key) {
        check(key);
        return Optional.ofNullable(entries.get(List.of(channel, instance, key)));
    }

    @Override
    public synchronized OptionalLong compareAndSet(String channel, String instance, String key, long expectedVersion,
                                                   String value) {
        check(key);
        if (value == null || value.length() > MAX_VALUE || expectedVersion < 0) {
            throw new IllegalArgumentException("a door's state value is 0 to " + MAX_VALUE + " characters");
        }
        List<String> k = List.of(channel, instance, key);
        Entry now = entries.get(k);
        long version = now == null ? 0 : now.version();
        if (version != expectedVersion) {
            return OptionalLong.empty();
        }
        entries.put(k, new Entry(value, version + 1));
        return OptionalLong.of(version + 1);
    }

    private void check(String key) {
        if (down) {
            throw new IllegalStateException("the database cannot be reached");
        }
        if (key == null || key.isEmpty() || key.length() > MAX_KEY) {
            throw new IllegalArgumentException("a door's state key is 1 to " + MAX_KEY + " characters");
        }
    }
}
