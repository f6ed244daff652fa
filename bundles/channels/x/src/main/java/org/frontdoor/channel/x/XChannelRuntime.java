package org.frontdoor.channel.x;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangePattern;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.karaf.core.OsgiDefaultCamelContext;
import org.apache.camel.spi.ComponentResolver;
import org.frontdoor.api.Channel;
import org.frontdoor.api.Frontdoor;
import org.frontdoor.api.IngestReceipt;
import org.frontdoor.api.Message;
import org.frontdoor.api.OutboundReply;
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

    private final Map<String, XInstance> instances = new ConcurrentHashMap<>();
    private final CamelContext camel;
    private final Endpoint inboundEndpoint;
    private final ProducerTemplate inbound;

    @Activate
    public XChannelRuntime(BundleContext context,
                             @Reference(target = "(component=" + Frontdoor.SCHEME + ")") ComponentResolver frontdoor,
                             @Reference(target = "(component=log)") ComponentResolver log) throws Exception {
        this(new OsgiDefaultCamelContext(context));
    }

    /** Tests give a plain context that resolves {@code frontdoor:} and {@code log:} on its own. */
    XChannelRuntime(CamelContext camel) throws Exception {
        this.camel = camel;
        XSender sender = new XSender(instances::get);
        camel.getCamelContextExtension().setName("frontdoor-channel-x");
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                // a failed reply goes back to core's outbox as is: it retries and shows the reason; no
                // stack trace per attempt in the log
                errorHandler(noErrorHandler());
                from(Frontdoor.outbound(XInstance.CHANNEL_ID)).routeId("channel-x-outbound")
                        .to("log:org.frontdoor.channel.x.outbound?level=DEBUG&showBody=false&showHeaders=false")
                        .process(e -> sender.send(e.getMessage().getMandatoryBody(OutboundReply.class)));
            }
        });
        camel.start();
        inboundEndpoint = camel.getEndpoint(Frontdoor.INBOUND);
        inbound = camel.createProducerTemplate();
        // no hop to the template's thread pool: this thread hands the message to core, core's callback completes
        inbound.setThreadedAsyncMode(false);
        LOG.info("X channel started");
    }

    @Reference(service = Channel.class, target = "(" + Channel.CHANNEL + "=" + XInstance.CHANNEL_ID + ")",
            cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, unbind = "removeInstance")
    void addInstance(Channel channel) {
        if (channel instanceof XInstance instance) {
            instances.put(instance.instance(), instance);
        }
    }

    void removeInstance(Channel channel) {
        if (channel instanceof XInstance instance) {
            instances.remove(instance.instance(), instance);
        }
    }

    @Deactivate
    void deactivate() throws Exception {
        inbound.stop();
        camel.stop();
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
        Exchange exchange = inboundEndpoint.createExchange(ExchangePattern.InOut);
        exchange.getIn().setBody(message);
        return inbound.asyncSend(inboundEndpoint, exchange).thenCompose(done -> done.getException() != null
                ? CompletableFuture.failedFuture(done.getException())
                : CompletableFuture.completedFuture(done.getMessage().getBody(IngestReceipt.class)));
    }
}
