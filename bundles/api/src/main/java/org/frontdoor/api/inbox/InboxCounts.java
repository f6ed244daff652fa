package org.frontdoor.api.inbox;

import java.util.Map;

/**
 * How many conversations each view of the inbox holds, within the caller's scope, counted in one read. Every count
 * but {@code byStatus} is of the open conversations (every status but RESOLVED), as the views list them.
 *
 * @param open         the open conversations
 * @param byStatus     conversations per status, resolved included; a status with none is absent
 * @param byDepartment open conversations per department ({@code ""} for the unrouted); one with none is absent
 * @param byChannel    open conversations per door (channel id)
 * @param byPriority   open conversations per priority
 * @param bySla        open conversations per SLA state; every state is present
 * @param mine         open conversations assigned to the caller
 */
public record InboxCounts(long open, Map<ConversationStatus, Long> byStatus, Map<String, Long> byDepartment,
                          Map<String, Long> byChannel, Map<Integer, Long> byPriority, Map<SlaState, Long> bySla,
                          long mine) {

    public InboxCounts {
        byStatus = Map.copyOf(byStatus);
        byDepartment = Map.copyOf(byDepartment);
        byChannel = Map.copyOf(byChannel);
        byPriority = Map.copyOf(byPriority);
        bySla = Map.copyOf(bySla);
    }
}
