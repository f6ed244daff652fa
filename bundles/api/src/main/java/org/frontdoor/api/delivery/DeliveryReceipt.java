package org.frontdoor.api.delivery;

import java.time.Instant;
import java.util.Objects;

/**
 * A vendor's receipt for a reply a door sent: the reply is named by the id the vendor gave it when it accepted it.
 *
 * @param channel  the door's channel id
 * @param instance the door's instance
 * @param vendorId the vendor's id of the sent reply (WhatsApp {@code wamid...}, Messenger {@code mid}, Twilio's
 *                 {@code SM...} sid); at most {@value #MAX_VENDOR_ID} characters
 * @param state    what became of it
 * @param at       when the vendor says it happened
 * @param reason   for FAILED, the vendor's reason in words with its code (at most {@value #MAX_REASON} characters, cut
 *                 beyond); null otherwise
 */
public record DeliveryReceipt(String channel, String instance, String vendorId, DeliveryState state, Instant at,
                              String reason) {

    /** The longest vendor id a reply keeps. */
    public static final int MAX_VENDOR_ID = 255;

    /** The longest reason kept. */
    public static final int MAX_REASON = 1000;

    public DeliveryReceipt {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(at, "at");
        if (channel == null || channel.isBlank() || instance == null || instance.isBlank()) {
            throw new IllegalArgumentException("a delivery receipt names its door's channel and instance");
        }
        if (vendorId == null || vendorId.isBlank()) {
            throw new IllegalArgumentException("a delivery receipt names the vendor's id of the reply");
        }
        if (vendorId.length() > MAX_VENDOR_ID) {
            throw new IllegalArgumentException("the vendor's id of a reply is longer than " + MAX_VENDOR_ID
                    + " characters");
        }
        if (state == DeliveryState.FAILED) {
            reason = reason == null || reason.isBlank() ? "the vendor gave no reason" : reason.strip();
            if (reason.length() > MAX_REASON) {
                reason = reason.substring(0, MAX_REASON);
            }
        } else {
            reason = null;
        }
    }
}
