package org.frontdoor.channel.webchat;

import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Per-key rate limits over fixed one-minute windows (a visitor's messages, an address's messages): cheap, one small
 * entry per key that wrote in the current or the last minute; entries of older minutes are dropped as they are met.
 */
final class RateLimits {

    private record Window(long minute, int count) {
    }

    private final int perMinute;
    private final Clock clock;
    private final Map<String, Window> windows = new ConcurrentHashMap<>();

    RateLimits(int perMinute, Clock clock) {
        this.perMinute = perMinute;
        this.clock = clock;
    }

    /** Counts one more for the key; false (and not counted) when the key used up this minute's allowance. */
    boolean tryAcquire(String key) {
        long minute = clock.millis() / 60_000;
        boolean[] allowed = {false};
        windows.compute(key, (k, w) -> {
            if (w == null || w.minute() != minute) {
                allowed[0] = true;
                return new Window(minute, 1);
            }
            if (w.count() >= perMinute) {
                return w;
            }
            allowed[0] = true;
            return new Window(minute, w.count() + 1);
        });
        if (windows.size() > 10_000) {
            windows.values().removeIf(w -> w.minute() < minute);
        }
        return allowed[0];
    }

    /** Gives back one counted (the message was not accepted after all). */
    void release(String key) {
        long minute = clock.millis() / 60_000;
        windows.computeIfPresent(key, (k, w) -> w.minute() == minute && w.count() > 0
                ? new Window(minute, w.count() - 1) : w);
    }

    int perMinute() {
        return perMinute;
    }
}
