/**
 * Delivery receipts: what a door's vendor says became of a reply it accepted (delivered to the customer's device, read,
 * or not delivered after all). Any door reports them the same way: it names the vendor's id of the sent reply when the
 * send completes ({@link DeliveryReceipts#HEADER_VENDOR_ID}) and later reports receipts for that id
 * ({@link DeliveryReceipts#report}). Implemented by core.
 */
@Version("1.0.0")
package org.frontdoor.api.delivery;

import org.osgi.annotation.versioning.Version;
