package org.frontdoor.api;

import java.util.List;

/** Finds facts about a message (language, sentiment, intent, urgency). Registered as an OSGi service. */
public interface Classifier {

    /** Annotations for this message; an empty list when there is nothing to say. Must not block on I/O for long. */
    List<Annotation> classify(Message message);
}
