package org.frontdoor.api.inbox;

import java.util.Locale;

/**
 * Where an open conversation stands against its department's SLA targets, from core's SLA timers that still run or
 * have fired (a stopped timer counts for nothing, nor one of a department the conversation has left). A resolved
 * conversation is {@link #OK}.
 */
public enum SlaState {
    /** No target passed its warning time. */
    OK,
    /** A target passed its warning time, none its due time. */
    AT_RISK,
    /** A target passed its due time. */
    BREACHED;

    /** The state a query parameter names: {@code ok}, {@code at-risk} (or {@code at_risk}), {@code breached}. */
    public static SlaState parse(String name) {
        String n = name.strip().toUpperCase(Locale.ROOT).replace('-', '_');
        for (SlaState s : values()) {
            if (s.name().equals(n)) {
                return s;
            }
        }
        throw new IllegalArgumentException("sla must be one of ok, at-risk, breached");
    }
}
