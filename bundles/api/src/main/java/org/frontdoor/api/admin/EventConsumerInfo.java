package org.frontdoor.api.admin;

import java.time.Instant;

/**
 * A named consumer of the event log.
 *
 * @param name       its name
 * @param position   the last event it has handled
 * @param behind     events committed after it, still to deliver
 * @param node       the node delivering to it, or null while none holds it
 * @param leaseUntil until when that node holds it, or null
 * @param lastError  why its last delivery failed, while it is being retried; null otherwise
 * @param movedAt    when it last moved or renewed its lease
 */
public record EventConsumerInfo(String name, long position, long behind, String node, Instant leaseUntil,
                                String lastError, Instant movedAt) {
}
