package org.frontdoor.channel.webchat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RateLimitsTest {

    /** A clock the test moves. */
    private static final class MovingClock extends Clock {
        Instant now = Instant.parse("2026-12-02T10:00:00Z");

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private final MovingClock clock = new MovingClock();
    private final RateLimits limits = new RateLimits(3, clock);

    @Test
    void aKeyGetsItsAllowancePerMinuteAndNoMore() {
        assertThat(limits.tryAcquire("a")).isTrue();
        assertThat(limits.tryAcquire("a")).isTrue();
        assertThat(limits.tryAcquire("a")).isTrue();
        assertThat(limits.tryAcquire("a")).isFalse();
        assertThat(limits.tryAcquire("a")).isFalse();
    }

    @Test
    void oneKeyUsingUpItsAllowanceLeavesOthersAlone() {
        for (int i = 0; i < 10; i++) {
            limits.tryAcquire("noisy");
        }
        assertThat(limits.tryAcquire("quiet")).isTrue();
    }

    @Test
    void theNextMinuteStartsAfresh() {
        for (int i = 0; i < 3; i++) {
            limits.tryAcquire("a");
        }
        clock.now = clock.now.plus(Duration.ofMinutes(1));
        assertThat(limits.tryAcquire("a")).isTrue();
    }

    @Test
    void aReleasedCountIsGivenBack() {
        for (int i = 0; i < 3; i++) {
            limits.tryAcquire("a");
        }
        limits.release("a");
        assertThat(limits.tryAcquire("a")).isTrue();
        assertThat(limits.tryAcquire("a")).isFalse();
    }

    @Test
    void connectionsPerAddressHaveACeiling() {
        ConnectionLimits connections = new ConnectionLimits(2);
        assertThat(connections.tryOpen("10.0.0.1")).isTrue();
        assertThat(connections.tryOpen("10.0.0.1")).isTrue();
        assertThat(connections.tryOpen("10.0.0.1")).isFalse();
        assertThat(connections.tryOpen("10.0.0.2")).isTrue();
        connections.close("10.0.0.1");
        assertThat(connections.tryOpen("10.0.0.1")).isTrue();
        assertThat(connections.open("10.0.0.1")).isEqualTo(2);
    }
}
