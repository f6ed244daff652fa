package org.frontdoor.classifier.language;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Frontdoor language classifier",
        description = "Finds the language of each customer message (annotation language, an ISO 639-1 code), "
                + "etc/org.frontdoor.classifier.language.cfg")
@interface LanguageClassifierConfig {

    @AttributeDefinition(description = "The languages to tell apart, ISO 639-1 codes, comma separated; each one "
            + "costs memory (its models are loaded when the classifier starts) and fewer are told apart better")
    String[] languages() default {"en", "fr", "de", "es", "it", "pt", "nl"};

    @AttributeDefinition(description = "The least confidence (0 to 1) for an annotation: a message the detector is "
            + "less sure of gets none")
    double minConfidence() default 0.5;

    @AttributeDefinition(description = "Only the first this many characters of a message are looked at")
    int maxCharacters() default 2000;

    @AttributeDefinition(name = "service.ranking", description = "Among classifiers giving the annotation language, "
            + "the highest ranking is asked; a department's own classifier with a higher ranking replaces this one")
    int service_ranking() default 0;
}
