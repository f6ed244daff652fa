package org.frontdoor.store;

import org.frontdoor.api.RoutingDecision;

/**
 * A routing decision to record for a conversation.
 *
 * @param conversationId the conversation
 * @param decision       where it goes
 */
public record RouteResult(long conversationId, RoutingDecision decision) {
}
