package org.frontdoor.channel.webchat;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Open connections per client address, with a ceiling. */
final class ConnectionLimits {

    private final int max;
    private final Map<String, Integer> open = new ConcurrentHashMap<>();

    ConnectionLimits(int max) {
        this.max = max;
    }

    boolean tryOpen(String address) {
        boolean[] ok = {false};
        open.compute(address, (a, n) -> {
            int current = n == null ? 0 : n;
            if (current >= max) {
                return n;
            }
            ok[0] = true;
            return current + 1;
        });
        return ok[0];
    }

    void close(String address) {
        open.computeIfPresent(address, (a, n) -> n <= 1 ? null : n - 1);
    }

    int open(String address) {
        return open.getOrDefault(address, 0);
    }
}
