package org.frontdoor.channel.mastodon;

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
 * The channel's CamelContext: mentions go {@code to("frontdoor:inbound")}, replies come
 * {@code from("frontdoor:outbound?channel=mastodon")} and leave as statuses. It starts only when core's
 * {@code frontdoor:} component and the {@code log:} component are published; the instances, which pull their
 * mentions through it, start after it and stop before it.
 */
@Component(service = MastodonChannelRuntime.class)
public class MastodonChannelRuntime {

    private static final Logger LOG = LoggerFactory.getLogger(MastodonChannelRuntime.class);

    private final DoorInstances<MastodonInstance> instances = new DoorInstances<>(MastodonInstance.class);
    private final DoorContext door;

    @Activate
    public MastodonChannelRuntime(BundleContext context,
                                  @Reference(target = "(component=" + Frontdoor.SCHEME + ")")
                                  ComponentResolver frontdoor,
                                  @Reference(target = "(component=log)") ComponentResolver log) throws Exception {
        this(new OsgiDefaultCamelContext(context));
    }

    MastodonChannelRuntime(CamelContext camel) throws Exception {
        MastodonSender sender = new MastodonSender(instances::get);
        this.door = DoorContext.of(camel, MastodonInstance.CHANNEL_ID).start(sender::send);
        LOG.info("Mastodon channel started");
    }

    @Reference(service = Channel.class, target = "(" + Channel.CHANNEL + "=" + MastodonInstance.CHANNEL_ID + ")",
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
        LOG.info("Mastodon channel stopped");
    }

    MastodonInstance instance(String name) {
        return instances.get(name);
    }

    /** Hands a mention to core; completes once it is stored durably. */
    CompletableFuture<IngestReceipt> ingest(Message message) {
        return door.ingest(message);
    }
}
