package org.frontdoor.api.dashboard;

import java.time.Instant;

/**
 * One department's queue now: its conversations that are not resolved, by status, and its running SLA timers.
 *
 * @param department     the department, or null for conversations not routed yet (only in the scope of everything)
 * @param fresh          conversations with status NEW (not routed yet)
 * @param queued         conversations QUEUED: routed, waiting for an agent
 * @param assigned       conversations ASSIGNED to an agent
 * @param snoozed        conversations SNOOZED
 * @param oldestWaiting  the last activity of the conversation waiting longest (NEW or QUEUED), or null when none waits
 * @param slaAtRisk      conversations with a running SLA timer past its warning but not yet due
 * @param slaBreached    conversations with a running SLA timer past its due time
 */
public record DepartmentQueue(String department, long fresh, long queued, long assigned, long snoozed,
                              Instant oldestWaiting, long slaAtRisk, long slaBreached) {

    public DepartmentQueue {
        if (fresh < 0 || queued < 0 || assigned < 0 || snoozed < 0 || slaAtRisk < 0 || slaBreached < 0) {
            throw new IllegalArgumentException("counts are 0 or more");
        }
    }

    /** The conversations waiting for an agent: new and queued. */
    public long waiting() {
        return fresh + queued;
    }
}
