package org.frontdoor.classifier.language;

import java.util.List;

import org.frontdoor.api.Annotation;
import org.frontdoor.api.Classifier;
import org.frontdoor.api.Message;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The shipped language classifier: each customer message gets the annotation {@code language} with an ISO 639-1
 * code ({@code fr}) and the detector's confidence, or nothing when it is less sure than {@code minConfidence}. It runs
 * without a configuration (the defaults in {@link LanguageClassifierConfig}); {@code
 * etc/org.frontdoor.classifier.language.cfg} changes the languages and thresholds, and a changed file restarts it with
 * the new ones. A configuration it refuses leaves no classifier, with one line in the log.
 */
@Component(name = LanguageClassifier.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL, immediate = true,
        property = Classifier.ANNOTATION + "=" + LanguageDetection.ANNOTATION)
@Designate(ocd = LanguageClassifierConfig.class)
public class LanguageClassifier implements Classifier {

    static final String PID = "org.frontdoor.classifier.language";
    private static final Logger LOG = LoggerFactory.getLogger(LanguageClassifier.class);

    private final LanguageDetection detection;

    @Activate
    public LanguageClassifier(LanguageClassifierConfig config) {
        long start = System.nanoTime();
        try {
            detection = LanguageDetection.of(config.languages(), config.minConfidence(), config.maxCharacters());
        } catch (IllegalArgumentException refused) {
            LOG.error("Language classifier configuration {} refused: {}; no language classifier is registered",
                    PID, refused.getMessage());
            throw refused;
        }
        LOG.info("Language classifier ready for {} (models loaded in {} ms)", detection.languages(),
                (System.nanoTime() - start) / 1_000_000);
    }

    @Override
    public List<Annotation> classify(Message message) {
        return detection.detect(message.text()).map(List::of).orElse(List.of());
    }

    @Deactivate
    void deactivate() {
        detection.close();
    }
}
