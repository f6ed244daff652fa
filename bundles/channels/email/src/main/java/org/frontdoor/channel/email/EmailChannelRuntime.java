package org.frontdoor.channel.email;

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
 * The channel's CamelContext: taken-in mail goes {@code to("frontdoor:inbound")}, replies come
 * {@code from("frontdoor:outbound?channel=email")} and leave by SMTP through their instance. It starts only when
 * core's {@code frontdoor:} component and the {@code log:} component are published.
 */
// immediate: the context lives with the bundle, not with whichever instance used it last
@Component(service = EmailChannelRuntime.class, immediate = true)
public class EmailChannelRuntime {

    private static final Logger LOG = LoggerFactory.getLogger(EmailChannelRuntime.class);

    private final Map<String, EmailInstance> instances = new ConcurrentHashMap<>();
    private final CamelContext camel;
    private final Endpoint inboundEndpoint;
    private final ProducerTemplate inbound;

    @Activate
    public EmailChannelRuntime(BundleContext context,
                               @Reference(target = "(component=" + Frontdoor.SCHEME + ")") ComponentResolver frontdoor,
                               @Reference(target = "(component=log)") ComponentResolver log) throws Exception {
        this(new OsgiDefaultCamelContext(context));
    }

    /** Tests give a plain context that resolves {@code frontdoor:} and {@code log:} on its own. */
    EmailChannelRuntime(CamelContext camel) throws Exception {
        this.camel = camel;
        camel.getCamelContextExtension().setName("frontdoor-channel-email");
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                // a failed send goes back to core's outbox as is: it retries and shows the reason
                errorHandler(noErrorHandler());
                from(Frontdoor.outbound(MailReader.CHANNEL)).routeId("channel-email-outbound")
                        .to("log:org.frontdoor.channel.email.outbound?level=DEBUG&showBody=false&showHeaders=false")
                        .process(e -> send(e.getMessage().getMandatoryBody(OutboundReply.class)));
            }
        });
        camel.start();
        inboundEndpoint = camel.getEndpoint(Frontdoor.INBOUND);
        inbound = camel.createProducerTemplate();
        inbound.setThreadedAsyncMode(false);
        LOG.info("E-mail channel started");
    }

    private void send(OutboundReply reply) throws Exception {
        EmailInstance instance = instances.get(reply.instance());
        if (instance == null) {
            throw new IllegalStateException("the e-mail channel instance " + reply.instance() + " is not configured "
                    + "(no etc/org.frontdoor.channel.email-" + reply.instance() + ".cfg)");
        }
        instance.send(reply);
    }

    @Reference(service = Channel.class, target = "(" + Channel.CHANNEL + "=" + MailReader.CHANNEL + ")",
            cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, unbind = "removeInstance")
    void addInstance(Channel channel) {
        if (channel instanceof EmailInstance instance) {
            instances.put(instance.instance(), instance);
        }
    }

    void removeInstance(Channel channel) {
        if (channel instanceof EmailInstance instance) {
            instances.remove(instance.instance(), instance);
        }
    }

    @Deactivate
    void deactivate() throws Exception {
        inbound.stop();
        camel.stop();
        LOG.info("E-mail channel stopped");
    }

    CamelContext camel() {
        return camel;
    }

    /**
     * Sends a message {@code to("frontdoor:inbound")}; the stage completes once core has stored it durably, or fails
     * with core's exception ({@link IllegalArgumentException} for a message core refuses for good).
     */
    CompletableFuture<IngestReceipt> ingest(Message message) {
        Exchange exchange = inboundEndpoint.createExchange(ExchangePattern.InOut);
        exchange.getIn().setBody(message);
        return inbound.asyncSend(inboundEndpoint, exchange).thenCompose(done -> done.getException() != null
                ? CompletableFuture.failedFuture(done.getException())
                : CompletableFuture.completedFuture(done.getMessage().getBody(IngestReceipt.class)));
    }
}
