package org.frontdoor.channel.xmpp;

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
import org.frontdoor.api.Frontdoor;
import org.frontdoor.api.IngestReceipt;
import org.frontdoor.api.Message;
import org.frontdoor.api.OutboundReply;
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

    private final Map<String, XmppInstance> instances = new ConcurrentHashMap<>();
    private final CamelContext camel;
    private final Endpoint inboundEndpoint;
    private final ProducerTemplate inbound;

    @Activate
    public XmppChannelRuntime(BundleContext context,
                              @Reference(target = "(component=" + Frontdoor.SCHEME + ")") ComponentResolver frontdoor,
                              @Reference(target = "(component=log)") ComponentResolver log) throws Exception {
        this(new OsgiDefaultCamelContext(context));
    }

    XmppChannelRuntime(CamelContext camel) throws Exception {
        this.camel = camel;
        camel.getCamelContextExtension().setName("frontdoor-channel-xmpp");
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                // a failed reply goes back to core's outbox as is: it retries and shows the reason
                errorHandler(noErrorHandler());
                from(Frontdoor.outbound(Stanzas.CHANNEL)).routeId("channel-xmpp-outbound")
                        .to("log:org.frontdoor.channel.xmpp.outbound?level=DEBUG&showBody=false&showHeaders=false")
                        .process(e -> send(e.getMessage().getMandatoryBody(OutboundReply.class)));
            }
        });
        camel.start();
        inboundEndpoint = camel.getEndpoint(Frontdoor.INBOUND);
        inbound = camel.createProducerTemplate();
        inbound.setThreadedAsyncMode(false);
        LOG.info("XMPP channel started");
    }

    private void send(OutboundReply reply) throws Exception {
        XmppInstance instance = instances.get(reply.instance());
        if (instance == null) {
            throw new IllegalStateException("XMPP channel instance " + reply.instance() + " is not configured");
        }
        instance.send(reply);
    }

    void add(XmppInstance instance) {
        instances.put(instance.instance(), instance);
    }

    void remove(XmppInstance instance) {
        instances.remove(instance.instance(), instance);
    }

    @Deactivate
    void deactivate() throws Exception {
        inbound.stop();
        camel.stop();
        LOG.info("XMPP channel stopped");
    }

    /** Sends a message to core; completes once it is durably stored, or with core's exception. */
    CompletableFuture<IngestReceipt> ingest(Message message) {
        Exchange exchange = inboundEndpoint.createExchange(ExchangePattern.InOut);
        exchange.getIn().setBody(message);
        return inbound.asyncSend(inboundEndpoint, exchange).thenCompose(done -> done.getException() != null
                ? CompletableFuture.failedFuture(done.getException())
                : CompletableFuture.completedFuture(done.getMessage().getBody(IngestReceipt.class)));
    }
}
