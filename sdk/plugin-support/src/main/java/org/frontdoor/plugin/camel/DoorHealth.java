package org.frontdoor.plugin.camel;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

import org.frontdoor.api.ChannelHealth;
import org.frontdoor.api.ChannelHealth.Status;

/**
 * A door instance's health as its calls to the vendor go, the way core reads it: DOWN for settings that cannot work
 * (fixed only by a new configuration, never by a call that happens to pass), AUTH_EXPIRED when the vendor refuses
 * the credentials (core holds the door's replies), DEGRADED with the reason for a passing failure (replies keep going
 * out), UP again after a call the vendor took.
 *
 * <p>An AUTH_EXPIRED door reads DEGRADED ("…; trying replies again") once {@code authRetry} has passed since the
 * refusal: core holds an AUTH_EXPIRED door's replies, so only a reply let through can tell that the credentials work
 * again (a rotated token put back, say).
 */
public final class DoorHealth {

    private final Clock clock;
    private final Duration authRetry;
    private final AtomicReference<ChannelHealth> health = new AtomicReference<>();

    /**
     * @param problem   what makes the settings unusable (DOWN with it as the reason), or null (UP)
     * @param authRetry how long after a refusal of the credentials a reply is let through to try them again
     */
    public DoorHealth(Clock clock, Duration authRetry, String problem) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.authRetry = Objects.requireNonNull(authRetry, "authRetry");
        health.set(problem == null ? new ChannelHealth(Status.UP, null, clock.instant())
                : new ChannelHealth(Status.DOWN, problem, clock.instant()));
    }

    /** The health as core and admins read it now. */
    public ChannelHealth current() {
        ChannelHealth current = health.get();
        if (current.status() == Status.AUTH_EXPIRED) {
            java.time.Instant retry = current.since().plus(authRetry);
            if (!clock.instant().isBefore(retry)) {
                return new ChannelHealth(Status.DEGRADED, current.reason() + "; trying replies again", retry);
            }
        }
        return current;
    }

    /** The health as last set, without the retry of refused credentials. */
    public ChannelHealth recorded() {
        return health.get();
    }

    /** The vendor took a call: UP again, whatever the earlier failures were (DOWN settings stay DOWN). */
    public void succeeded() {
        health.updateAndGet(h -> h.status() == Status.UP || h.status() == Status.DOWN ? h
                : new ChannelHealth(Status.UP, null, clock.instant()));
    }

    /** A passing failure: DEGRADED with the reason (since the first time it was given), and replies keep going out. */
    public void failed(String reason) {
        health.updateAndGet(h -> h.status() == Status.DOWN
                || h.status() == Status.DEGRADED && reason.equals(h.reason()) ? h
                : new ChannelHealth(Status.DEGRADED, reason, clock.instant()));
    }

    /** The vendor refused the credentials: AUTH_EXPIRED with the reason (what to set, and where), so core holds replies. */
    public void authExpired(String reason) {
        health.updateAndGet(h -> h.status() == Status.DOWN ? h
                : new ChannelHealth(Status.AUTH_EXPIRED, reason, clock.instant()));
    }
}
