package org.frontdoor.channel.x;

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
 * The channel's CamelContext: inbound messages go {@code to("frontdoor:inbound")}, replies come
 * {@code from("frontdoor:outbound?channel=x")} and leave as posts and direct messages on X. It starts only when core's
 * {@code frontdoor:} component and the {@code log:} component are published, and stops when either goes.
 */
@Component(service = XChannelRuntime.class)
public class XChannelRuntime {

    private static final Logger LOG = LoggerFactory.getLogger(XChannelRuntime.class);

    private final DoorInstances<XInstance> instances = new DoorInstances<>(XInstance.class);
    private final DoorContext door;

    @Activate
    public XChannelRuntime(BundleContext context,
                             @Reference(target = "(component=" + Frontdoor.SCHEME + ")") ComponentResolver frontdoor,
                             @Reference(target = "(component=log)") ComponentResolver log) throws Exception {
        this(new OsgiDefaultCamelContext(context));
    }

    /** Tests give a plain context that resolves {@code frontdoor:} and {@code log:} on its own. */
    XChannelRuntime(CamelContext camel) throws Exception {
        XSender sender = new XSender(instances::get);
        this.door = DoorContext.of(camel, XInstance.CHANNEL_ID).start(sender::send);
        LOG.info("X channel started");
    }

    @Reference(service = Channel.class, target = "(" + Channel.CHANNEL + "=" + XInstance.CHANNEL_ID + ")",
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
        LOG.info("X channel stopped");
    }

    XInstance instance(String name) {
        return instances.get(name);
    }

    /**
     * Sends a message {@code to("frontdoor:inbound")} without waiting: the stage completes once core has stored it
     * durably, or fails with core's own exception ({@link IllegalArgumentException} for a message core refuses).
     */
    CompletableFuture<IngestReceipt> ingest(Message message) {
        return door.ingest(message);
    }
}
