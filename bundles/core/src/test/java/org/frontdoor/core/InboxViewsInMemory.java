package org.frontdoor.core;

import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.frontdoor.api.Caller;
import org.frontdoor.api.inbox.ConversationStatus;
import org.frontdoor.api.inbox.ConversationSummary;
import org.frontdoor.api.inbox.InboxCounts;
import org.frontdoor.api.inbox.SlaState;

/**
 * The inbox views' counts and SLA states of rows held in memory, as the store gives them: for the in-memory inboxes
 * of the shell's and the web layer's tests, which have no SLA timers.
 */
public final class InboxViewsInMemory {

    private InboxViewsInMemory() {
    }

    /** Open ones per view, every status, within the caller's scope; every open row's SLA is ok. */
    public static InboxCounts counts(Caller caller, Collection<ConversationSummary> rows) {
        List<ConversationSummary> mine = rows.stream().filter(c -> caller.scope().covers(c.department())).toList();
        List<ConversationSummary> open = mine.stream().filter(c -> c.status() != ConversationStatus.RESOLVED).toList();
        Map<SlaState, Long> sla = new EnumMap<>(SlaState.class);
        sla.put(SlaState.OK, (long) open.size());
        sla.put(SlaState.AT_RISK, 0L);
        sla.put(SlaState.BREACHED, 0L);
        return new InboxCounts(open.size(),
                mine.stream().collect(Collectors.groupingBy(ConversationSummary::status, Collectors.counting())),
                open.stream().collect(Collectors.groupingBy(c -> c.department() == null ? "" : c.department(),
                        Collectors.counting())),
                open.stream().collect(Collectors.groupingBy(ConversationSummary::channel, Collectors.counting())),
                open.stream().collect(Collectors.groupingBy(ConversationSummary::priority, Collectors.counting())),
                sla, open.stream().filter(c -> caller.name().equals(c.assignee())).count());
    }

    /** Every asked row within the caller's scope is ok (no SLA timers in memory). */
    public static Map<Long, SlaState> sla(Caller caller, Collection<ConversationSummary> rows, Collection<Long> ids) {
        Map<Long, SlaState> found = new HashMap<>();
        rows.stream().filter(c -> ids.contains(c.id()) && caller.scope().covers(c.department()))
                .forEach(c -> found.put(c.id(), SlaState.OK));
        return found;
    }
}
