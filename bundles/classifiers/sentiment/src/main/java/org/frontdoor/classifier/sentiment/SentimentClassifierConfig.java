package org.frontdoor.classifier.sentiment;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Frontdoor sentiment classifier",
        description = "Finds the sentiment of each customer message (annotation sentiment: negative, neutral or "
                + "positive), by the VADER lexicon; etc/org.frontdoor.classifier.sentiment.cfg")
@interface SentimentClassifierConfig {

    @AttributeDefinition(description = "A compound score (-1 to +1) at or below this is negative")
    double negativeAtOrBelow() default -0.05;

    @AttributeDefinition(description = "A compound score (-1 to +1) at or above this is positive; between the two "
            + "it is neutral")
    double positiveAtOrAbove() default 0.05;

    @AttributeDefinition(description = "Only the first this many characters of a message are looked at")
    int maxCharacters() default 5000;

    @AttributeDefinition(name = "service.ranking", description = "Among classifiers giving the annotation sentiment, "
            + "the highest ranking is asked; a department's own classifier with a higher ranking replaces this one")
    int service_ranking() default 0;
}
