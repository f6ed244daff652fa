package org.frontdoor.channel.email;

import java.util.concurrent.CompletableFuture;

import org.apache.camel.CamelContext;
import org.apache.camel.karaf.core.OsgiDefaultCamelContext;
import org.apache.camel.spi.ComponentResolver;
import org.frontdoor.api.Channel;
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
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The channel's CamelContext: taken-in mail goes {@code to("frontdoor:inbound")}, replies come
 * {@code from("frontdoor:outbound?channel=email")} and leave by SMTP through their instance. It starts only when
 * core's {@code frontdoor:} component and the {@code log:} component are published.
 */
// immediate: the context lives with the bundle, not with whichever instance used it last
@Component(service = EmailChannelRuntime.class, immediate = true)
public class EmailChannelRuntime {

    private static final Logger LOG = LoggerFactory.getLogger(EmailChannelRuntime.class);

    private final DoorInstances<EmailInstance> instances = new DoorInstances<>(EmailInstance.class);
    private final DoorContext door;

    @Activate
    public EmailChannelRuntime(BundleContext context,
                               @Reference(target = "(component=" + Frontdoor.SCHEME + ")") ComponentResolver frontdoor,
                               @Reference(target = "(component=log)") ComponentResolver log) throws Exception {
        this(new OsgiDefaultCamelContext(context));
    }

    /** Tests give a plain context that resolves {@code frontdoor:} and {@code log:} on its own. */
    EmailChannelRuntime(CamelContext camel) throws Exception {
        // a failed send goes back to core's outbox as is: it retries and shows the reason
        door = DoorContext.of(camel, MailReader.CHANNEL).start(this::send);
        LOG.info("E-mail channel started");
    }

    private void send(OutboundReply reply) throws Exception {
        instances.require(reply.instance(), () -> "the e-mail channel instance " + reply.instance()
                + " is not configured (no etc/org.frontdoor.channel.email-" + reply.instance() + ".cfg)").send(reply);
    }

    @Reference(service = Channel.class, target = "(" + Channel.CHANNEL + "=" + MailReader.CHANNEL + ")",
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
        LOG.info("E-mail channel stopped");
    }

    CamelContext camel() {
        return door.camel();
    }

    /**
     * Sends a message {@code to("frontdoor:inbound")}; the stage completes once core has stored it durably, or fails
     * with core's exception ({@link IllegalArgumentException} for a message core refuses for good).
     */
    CompletableFuture<IngestReceipt> ingest(Message message) {
        return door.ingest(message);
    }
}
