package org.frontdoor.api.admin;

import org.frontdoor.api.Annotation;

/**
 * What a classifier found in a dry run.
 *
 * @param classifier the classifier's name (its component name)
 * @param annotation what it found
 */
public record FoundAnnotation(String classifier, Annotation annotation) {
}
