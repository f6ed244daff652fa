package org.frontdoor.channel.api;

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
 * {@code from("frontdoor:outbound?channel=api")} and leave as signed callbacks. It starts only when core's
 * {@code frontdoor:} component and the {@code log:} component are published, and stops when either goes.
 */
@Component(service = ApiChannelRuntime.class)
public class ApiChannelRuntime {

    private static final Logger LOG = LoggerFactory.getLogger(ApiChannelRuntime.class);

    private final DoorInstances<ApiInstance> instances = new DoorInstances<>(ApiInstance.class);
    private final DoorContext door;

    @Activate
    public ApiChannelRuntime(BundleContext context,
                             @Reference(target = "(component=" + Frontdoor.SCHEME + ")") ComponentResolver frontdoor,
                             @Reference(target = "(component=log)") ComponentResolver log) throws Exception {
        this(new OsgiDefaultCamelContext(context));
    }

    /** Tests give a plain context that resolves {@code frontdoor:} and {@code log:} on its own. */
    ApiChannelRuntime(CamelContext camel) throws Exception {
        CallbackSender sender = new CallbackSender(instances::get);
        // a failed callback goes back to core's outbox as is: it retries and shows the reason
        door = DoorContext.of(camel, ApiInstance.CHANNEL_ID).start(sender::send);
        LOG.info("HTTP channel started");
    }

    @Reference(service = Channel.class, target = "(" + Channel.CHANNEL + "=" + ApiInstance.CHANNEL_ID + ")",
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
        LOG.info("HTTP channel stopped");
    }

    ApiInstance instance(String name) {
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
