package org.frontdoor.store;

import org.frontdoor.api.Message;

/**
 * A conversation waiting for a routing decision.
 *
 * @param conversationId the conversation
 * @param customerId     its customer
 * @param department     current department, null when never routed
 * @param message        its latest customer message
 */
public record PendingRoute(long conversationId, long customerId, String department, Message message) {
}
