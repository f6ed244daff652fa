package org.frontdoor.api;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Optional for a door: implemented by a {@link Channel} service that can try its settings on demand
 * ({@code frontdoor:channel-check}, {@code POST /api/v1/channels/{channel}/{instance}/check}) and reconnect now
 * ({@code frontdoor:channel-reconnect}). Callers test {@code channel instanceof ChannelCheck}; a door without it is
 * answered "this door has no check".
 */
@ConsumerType
public interface ChannelCheck {

    /**
     * Tries the door's settings now (logs in, connects, parses) without sending anything to a customer, and says what
     * works and what to fix. May take up to the door's timeouts; never throws: a failure is a step of the report.
     * A door may update its {@link Channel#health()} from what it found.
     */
    CheckReport check();

    /** Drops the door's connections and connects again now, instead of at the end of its back-off. */
    void reconnect();
}
