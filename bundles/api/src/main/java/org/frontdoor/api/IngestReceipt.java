package org.frontdoor.api;

/**
 * What {@code frontdoor:inbound} answers once a message is durably stored.
 *
 * @param messageId      the stored message
 * @param conversationId the conversation it joined or opened
 * @param customerId     the customer it was attributed to
 * @param duplicate      true when this external id was stored before: nothing new was stored and the ids are
 *                       those of the first delivery
 */
public record IngestReceipt(long messageId, long conversationId, long customerId, boolean duplicate) {
}
