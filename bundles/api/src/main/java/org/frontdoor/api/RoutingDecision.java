package org.frontdoor.api;

import java.util.Objects;

/**
 * Where a conversation goes.
 *
 * @param department department id, such as {@code support}
 * @param priority   0 (normal) and up; higher is served first
 * @param skill      skill an agent needs, or null
 * @param rule       name of the rule that decided, for the audit trail
 */
public record RoutingDecision(String department, int priority, String skill, String rule) {

    public RoutingDecision {
        Objects.requireNonNull(department, "department");
        Objects.requireNonNull(rule, "rule");
        if (department.isBlank()) {
            throw new IllegalArgumentException("department must not be blank");
        }
    }
}
