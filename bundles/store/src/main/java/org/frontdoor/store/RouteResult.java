package org.frontdoor.store;

import java.util.List;
import java.util.Map;

import org.frontdoor.api.Annotation;
import org.frontdoor.api.RoutingDecision;

/**
 * A routing decision to record for a claimed conversation, with what the classifiers found.
 *
 * @param conversationId    the conversation
 * @param decision          where it goes
 * @param annotations       per message id, the annotations the classifiers found, each with its source
 * @param classifiedThrough the seq of the last message of the conversation the classifiers have now seen
 */
public record RouteResult(long conversationId, RoutingDecision decision, Map<Long, List<SourcedAnnotation>> annotations,
                          long classifiedThrough) {

    public RouteResult {
        annotations = Map.copyOf(annotations);
    }

    /** An annotation and the classifier that found it. */
    public record SourcedAnnotation(Annotation annotation, String source) {
    }
}
