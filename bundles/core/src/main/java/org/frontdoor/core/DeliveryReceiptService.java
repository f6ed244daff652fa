package org.frontdoor.core;

import java.time.Clock;
import java.util.Objects;

import org.frontdoor.api.delivery.DeliveryReceipt;
import org.frontdoor.api.delivery.DeliveryReceipts;
import org.frontdoor.api.delivery.ReceiptOutcome;
import org.frontdoor.store.DeliveryStore;
import org.frontdoor.store.StoreUnavailableException;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Doors' delivery receipts, kept and applied by the store; event consumers are woken when a reply's state moved. */
@Component(service = DeliveryReceipts.class)
public class DeliveryReceiptService implements DeliveryReceipts {

    private static final Logger LOG = LoggerFactory.getLogger(DeliveryReceiptService.class);

    private final DeliveryStore store;
    private final Runnable changed;
    private final Clock clock;

    @Activate
    public DeliveryReceiptService(@Reference DeliveryStore store, @Reference Pipeline pipeline) {
        this(store, pipeline::wakeEventConsumers, Clock.systemUTC());
    }

    /** @param changed run after a receipt moved a reply's state (its event is in the log) */
    DeliveryReceiptService(DeliveryStore store, Runnable changed, Clock clock) {
        this.store = store;
        this.changed = changed;
        this.clock = clock;
    }

    @Override
    public ReceiptOutcome report(DeliveryReceipt receipt) {
        Objects.requireNonNull(receipt, "receipt");
        ReceiptOutcome outcome;
        try {
            outcome = store.receipt(receipt, clock.instant());
        } catch (StoreUnavailableException e) {
            throw new IllegalStateException("the delivery receipt could not be kept now: " + e.getMessage(), e);
        }
        if (outcome == ReceiptOutcome.APPLIED) {
            changed.run();
        }
        LOG.debug("Delivery receipt {} for {} on {}/{}: {}", receipt.state().id(), receipt.vendorId(),
                receipt.channel(), receipt.instance(), outcome);
        return outcome;
    }
}
