package org.frontdoor.api.admin;

import java.time.Instant;

/**
 * A named consumer of the event log.
 *
 * @param name       its name
 * @param position   the last event it has handled
 * @param behind     events committed after it that its route selects (its {@code types} and {@code department}),
 *                   still to deliver
 * @param node       the node delivering to it, or null while none holds it
 * @param leaseUntil until when that node holds it (by the database's clock), or null
 * @param lastError  why its last delivery failed, while it is being retried; null otherwise
 * @param movedAt    when it last moved or renewed its lease
 * @param generation its lease generation: one more at each takeover, reset or gap (header
 *                   {@code FrontdoorLeaseGeneration} on each delivery)
 * @param missedFrom the first event retention deleted before it read it (past {@code eventRetentionMaxHours}), 0 when
 *                   it missed none since it was last reset
 * @param missedTo   the last such event, 0 when none
 * @param types      the event types its route selects, comma separated ids; empty for every type
 * @param department the department its route selects, or null for every one
 */
public record EventConsumerInfo(String name, long position, long behind, String node, Instant leaseUntil,
                                String lastError, Instant movedAt, long generation, long missedFrom, long missedTo,
                                String types, String department) {

    /** A consumer without a lease generation, gap or filter known. */
    public EventConsumerInfo(String name, long position, long behind, String node, Instant leaseUntil,
                             String lastError, Instant movedAt) {
        this(name, position, behind, node, leaseUntil, lastError, movedAt, 0, 0, 0, "", null);
    }

    /** True when retention deleted events before it read them: an admin looks, and resets it once handled. */
    public boolean missedEvents() {
        return missedTo > 0;
    }

    /** "missed events N to M", or null when it missed none. */
    public String missed() {
        return missedEvents() ? "missed events " + missedFrom + " to " + missedTo : null;
    }
}
