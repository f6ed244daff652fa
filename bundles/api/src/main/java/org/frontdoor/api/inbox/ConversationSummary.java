package org.frontdoor.api.inbox;

import java.time.Instant;

/**
 * A row of the conversation list.
 *
 * @param id             conversation id
 * @param customerId     the customer
 * @param customerName   the customer's display name (or handle)
 * @param channel        channel id the conversation runs on
 * @param instance       channel instance
 * @param department     department, null before routing
 * @param status         status
 * @param priority       0 and up
 * @param preview        the start of the last customer message
 * @param messageCount   inbound messages in it
 * @param createdAt      when it was opened
 * @param lastActivityAt when a message or reply last came in or went out
 */
public record ConversationSummary(long id, long customerId, String customerName, String channel, String instance,
                                  String department, ConversationStatus status, int priority, String preview,
                                  int messageCount, Instant createdAt, Instant lastActivityAt) {
}
