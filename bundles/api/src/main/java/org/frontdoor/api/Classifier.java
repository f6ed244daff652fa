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
 */
@ConsumerType
public interface Classifier {

    /** Annotations for this message; an empty list when there is nothing to say. Must not block on I/O for long. */
    List<Annotation> classify(Message message);
}
