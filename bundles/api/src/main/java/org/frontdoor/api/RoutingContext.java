package org.frontdoor.api;

import java.util.List;

/**
 * What a {@link RoutingRule} may look at besides the message.
 *
 * @param conversationId the conversation the message belongs to
 * @param customerId     the customer who wrote it
 * @param department     the conversation's current department, null when not routed yet
 * @param annotations    what classifiers found
 */
public record RoutingContext(long conversationId, long customerId, String department, List<Annotation> annotations) {

    public RoutingContext {
        annotations = List.copyOf(annotations);
    }
}
