package org.frontdoor.api;

import java.util.List;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Finds facts about a message (language, sentiment, intent, urgency). Registered as an OSGi service; core asks every
 * classifier about each customer message of a conversation before it is routed, stores the annotations on the message
 * and gives them to the rules.
 *
 * <p>A classifier is given a bounded time (core's {@code classifierTimeoutMillis}); one that throws or runs late is
 * left out for that message, with one line in the log, and never holds up ingest or routing for longer.
 *
 * <p>A classifier registered with the service property {@link #ANNOTATION} (such as {@code frontdoor.annotation=language})
 * is the one asked for that annotation only while no other classifier with the same value has a higher
 * {@code service.ranking} (ties: the older service): a department replaces a shipped classifier by registering its own
 * with the same annotation name and a higher ranking, and the shipped one is asked again when it goes. Classifiers
 * without the property are all asked.
 */
@ConsumerType
public interface Classifier {

    /** The service property naming the annotation a classifier gives, such as {@code language} or {@code sentiment}. */
    String ANNOTATION = "frontdoor.annotation";

    /** Annotations for this message; an empty list when there is nothing to say. Must not block on I/O for long. */
    List<Annotation> classify(Message message);
}
