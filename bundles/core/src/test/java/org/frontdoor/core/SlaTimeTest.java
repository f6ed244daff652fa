package org.frontdoor.core;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** SLA time: the system's clock, or a test clock while one is bound, the latest bound winning. */
class SlaTimeTest {

    private static final Instant NOW = Instant.parse("2026-03-06T15:30:00Z");

    @Test
    void aTestClockIsTakenUpAndGivenBackAndAReplacementBoundFirstStays() {
        SlaService.Time time = new SlaService.Time(Clock.fixed(NOW, ZoneOffset.UTC));
        assertThat(time.instant()).isEqualTo(NOW);
        assertThat(time.testing()).isFalse();

        Clock ahead = Clock.offset(Clock.fixed(NOW, ZoneOffset.UTC), Duration.ofMinutes(40));
        time.use(ahead);
        assertThat(time.testing()).isTrue();
        assertThat(time.instant()).isEqualTo(NOW.plus(Duration.ofMinutes(40)));

        // a greedy reference binds the new clock before it unbinds the old one: the old one's going changes nothing
        Clock further = Clock.offset(Clock.fixed(NOW, ZoneOffset.UTC), Duration.ofMinutes(90));
        time.use(further);
        assertThat(time.release(ahead)).isFalse();
        assertThat(time.instant()).isEqualTo(NOW.plus(Duration.ofMinutes(90)));

        assertThat(time.release(further)).isTrue();
        assertThat(time.testing()).isFalse();
        assertThat(time.instant()).isEqualTo(NOW);
    }
}
