package org.frontdoor.store;

import java.util.List;

/**
 * A conversation claimed for routing.
 *
 * @param conversationId        the conversation
 * @param customerId            its customer
 * @param department            current department, null when never routed
 * @param reopened              true when a customer wrote on it after it was resolved
 * @param messages              its latest customer messages, oldest first, with their stored annotations
 * @param classifiedThrough     the seq of the last message the classifiers have seen in this conversation; messages
 *                              with a greater {@link StoredMessage#seq} are to classify
 */
public record PendingRoute(long conversationId, long customerId, String department, boolean reopened,
                           List<StoredMessage> messages, long classifiedThrough) {

    public PendingRoute {
        messages = List.copyOf(messages);
    }
}
