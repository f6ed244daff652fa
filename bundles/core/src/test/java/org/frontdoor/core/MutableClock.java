package org.frontdoor.core;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A clock the test moves. */
final class MutableClock extends Clock {

    private volatile Instant now;

    /** Starts at {@code start} to the microsecond, as the databases keep instants. */
    MutableClock(Instant start) {
        this.now = start.truncatedTo(java.time.temporal.ChronoUnit.MICROS);
    }

    void advance(Duration d) {
        now = now.plus(d);
    }

    /** Moves the clock to the real time if it is behind it. */
    void catchUp() {
        Instant real = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MICROS);
        if (real.isAfter(now)) {
            now = real;
        }
    }

    @Override
    public Instant instant() {
        return now;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException();
    }
}
