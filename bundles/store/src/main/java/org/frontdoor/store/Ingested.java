package org.frontdoor.store;

import org.frontdoor.api.IngestReceipt;

/**
 * The outcome of storing one inbound message.
 *
 * @param receipt         the ids (those of the first delivery when it is a duplicate)
 * @param newConversation true when the message opened a conversation (or reopened a resolved one)
 */
public record Ingested(IngestReceipt receipt, boolean newConversation) {
}
