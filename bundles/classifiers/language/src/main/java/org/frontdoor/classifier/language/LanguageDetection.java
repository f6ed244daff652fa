package org.frontdoor.classifier.language;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;

import com.github.pemistahl.lingua.api.IsoCode639_1;
import com.github.pemistahl.lingua.api.Language;
import com.github.pemistahl.lingua.api.LanguageDetector;
import com.github.pemistahl.lingua.api.LanguageDetectorBuilder;

import org.frontdoor.api.Annotation;

/**
 * Lingua, built for a set of languages: the language of a text as an {@code language} annotation with its ISO 639-1
 * code and Lingua's confidence (the confidences of all the languages considered add up to 1).
 */
final class LanguageDetection {

    static final String ANNOTATION = "language";

    private final LanguageDetector detector;
    private final Set<Language> languages;
    private final double minConfidence;
    private final int maxCharacters;

    private LanguageDetection(Set<Language> languages, double minConfidence, int maxCharacters) {
        this.languages = languages;
        this.minConfidence = minConfidence;
        this.maxCharacters = maxCharacters;
        // the models are loaded now rather than on the first message, which would run past the classifier timeout
        this.detector = LanguageDetectorBuilder.fromLanguages(languages.toArray(Language[]::new))
                .withPreloadedLanguageModels().build();
    }

    /**
     * A detector for these ISO 639-1 codes.
     *
     * @throws IllegalArgumentException naming what is wrong: an unknown code, fewer than two, a confidence out of 0..1
     */
    static LanguageDetection of(String[] codes, double minConfidence, int maxCharacters) {
        Set<Language> languages = EnumSet.noneOf(Language.class);
        for (String code : codes == null ? new String[0] : codes) {
            if (code == null || code.isBlank()) {
                continue;
            }
            languages.add(language(code.trim()));
        }
        if (languages.size() < 2) {
            throw new IllegalArgumentException("languages: give at least two ISO 639-1 codes to tell apart, such as "
                    + "en, fr");
        }
        if (!(minConfidence >= 0 && minConfidence <= 1)) {
            throw new IllegalArgumentException("minConfidence must be within 0..1, not " + minConfidence);
        }
        if (maxCharacters < 1) {
            throw new IllegalArgumentException("maxCharacters must be 1 or more, not " + maxCharacters);
        }
        return new LanguageDetection(languages, minConfidence, maxCharacters);
    }

    private static Language language(String code) {
        IsoCode639_1 iso;
        try {
            iso = IsoCode639_1.valueOf(code.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("languages: " + code + " is not an ISO 639-1 code Lingua knows", e);
        }
        Language found = Language.getByIsoCode639_1(iso);
        if (found == Language.UNKNOWN) {
            throw new IllegalArgumentException("languages: " + code + " is not a language Lingua knows");
        }
        return found;
    }

    /** The language of a text, when the detector is at least {@code minConfidence} sure of it. */
    Optional<Annotation> detect(String text) {
        if (text == null || text.isBlank()) {
            return Optional.empty();
        }
        String head = text.length() > maxCharacters ? text.substring(0, maxCharacters) : text;
        SortedMap<Language, Double> confidences = detector.computeLanguageConfidenceValues(head);
        if (confidences.isEmpty()) {
            return Optional.empty();
        }
        // sorted by confidence, highest first
        Map.Entry<Language, Double> best = confidences.entrySet().iterator().next();
        double confidence = Math.max(0, Math.min(1, best.getValue()));
        if (best.getKey() == Language.UNKNOWN || confidence < minConfidence) {
            return Optional.empty();
        }
        return Optional.of(new Annotation(ANNOTATION, code(best.getKey()), confidence));
    }

    /** The ISO 639-1 codes considered, lower case. */
    List<String> languages() {
        List<String> codes = new ArrayList<>();
        languages.forEach(l -> codes.add(code(l)));
        return codes;
    }

    private static String code(Language language) {
        return language.getIsoCode639_1().name().toLowerCase(Locale.ROOT);
    }

    /** Lets the models go. */
    void close() {
        detector.unloadLanguageModels();
    }
}
