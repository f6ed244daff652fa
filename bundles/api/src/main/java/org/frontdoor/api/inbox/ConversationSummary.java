package org.frontdoor.api.inbox;

import java.time.Instant;

/**
 * A row of the conversation list.
 *
 * @param id             conversation id
 * @param customerId     the customer (the thread's first author)
 * @param customerName   the customer's display name (or handle)
 * @param channel        channel id the conversation runs on
 * @param instance       channel instance
 * @param threadRef      the channel's thread reference, or null
 * @param department     department, null before routing
 * @param status         status
 * @param assignee       the agent who has it, or null
 * @param priority       0 and up
 * @param preview        the start of the last customer message
 * @param messageCount   inbound messages in it
 * @param createdAt      when it was opened
 * @param lastActivityAt when a message or reply last came in or went out
 */
public record ConversationSummary(long id, long customerId, String customerName, String channel, String instance,
                                  String threadRef, String department, ConversationStatus status, String assignee,
                                  int priority, String preview, int messageCount, Instant createdAt,
                                  Instant lastActivityAt) {
}
