package org.frontdoor.core;

import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;

/**
 * A warning that may come thousands of times a second (every message of an overloaded ingest): logged once, then at
 * most once per interval with the number of times it was left out meanwhile.
 */
final class Throttled {

    private final Logger log;
    private final long intervalNanos;
    private final AtomicLong next = new AtomicLong(Long.MIN_VALUE);
    private final AtomicLong suppressed = new AtomicLong();

    Throttled(Logger log, long intervalMillis) {
        this.log = log;
        this.intervalNanos = intervalMillis * 1_000_000L;
    }

    void warn(String format, Object... arguments) {
        long now = System.nanoTime();
        long due = next.get();
        if ((due == Long.MIN_VALUE || now - due >= 0) && next.compareAndSet(due, now + intervalNanos)) {
            long left = suppressed.getAndSet(0);
            if (left > 0) {
                log.warn(format + " (and {} more like it since the last such line)", append(arguments, left));
            } else {
                log.warn(format, arguments);
            }
        } else {
            suppressed.incrementAndGet();
        }
    }

    private static Object[] append(Object[] arguments, Object last) {
        Object[] all = java.util.Arrays.copyOf(arguments, arguments.length + 1);
        all[arguments.length] = last;
        return all;
    }
}
