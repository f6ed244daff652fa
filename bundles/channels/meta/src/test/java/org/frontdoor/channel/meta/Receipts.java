package org.frontdoor.channel.meta;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.frontdoor.api.delivery.DeliveryReceipt;
import org.frontdoor.api.delivery.ReceiptOutcome;

/** A stand-in for core's delivery receipts: records what the door reports, or fails as an unreachable database. */
final class Receipts {

    final List<DeliveryReceipt> reported = new CopyOnWriteArrayList<>();
    volatile boolean down;

    ReceiptOutcome add(DeliveryReceipt receipt) {
        if (down) {
            throw new IllegalStateException("the delivery receipt could not be kept now: the database is gone");
        }
        reported.add(receipt);
        return ReceiptOutcome.KEPT;
    }
}
