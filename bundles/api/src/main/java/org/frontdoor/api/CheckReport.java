package org.frontdoor.api;

import java.util.List;
import java.util.Objects;

/**
 * What {@link ChannelCheck#check()} found: each step tried, in order.
 *
 * @param steps what was tried, each with its outcome
 */
public record CheckReport(List<Step> steps) {

    /**
     * One thing tried.
     *
     * @param what   what was tried ({@code IMAP login}, {@code SMTP EHLO/AUTH}, {@code callback peer})
     * @param ok     whether it worked
     * @param detail what works, or, when not ok, what is wrong and which setting of which file to change
     */
    public record Step(String what, boolean ok, String detail) {
        public Step {
            Objects.requireNonNull(what, "what");
            Objects.requireNonNull(detail, "detail");
        }

        public static Step ok(String what, String detail) {
            return new Step(what, true, detail);
        }

        public static Step failed(String what, String detail) {
            return new Step(what, false, detail);
        }
    }

    public CheckReport {
        steps = List.copyOf(steps);
    }

    /** Whether every step worked. */
    public boolean ok() {
        return steps.stream().allMatch(Step::ok);
    }

    /** The first step that failed, with what to fix; null when all worked. */
    public Step firstFailure() {
        return steps.stream().filter(s -> !s.ok()).findFirst().orElse(null);
    }
}
