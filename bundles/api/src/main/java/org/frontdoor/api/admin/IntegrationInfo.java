package org.frontdoor.api.admin;

import java.time.Instant;
import java.util.Objects;

/**
 * A snapshot of one department integration.
 *
 * @param name          the instance, {@code <kind>-<name>} as in its cfg file {@code org.frontdoor.integration.<kind>-<name>.cfg}
 * @param kind          {@code webhook}, {@code slack}, {@code digest}, {@code leads}, or a third party's own
 * @param consumer      the name of its {@code frontdoor:events} consumer (position and backlog are shown under it)
 * @param department    the department it serves, or null for every one
 * @param target        where it delivers, for people: scheme, host and port of a URL, or the SMTP server; never a path,
 *                      query or secret
 * @param delivered     deliveries the peer accepted since the bundle started
 * @param lastDelivered when the peer last accepted one, or null
 * @param parked        deliveries the peer refused for good (a 4xx other than 408 and 429) since the bundle started:
 *                      their events are passed over, and each is named in the log with its delivery id
 * @param lastError     why the last delivery did not go through, or null when the last one did
 * @param lastErrorAt   when that was, or null
 */
public record IntegrationInfo(String name, String kind, String consumer, String department, String target,
                              long delivered, Instant lastDelivered, long parked, String lastError,
                              Instant lastErrorAt) {

    public IntegrationInfo {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(consumer, "consumer");
    }
}
