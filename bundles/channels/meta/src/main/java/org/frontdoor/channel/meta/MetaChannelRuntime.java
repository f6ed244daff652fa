package org.frontdoor.channel.meta;

import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import org.apache.camel.CamelContext;
import org.apache.camel.karaf.core.OsgiDefaultCamelContext;
import org.apache.camel.spi.ComponentResolver;
import org.frontdoor.api.Caller;
import org.frontdoor.api.Channel;
import org.frontdoor.api.Frontdoor;
import org.frontdoor.api.IngestReceipt;
import org.frontdoor.api.Message;
import org.frontdoor.api.delivery.DeliveryReceipt;
import org.frontdoor.api.delivery.DeliveryReceipts;
import org.frontdoor.api.delivery.ReceiptOutcome;
import org.frontdoor.api.inbox.ConversationDetail;
import org.frontdoor.api.inbox.Inbox;
import org.frontdoor.api.inbox.MessageView;
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
 * The channel's CamelContext: inbound messages go {@code to("frontdoor:inbound")}, replies come
 * {@code from("frontdoor:outbound?channel=meta")} and leave through the Graph API. It starts only when core's
 * {@code frontdoor:} component and the {@code log:} component are published, and stops when either goes.
 */
@Component(service = MetaChannelRuntime.class)
public class MetaChannelRuntime {

    private static final Logger LOG = LoggerFactory.getLogger(MetaChannelRuntime.class);

    private final DoorInstances<MetaInstance> instances = new DoorInstances<>(MetaInstance.class);
    private final DoorContext door;
    private final DeliveryReceipts receipts;

    @Activate
    public MetaChannelRuntime(BundleContext context,
                              @Reference(target = "(component=" + Frontdoor.SCHEME + ")") ComponentResolver frontdoor,
                              @Reference(target = "(component=log)") ComponentResolver log,
                              @Reference Inbox inbox, @Reference DeliveryReceipts receipts) throws Exception {
        this(new OsgiDefaultCamelContext(context), lastInbound(inbox), receipts);
    }

    /** Tests give a plain context that resolves {@code frontdoor:} and {@code log:} on its own. */
    MetaChannelRuntime(CamelContext camel, MetaSender.LastInbound lastInbound, DeliveryReceipts receipts)
            throws Exception {
        this.receipts = receipts;
        MetaSender sender = new MetaSender(instances::get, lastInbound);
        this.door = DoorContext.of(camel, MetaInstance.CHANNEL_ID).startTracked(sender::send);
        LOG.info("Meta channel started");
    }

    /**
     * When the customer last wrote in the reply's conversation, as the store has it (WhatsApp's {@code timestamp} of
     * the message): the start of WhatsApp's 24-hour customer-service window. Every node sees the same.
     */
    static MetaSender.LastInbound lastInbound(Inbox inbox) {
        return (reply) -> {
            Optional<ConversationDetail> detail = inbox.conversation(
                    Caller.system("channel-meta-" + reply.instance()), reply.conversationId());
            Instant last = null;
            for (MessageView m : detail.map(ConversationDetail::messages).orElse(java.util.List.of())) {
                if (reply.recipient().handle().equals(m.authorHandle())
                        && (last == null || m.receivedAt().isAfter(last))) {
                    last = m.receivedAt();
                }
            }
            return Optional.ofNullable(last);
        };
    }

    @Reference(service = Channel.class, target = "(" + Channel.CHANNEL + "=" + MetaInstance.CHANNEL_ID + ")",
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
        LOG.info("Meta channel stopped");
    }

    MetaInstance instance(String name) {
        return instances.get(name);
    }

    /** Reports a delivery receipt to core; durable when it returns. */
    ReceiptOutcome report(DeliveryReceipt receipt) {
        return receipts.report(receipt);
    }

    /**
     * Sends a message {@code to("frontdoor:inbound")} without waiting: the stage completes once core has stored it
     * durably, or fails with core's own exception ({@link IllegalArgumentException} for a message core refuses).
     */
    CompletableFuture<IngestReceipt> ingest(Message message) {
        return door.ingest(message);
    }
}
