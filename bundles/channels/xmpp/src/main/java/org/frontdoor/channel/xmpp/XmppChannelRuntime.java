package org.frontdoor.channel.xmpp;

import java.util.concurrent.CompletableFuture;

import org.apache.camel.CamelContext;
import org.apache.camel.karaf.core.OsgiDefaultCamelContext;
import org.apache.camel.spi.ComponentResolver;
import org.frontdoor.api.Frontdoor;
import org.frontdoor.api.IngestReceipt;
import org.frontdoor.api.Message;
import org.frontdoor.api.OutboundReply;
import org.frontdoor.plugin.camel.DoorContext;
import org.frontdoor.plugin.camel.DoorInstances;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The XMPP door's CamelContext: customers' messages go {@code to("frontdoor:inbound")}, replies come
 * {@code from("frontdoor:outbound?channel=xmpp")} and leave through the instance they name. It starts only when
 * core's {@code frontdoor:} component and {@code log:} are published; the instances depend on it.
 */
@Component(service = XmppChannelRuntime.class)
public class XmppChannelRuntime {

    private static final Logger LOG = LoggerFactory.getLogger(XmppChannelRuntime.class);

    private final DoorInstances<XmppInstance> instances = new DoorInstances<>(XmppInstance.class);
    private final DoorContext door;

    @Activate
    public XmppChannelRuntime(BundleContext context,
                              @Reference(target = "(component=" + Frontdoor.SCHEME + ")") ComponentResolver frontdoor,
                              @Reference(target = "(component=log)") ComponentResolver log) throws Exception {
        this(new OsgiDefaultCamelContext(context));
    }

    XmppChannelRuntime(CamelContext camel) throws Exception {
        // a failed reply goes back to core's outbox as is: it retries and shows the reason
        door = DoorContext.of(camel, Stanzas.CHANNEL).start(this::send);
        LOG.info("XMPP channel started");
    }

    private void send(OutboundReply reply) throws Exception {
        instances.require(reply.instance(), () -> "XMPP channel instance " + reply.instance() + " is not configured")
                .send(reply);
    }

    void add(XmppInstance instance) {
        instances.add(instance);
    }

    void remove(XmppInstance instance) {
        instances.remove(instance);
    }

    @Deactivate
    void deactivate() throws Exception {
        door.stop();
        LOG.info("XMPP channel stopped");
    }

    /** Sends a message to core; completes once it is durably stored, or with core's exception. */
    CompletableFuture<IngestReceipt> ingest(Message message) {
        return door.ingest(message);
    }
}
