package org.frontdoor.api;

import java.util.Objects;

/**
 * Where a conversation goes.
 *
 * @param department department id, such as {@code support}
 * @param priority   0 (normal) and up; higher is served first
 * @param skill      skill an agent needs, or null
 * @param rule       name of the rule that decided, for the audit trail
 * @param reason     why the rule claims it, in a sentence an agent reads ({@code keyword refund in the latest
 *                   message}), or null; shown in the conversation's why view
 */
public record RoutingDecision(String department, int priority, String skill, String rule, String reason) {

    /** The longest reason stored; a longer one is cut. */
    public static final int MAX_REASON = 1000;

    /** A decision without a reason. */
    public RoutingDecision(String department, int priority, String skill, String rule) {
        this(department, priority, skill, rule, null);
    }

    public RoutingDecision {
        Objects.requireNonNull(department, "department");
        Objects.requireNonNull(rule, "rule");
        if (department.isBlank()) {
            throw new IllegalArgumentException("department must not be blank");
        }
        if (reason != null) {
            reason = reason.isBlank() ? null : reason.length() > MAX_REASON ? reason.substring(0, MAX_REASON) : reason;
        }
    }
}
