package org.frontdoor.api.delivery;

import java.util.Locale;

/**
 * What a vendor said became of a reply after it accepted it. The states are ordered: a reply's state only moves to a
 * higher one, so receipts arriving out of order (read before delivered) never move it back.
 */
public enum DeliveryState {
    /** The vendor handed it to the customer's device or account. */
    DELIVERED(1),
    /** The vendor could not deliver it after accepting it; the receipt's reason says why. */
    FAILED(2),
    /** The customer read it; proof of delivery too, so it outranks a late failure. */
    READ(3);

    private final int rank;

    DeliveryState(int rank) {
        this.rank = rank;
    }

    /** Whether a reply in state {@code current} (null: no receipt yet) moves to this state. */
    public boolean advances(DeliveryState current) {
        return current == null || rank > current.rank;
    }

    /** The id used in JSON, events and the shell: {@code delivered}, {@code read}, {@code failed}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
