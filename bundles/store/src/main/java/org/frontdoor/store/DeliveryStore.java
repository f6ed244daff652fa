package org.frontdoor.store;

import java.time.Instant;

import org.frontdoor.api.delivery.DeliveryReceipt;
import org.frontdoor.api.delivery.ReceiptOutcome;

/** Delivery receipts: kept once per vendor id and state, applied to the reply that carries the id. */
public interface DeliveryStore {

    /**
     * Keeps a receipt (a duplicate of a kept one is a no-op), then applies it if a reply on its door carries its vendor
     * id: the reply's delivery state moves only forward, with its event and audit. Receipts no reply claimed within
     * {@code DeliveryReceipts.KEPT_DAYS} before {@code now} are dropped on the way.
     */
    ReceiptOutcome receipt(DeliveryReceipt receipt, Instant now);

    /**
     * Applies the kept receipts for one vendor id of a door (after its send was recorded); returns how many moved the
     * reply's state.
     */
    int applyReceipts(String channel, String instance, String vendorId);
}
