package org.frontdoor.classifier.sentiment;

import java.util.List;

import org.frontdoor.api.Annotation;
import org.frontdoor.api.Classifier;
import org.frontdoor.api.Message;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The shipped sentiment classifier: each customer message in which VADER finds words it knows gets the annotation
 * {@code sentiment} with {@code negative}, {@code neutral} or {@code positive}, and as its confidence the strength of
 * VADER's compound score: its absolute value for negative and positive, one less it for neutral. A message with none
 * of the lexicon's words and none of the commonest English words (most text in languages other than English) gets no
 * annotation. It runs without a
 * configuration; {@code etc/org.frontdoor.classifier.sentiment.cfg} moves the thresholds.
 */
@Component(name = SentimentClassifier.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL, immediate = true,
        property = Classifier.ANNOTATION + "=" + SentimentClassifier.ANNOTATION)
@Designate(ocd = SentimentClassifierConfig.class)
public class SentimentClassifier implements Classifier {

    static final String PID = "org.frontdoor.classifier.sentiment";
    static final String ANNOTATION = "sentiment";
    private static final Logger LOG = LoggerFactory.getLogger(SentimentClassifier.class);
    private static final Vader VADER = Vader.load();

    private final double negative;
    private final double positive;
    private final int maxCharacters;

    @Activate
    public SentimentClassifier(SentimentClassifierConfig config) {
        negative = config.negativeAtOrBelow();
        positive = config.positiveAtOrAbove();
        maxCharacters = config.maxCharacters();
        String refused = null;
        if (!(negative >= -1 && negative <= 1 && positive >= -1 && positive <= 1)) {
            refused = "negativeAtOrBelow and positiveAtOrAbove must be within -1..1";
        } else if (negative >= positive) {
            refused = "negativeAtOrBelow (" + negative + ") must be below positiveAtOrAbove (" + positive + ")";
        } else if (maxCharacters < 1) {
            refused = "maxCharacters must be 1 or more";
        }
        if (refused != null) {
            LOG.error("Sentiment classifier configuration {} refused: {}; no sentiment classifier is registered", PID,
                    refused);
            throw new IllegalArgumentException(refused);
        }
        LOG.info("Sentiment classifier ready: VADER lexicon of {} entries, negative at or below {}, positive at or "
                + "above {}", VADER.size(), negative, positive);
    }

    @Override
    public List<Annotation> classify(Message message) {
        String text = message.text();
        if (text == null || text.isBlank()) {
            return List.of();
        }
        Vader.Score score = VADER.score(text.length() > maxCharacters ? text.substring(0, maxCharacters) : text);
        if (!score.english()) {
            return List.of();
        }
        double c = score.compound();
        if (c <= negative) {
            return List.of(new Annotation(ANNOTATION, "negative", Math.abs(c)));
        }
        if (c >= positive) {
            return List.of(new Annotation(ANNOTATION, "positive", Math.abs(c)));
        }
        return List.of(new Annotation(ANNOTATION, "neutral", 1 - Math.abs(c)));
    }
}
