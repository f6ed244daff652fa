package org.frontdoor.store;

import java.util.Map;

/**
 * How much work waits now, for the metrics: replies queued or retrying per door, conversations not routed yet, and
 * conversations queued in a department with no agent.
 *
 * @param replies    pending replies (QUEUED or RETRYING) per door
 * @param unrouted   conversations in status NEW
 * @param unassigned conversations QUEUED without an assignee, per department
 */
public record QueueDepths(Map<Door, Long> replies, long unrouted, Map<String, Long> unassigned) {

    public QueueDepths {
        replies = Map.copyOf(replies);
        unassigned = Map.copyOf(unassigned);
    }
}
