package org.frontdoor.channel.telegram;

import java.util.concurrent.CompletableFuture;

import org.apache.camel.CamelContext;
import org.apache.camel.karaf.core.OsgiDefaultCamelContext;
import org.apache.camel.spi.ComponentResolver;
import org.frontdoor.api.Channel;
import org.frontdoor.api.Frontdoor;
import org.frontdoor.api.IngestReceipt;
import org.frontdoor.api.Message;
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
 * The channel's CamelContext: updates go {@code to("frontdoor:inbound")}, replies come
 * {@code from("frontdoor:outbound?channel=telegram")} and leave by sendMessage.
 */
@Component(service = TelegramChannelRuntime.class)
public class TelegramChannelRuntime {

    private static final Logger LOG = LoggerFactory.getLogger(TelegramChannelRuntime.class);

    private final DoorInstances<TelegramInstance> instances = new DoorInstances<>(TelegramInstance.class);
    private final DoorContext door;

    @Activate
    public TelegramChannelRuntime(BundleContext context,
                                  @Reference(target = "(component=" + Frontdoor.SCHEME + ")") ComponentResolver frontdoor,
                                  @Reference(target = "(component=log)") ComponentResolver log) throws Exception {
        this(new OsgiDefaultCamelContext(context));
    }

    TelegramChannelRuntime(CamelContext camel) throws Exception {
        TelegramSender sender = new TelegramSender(instances::get);
        this.door = DoorContext.of(camel, TelegramInstance.CHANNEL_ID).start(sender::send);
        LOG.info("Telegram channel started");
    }

    @Reference(service = Channel.class, target = "(" + Channel.CHANNEL + "=" + TelegramInstance.CHANNEL_ID + ")",
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
        LOG.info("Telegram channel stopped");
    }

    TelegramInstance instance(String name) {
        return instances.get(name);
    }

    CompletableFuture<IngestReceipt> ingest(Message message) {
        return door.ingest(message);
    }
}
