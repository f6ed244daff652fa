package org.frontdoor.api.consent;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Objects;

/**
 * An identity's consent as the store holds it: the latest statement about it, by time.
 *
 * @param channel   the identity's channel
 * @param handle    the identity's handle
 * @param optedIn   false when the customer opted out: nothing is sent to this identity
 * @param since     when the current state began (the first STOP of a run of STOPs)
 * @param source    what began it
 * @param reference the keyword message's id, the agent's name, or where an import came from; may be null
 * @param reason    words for people, may be null
 */
public record Consent(String channel, String handle, boolean optedIn, Instant since, ConsentSource source,
                      String reference, String reason) {

    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")
            .withZone(ZoneOffset.UTC);

    public Consent {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(handle, "handle");
        Objects.requireNonNull(since, "since");
        Objects.requireNonNull(source, "source");
    }

    /** {@code opted-in} or {@code opted-out}: the word used in JSON, the shell and events. */
    public String state() {
        return optedIn ? "opted-in" : "opted-out";
    }

    /**
     * Why nothing may be sent to this identity, as an agent reads it, or null when it opted in: "the customer texted
     * STOP on 2026-12-07 10:00 UTC (message 12); they must text START before anything is sent to them".
     */
    public String refusal() {
        if (optedIn) {
            return null;
        }
        String when = WHEN.format(since);
        return switch (source) {
            case KEYWORD -> "the customer texted " + (reason == null || reason.isBlank() ? "STOP" : reason.strip())
                    + " on " + when + (reference == null ? "" : " (message " + reference + ")") + " to " + channel
                    + " " + handle + "; they must text START before anything is sent to them";
            case AGENT -> reference + " recorded on " + when + " that " + channel + " " + handle
                    + " opted out (" + reason + "); nothing is sent to them until they opt in again";
            case IMPORT -> channel + " " + handle + " opted out on " + when + " (imported from " + reference
                    + "); they must text START before anything is sent to them";
        };
    }
}
