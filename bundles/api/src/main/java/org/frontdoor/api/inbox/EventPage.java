package org.frontdoor.api.inbox;

import java.util.List;

import org.frontdoor.api.ConversationEvent;

/**
 * Events after a position, for live views: ask again with {@code after = next} for what came since.
 *
 * @param events the events within the caller's scope, oldest first
 * @param next   the position to ask after next time: the last position read (events outside the scope are passed
 *               over, not read again), or the position asked after when nothing new was committed
 */
public record EventPage(List<ConversationEvent> events, long next) {

    public EventPage {
        events = List.copyOf(events);
    }
}
