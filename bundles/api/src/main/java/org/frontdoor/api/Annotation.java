package org.frontdoor.api;

import java.util.Objects;

/**
 * One fact a {@link Classifier} found about a message, such as {@code sentiment=negative}.
 *
 * @param name       what was classified: {@code language}, {@code sentiment}, {@code intent}, {@code urgency}
 * @param value      the finding
 * @param confidence from 0 to 1
 */
public record Annotation(String name, String value, double confidence) {

    public Annotation {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
        if (confidence < 0 || confidence > 1) {
            throw new IllegalArgumentException("confidence must be within 0..1");
        }
    }
}
