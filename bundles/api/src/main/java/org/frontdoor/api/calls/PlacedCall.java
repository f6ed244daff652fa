package org.frontdoor.api.calls;

import java.util.Objects;

/**
 * A call the provider accepted.
 *
 * @param callId      the provider's id of the call (Twilio's CallSid)
 * @param agentNumber the agent's phone the call rings first
 * @param from        the number the customer sees calling
 */
public record PlacedCall(String callId, String agentNumber, String from) {

    public PlacedCall {
        Objects.requireNonNull(callId, "callId");
        if (callId.isBlank() || callId.length() > 64) {
            throw new IllegalArgumentException("a call id takes 1 to 64 characters");
        }
    }
}
