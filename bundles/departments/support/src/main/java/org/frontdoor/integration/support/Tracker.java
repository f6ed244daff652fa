package org.frontdoor.integration.support;

import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

import org.frontdoor.api.admin.IntegrationInfo;
import org.frontdoor.api.admin.IntegrationStatus;

/** What an integration instance reports to the console: counts and its last error, kept in memory. */
public final class Tracker implements IntegrationStatus {

    private final String name;
    private final String kind;
    private final String consumer;
    private final String department;
    private final String target;
    private final Clock clock;
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong parked = new AtomicLong();
    private volatile Instant lastDelivered;
    private volatile String lastError;
    private volatile Instant lastErrorAt;

    public Tracker(String name, String kind, String consumer, String department, String target, Clock clock) {
        this.name = name;
        this.kind = kind;
        this.consumer = consumer;
        this.department = department;
        this.target = target;
        this.clock = clock;
    }

    /** The peer accepted a delivery: the last error is over. */
    public void delivered() {
        delivered.incrementAndGet();
        lastDelivered = clock.instant();
        lastError = null;
        lastErrorAt = null;
    }

    /** A delivery failed and will be tried again. */
    public void failed(String reason) {
        lastError = reason;
        lastErrorAt = clock.instant();
    }

    /** The peer refused a delivery for good: it is passed over, and the reason stays shown. */
    public void parked(String reason) {
        parked.incrementAndGet();
        lastError = reason;
        lastErrorAt = clock.instant();
    }

    public String consumer() {
        return consumer;
    }

    @Override
    public IntegrationInfo info() {
        return new IntegrationInfo(name, kind, consumer, department, target, delivered.get(), lastDelivered,
                parked.get(), lastError, lastErrorAt);
    }
}
