package org.frontdoor.channel.sms;

import java.util.concurrent.CompletableFuture;

import org.apache.camel.CamelContext;
import org.apache.camel.karaf.core.OsgiDefaultCamelContext;
import org.apache.camel.spi.ComponentResolver;
import org.frontdoor.api.Channel;
import org.frontdoor.api.Frontdoor;
import org.frontdoor.api.IngestReceipt;
import org.frontdoor.api.Message;
import org.frontdoor.api.delivery.DeliveryReceipt;
import org.frontdoor.api.delivery.DeliveryReceipts;
import org.frontdoor.api.delivery.ReceiptOutcome;
import org.frontdoor.plugin.camel.DoorContext;
import org.frontdoor.plugin.camel.DoorInstances;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The channel's CamelContext: texts, missed calls and voicemails go {@code to("frontdoor:inbound")}, replies come
 * {@code from("frontdoor:outbound?channel=sms")} and leave through the Messages API.
 */
@Component(service = SmsChannelRuntime.class)
public class SmsChannelRuntime {

    private static final Logger LOG = LoggerFactory.getLogger(SmsChannelRuntime.class);

    private final DoorInstances<SmsInstance> instances = new DoorInstances<>(SmsInstance.class);
    private final DoorContext door;
    private final DeliveryReceipts receipts;

    @Activate
    public SmsChannelRuntime(BundleContext context,
                             @Reference(target = "(component=" + Frontdoor.SCHEME + ")") ComponentResolver frontdoor,
                             @Reference(target = "(component=log)") ComponentResolver log,
                             @Reference DeliveryReceipts receipts) throws Exception {
        this(new OsgiDefaultCamelContext(context), receipts);
    }

    /** Tests give a plain context that resolves {@code frontdoor:} and {@code log:} on its own. */
    SmsChannelRuntime(CamelContext camel, DeliveryReceipts receipts) throws Exception {
        this.receipts = receipts;
        SmsSender sender = new SmsSender(instances::get);
        this.door = DoorContext.of(camel, SmsInstance.CHANNEL_ID).startTracked(sender::send);
        LOG.info("SMS channel started");
    }

    @Reference(service = Channel.class, target = "(" + Channel.CHANNEL + "=" + SmsInstance.CHANNEL_ID + ")",
            cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, unbind = "removeInstance")
    void addInstance(Channel channel) {
        instances.add(channel);
    }

    void removeInstance(Channel channel) {
        instances.remove(channel);
    }

    @Deactivate
    void deactivate() throws Exception {
        door.stop();
        LOG.info("SMS channel stopped");
    }

    SmsInstance instance(String name) {
        return instances.get(name);
    }

    CompletableFuture<IngestReceipt> ingest(Message message) {
        return door.ingest(message);
    }

    /** Reports a delivery receipt to core; durable when it returns. */
    ReceiptOutcome report(DeliveryReceipt receipt) {
        return receipts.report(receipt);
    }
}
