package org.frontdoor.api.delivery;

/**
 * Where doors report what their vendor says became of the replies they sent. Registered by core as an OSGi service.
 *
 * <p>The two halves meet on the vendor's id. When a door's {@code from("frontdoor:outbound?channel=ID")} route sends a
 * reply and the vendor answers with its id for it, the route sets {@link #HEADER_VENDOR_ID} on the exchange's message;
 * core stores it with the reply as it records the reply sent (unique per door instance). When the vendor later calls
 * the door back with a receipt, the door checks the call's signature and {@link #report reports} it.
 *
 * <p>Receipts are idempotent and ordered by {@link DeliveryState}: a duplicate changes nothing, a delivered after a
 * read changes nothing. A receipt whose id no reply carries yet (it overtook the recording of the send) is kept and
 * applied once the id is recorded; kept receipts no reply claims are dropped after {@value #KEPT_DAYS} days.
 */
public interface DeliveryReceipts {

    /**
     * Header a door's outbound route sets on the exchange's message once the vendor accepted the reply: the vendor's id
     * for it (a {@code String}, at most {@value DeliveryReceipt#MAX_VENDOR_ID} characters). Without it the reply is
     * recorded sent as before, and receipts cannot find it.
     */
    String HEADER_VENDOR_ID = "FrontdoorVendorId";

    /** How long a receipt no reply claims is kept. */
    int KEPT_DAYS = 7;

    /**
     * Records a receipt durably before it returns: answer the vendor after this, never before.
     *
     * @throws IllegalStateException when it could not be recorded now (the database is unavailable): answer 503 so the
     *                               vendor sends it again
     */
    ReceiptOutcome report(DeliveryReceipt receipt);
}
