package org.frontdoor.api;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A department's SLA settings beyond its default targets: targets for some priorities, when a timer warns, the chain it
 * escalates along once breached, and the text a customer gets when they write while the department is closed.
 *
 * @param firstResponseByPriority first-response targets in business minutes for these priorities (0: none), instead
 *                                of the department's {@link Department#firstResponseMinutes()}
 * @param resolutionByPriority    resolution targets in business minutes for these priorities (0: none), instead of
 *                                {@link Department#resolutionMinutes()}
 * @param warnAtPercent           how far into a target (1 to 99) a timer warns with {@code sla-warning}
 * @param escalation              what is done when a target is breached, then each time as much business time again
 *                                passes without the timer being stopped; may be empty
 * @param closedReply             the out-of-hours acknowledgement, {@value #OPENING} standing for the next opening; null
 *                                for {@link #DEFAULT_CLOSED_REPLY}; empty to send none
 */
public record SlaPolicy(Map<Integer, Integer> firstResponseByPriority, Map<Integer, Integer> resolutionByPriority,
                        int warnAtPercent, List<Escalation> escalation, String closedReply) {

    /** Stands for the next opening, in the department's zone, in {@link #closedReply()}. */
    public static final String OPENING = "{opening}";
    /** The out-of-hours acknowledgement a department sends unless its file says otherwise. */
    public static final String DEFAULT_CLOSED_REPLY = "We are closed now; we will answer from " + OPENING + ".";
    /** The warning point unless a department's file says otherwise. */
    public static final int DEFAULT_WARN_AT_PERCENT = 80;
    /** No overrides, warning at 80 %, no escalation, the default acknowledgement. */
    public static final SlaPolicy DEFAULT = new SlaPolicy(Map.of(), Map.of(), DEFAULT_WARN_AT_PERCENT, List.of(), null);

    public SlaPolicy {
        firstResponseByPriority = Collections.unmodifiableMap(new TreeMap<>(firstResponseByPriority));
        resolutionByPriority = Collections.unmodifiableMap(new TreeMap<>(resolutionByPriority));
        for (Map.Entry<Integer, Integer> e : firstResponseByPriority.entrySet()) {
            check(e);
        }
        for (Map.Entry<Integer, Integer> e : resolutionByPriority.entrySet()) {
            check(e);
        }
        if (warnAtPercent < 1 || warnAtPercent > 99) {
            throw new IllegalArgumentException("warnAtPercent '" + warnAtPercent + "' is not 1 to 99");
        }
        escalation = List.copyOf(escalation);
        closedReply = closedReply == null ? DEFAULT_CLOSED_REPLY : closedReply.strip();
    }

    private static void check(Map.Entry<Integer, Integer> e) {
        if (e.getKey() < 0 || e.getValue() < 0) {
            throw new IllegalArgumentException("a priority and its target are 0 or more");
        }
    }

    /** What an escalation step does. */
    public enum Step {
        /** An {@code escalated} event naming the department's supervisors. */
        SUPERVISOR,
        /** The conversation is transferred to {@link Escalation#department()}. */
        DEPARTMENT,
        /** A phone callback task carrying the customer's number, when one is known. */
        CALLBACK
    }

    /**
     * One step of an escalation chain.
     *
     * @param step       what it does
     * @param department for {@link Step#DEPARTMENT}: where to; null otherwise
     */
    public record Escalation(Step step, String department) {
        public Escalation {
            Objects.requireNonNull(step, "step");
            if ((step == Step.DEPARTMENT) != (department != null)) {
                throw new IllegalArgumentException("a department step, and only one, names a department");
            }
        }

        /** As a department's file says it: {@code supervisor}, {@code department:sales}, {@code callback}. */
        @Override
        public String toString() {
            return step == Step.DEPARTMENT ? "department:" + department : step.name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * Reads a chain such as {@code supervisor, department:sales, callback}; blank is none.
     *
     * @throws IllegalArgumentException naming the step that cannot be read
     */
    public static List<Escalation> parseEscalation(String spec) {
        List<Escalation> steps = new ArrayList<>();
        if (spec == null || spec.isBlank()) {
            return steps;
        }
        for (String raw : spec.split(",")) {
            String part = raw.strip();
            String lower = part.toLowerCase(Locale.ROOT);
            if (lower.equals("supervisor")) {
                steps.add(new Escalation(Step.SUPERVISOR, null));
            } else if (lower.equals("callback")) {
                steps.add(new Escalation(Step.CALLBACK, null));
            } else if (lower.startsWith("department:")
                    && part.substring(11).strip().matches("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")) {
                steps.add(new Escalation(Step.DEPARTMENT, part.substring(11).strip()));
            } else {
                throw new IllegalArgumentException("escalation step '" + part + "' is not supervisor, "
                        + "department:<id> or callback");
            }
        }
        return steps;
    }

    /**
     * Reads per-priority targets such as {@code 2:30, 3:10} (priority 2: 30 minutes; priority 3: 10); blank is none.
     *
     * @param key the setting's name, for the message
     * @throws IllegalArgumentException naming the part that cannot be read
     */
    public static Map<Integer, Integer> parseTargets(String key, String spec) {
        Map<Integer, Integer> targets = new TreeMap<>();
        if (spec == null || spec.isBlank()) {
            return targets;
        }
        for (String raw : spec.split(",")) {
            String part = raw.strip();
            if (!part.matches("\\d{1,6}\\s*:\\s*\\d{1,7}")) {
                throw new IllegalArgumentException(key + " part '" + part + "' is not '<priority>:<minutes>', such "
                        + "as '2:30'");
            }
            String[] pm = part.split(":");
            if (targets.put(Integer.parseInt(pm[0].strip()), Integer.parseInt(pm[1].strip())) != null) {
                throw new IllegalArgumentException(key + " names priority " + pm[0].strip() + " twice");
            }
        }
        return targets;
    }
}
