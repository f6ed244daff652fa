package org.frontdoor.api.delivery;

import java.time.Instant;
import java.util.Objects;

/**
 * A reply's delivery state as its door's vendor last reported it.
 *
 * @param state  delivered, read or failed
 * @param at     when the vendor says it happened
 * @param reason why it was not delivered (the vendor's words and code), or null unless {@code state} is FAILED
 */
public record Delivery(DeliveryState state, Instant at, String reason) {

    public Delivery {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(at, "at");
    }
}
