package org.frontdoor.api.calls;

import java.util.Objects;

/**
 * A call an agent asks a door to place.
 *
 * @param customerNumber the customer's number as Frontdoor knows it (E.164 where it can be told)
 * @param agent          the agent's login name: the door may know a number for it in its configuration
 * @param agentNumber    the phone the agent answers on, as given in the request; null for the one the door has
 *                       configured for {@code agent}
 * @param reference      what the call is for, for the door's logs ("callback task 12"): no customer data
 */
public record CallRequest(String customerNumber, String agent, String agentNumber, String reference) {

    public CallRequest {
        Objects.requireNonNull(customerNumber, "customerNumber");
        Objects.requireNonNull(agent, "agent");
        Objects.requireNonNull(reference, "reference");
        agentNumber = agentNumber == null || agentNumber.isBlank() ? null : agentNumber.strip();
    }
}
