package org.frontdoor.store;

import org.frontdoor.api.Message;

/**
 * A customer message as stored, for the stages after ingest.
 *
 * @param id         the message id
 * @param customerId its author's customer
 * @param message    the message, with its author and stored annotations
 * @param seq        its place in its conversation, in commit order (ids are not: nodes take them in blocks)
 */
public record StoredMessage(long id, long customerId, Message message, long seq) {
}
