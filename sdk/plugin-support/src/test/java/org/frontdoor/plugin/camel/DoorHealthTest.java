package org.frontdoor.plugin.camel;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

import org.frontdoor.api.ChannelHealth;
import org.frontdoor.api.ChannelHealth.Status;
import org.junit.jupiter.api.Test;

class DoorHealthTest {

    private static final Instant T0 = Instant.parse("2026-12-07T10:00:00Z");

    /** A clock the test moves. */
    private static final class Moving extends Clock {
        private Instant now = T0;

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

    private final Moving clock = new Moving();

    @Test
    void unusableSettingsStayDownWhateverTheCallsDo() {
        DoorHealth health = new DoorHealth(clock, Duration.ofMinutes(5), "no token: set 'token' in etc/x.cfg");

        health.succeeded();
        health.failed("timed out");
        health.authExpired("token refused");

        assertThat(health.current()).isEqualTo(new ChannelHealth(Status.DOWN, "no token: set 'token' in etc/x.cfg", T0));
    }

    @Test
    void aPassingFailureIsDegradedSinceItFirstCameAndASuccessIsUpAgain() {
        DoorHealth health = new DoorHealth(clock, Duration.ofMinutes(5), null);
        health.failed("the vendor answered 502");
        clock.now = T0.plusSeconds(30);
        health.failed("the vendor answered 502");

        assertThat(health.current()).isEqualTo(new ChannelHealth(Status.DEGRADED, "the vendor answered 502", T0));

        clock.now = T0.plusSeconds(40);
        health.failed("timed out after 10 s");
        assertThat(health.current()).isEqualTo(new ChannelHealth(Status.DEGRADED, "timed out after 10 s",
                T0.plusSeconds(40)));

        clock.now = T0.plusSeconds(50);
        health.succeeded();
        assertThat(health.current()).isEqualTo(new ChannelHealth(Status.UP, null, T0.plusSeconds(50)));
    }

    @Test
    void refusedCredentialsHoldRepliesUntilTheRetryThenOneIsLetThrough() {
        DoorHealth health = new DoorHealth(clock, Duration.ofMinutes(5), null);
        health.authExpired("the token was revoked: set 'token' in etc/x.cfg");

        clock.now = T0.plus(Duration.ofMinutes(5)).minusMillis(1);
        assertThat(health.current().status()).isEqualTo(Status.AUTH_EXPIRED);

        clock.now = T0.plus(Duration.ofMinutes(5));
        assertThat(health.current()).isEqualTo(new ChannelHealth(Status.DEGRADED,
                "the token was revoked: set 'token' in etc/x.cfg; trying replies again", T0.plus(Duration.ofMinutes(5))));
        assertThat(health.recorded().status()).isEqualTo(Status.AUTH_EXPIRED);

        health.succeeded();
        assertThat(health.current().status()).isEqualTo(Status.UP);
    }
}
