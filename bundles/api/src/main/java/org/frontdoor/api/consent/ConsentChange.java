package org.frontdoor.api.consent;

import java.time.Instant;
import java.util.Objects;

/**
 * One statement about an identity's consent, as a door or an admin records it. Statements are ordered by
 * {@link #at()}: the latest wins, whichever node records it last.
 *
 * @param channel   the identity's channel (the door's channel id, {@code sms})
 * @param handle    the identity's handle on it (an E.164 number for SMS)
 * @param optedIn   true for opted in (START), false for opted out (STOP)
 * @param at        when the customer (or the admin) said it: the keyword message's receipt time
 * @param source    what it came from
 * @param reference the keyword message's id, the agent's name, or where an import came from; at most 255 characters
 * @param reason    words for people (the keyword as texted, an admin's reason), at most {@value Consents#MAX_REASON}
 *                  characters; required for {@link ConsentSource#AGENT}
 */
public record ConsentChange(String channel, String handle, boolean optedIn, Instant at, ConsentSource source,
                            String reference, String reason) {

    public ConsentChange {
        if (channel == null || channel.isBlank() || channel.length() > 64) {
            throw new IllegalArgumentException("a consent change names its channel (1 to 64 characters)");
        }
        if (handle == null || handle.isBlank() || handle.length() > 255) {
            throw new IllegalArgumentException("a consent change names the customer's address on " + channel
                    + " (1 to 255 characters)");
        }
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(source, "source");
        if (reference != null && reference.length() > 255) {
            throw new IllegalArgumentException("a consent change's reference is at most 255 characters");
        }
        if (reason != null && reason.length() > Consents.MAX_REASON) {
            throw new IllegalArgumentException("a consent reason is at most " + Consents.MAX_REASON + " characters");
        }
        if (source == ConsentSource.AGENT && (reason == null || reason.isBlank() || reference == null
                || reference.isBlank())) {
            throw new IllegalArgumentException("consent recorded by hand names who recorded it and gives a reason: "
                    + "it is shown to every agent and audited");
        }
    }
}
