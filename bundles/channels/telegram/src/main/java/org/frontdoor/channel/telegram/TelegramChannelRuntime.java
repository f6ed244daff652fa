package org.frontdoor.channel.telegram;

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
 * The channel's CamelContext: updates go {@code to("frontdoor:inbound")}, replies come
 * {@code from("frontdoor:outbound?channel=telegram")} and leave by sendMessage.
 */
@Component(service = TelegramChannelRuntime.class)
public class TelegramChannelRuntime {

    private static final Logger LOG = LoggerFactory.getLogger(TelegramChannelRuntime.class);

    private final Map<String, TelegramInstance> instances = new ConcurrentHashMap<>();
    private final CamelContext camel;
    private final Endpoint inboundEndpoint;
    private final ProducerTemplate inbound;

    @Activate
    public TelegramChannelRuntime(BundleContext context,
                                  @Reference(target = "(component=" + Frontdoor.SCHEME + ")") ComponentResolver frontdoor,
                                  @Reference(target = "(component=log)") ComponentResolver log) throws Exception {
        this(new OsgiDefaultCamelContext(context));
    }

    TelegramChannelRuntime(CamelContext camel) throws Exception {
        this.camel = camel;
        TelegramSender sender = new TelegramSender(instances::get);
        camel.getCamelContextExtension().setName("frontdoor-channel-telegram");
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                errorHandler(noErrorHandler());
                from(Frontdoor.outbound(TelegramInstance.CHANNEL_ID)).routeId("channel-telegram-outbound")
                        .to("log:org.frontdoor.channel.telegram.outbound?level=DEBUG&showBody=false&showHeaders=false")
                        .process(e -> sender.send(e.getMessage().getMandatoryBody(OutboundReply.class)));
            }
        });
        camel.start();
        inboundEndpoint = camel.getEndpoint(Frontdoor.INBOUND);
        inbound = camel.createProducerTemplate();
        inbound.setThreadedAsyncMode(false);
        LOG.info("Telegram channel started");
    }

    @Reference(service = Channel.class, target = "(" + Channel.CHANNEL + "=" + TelegramInstance.CHANNEL_ID + ")",
            cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, unbind = "removeInstance")
    void addInstance(Channel channel) {
        if (channel instanceof TelegramInstance instance) {
            instances.put(instance.instance(), instance);
        }
    }

    void removeInstance(Channel channel) {
        if (channel instanceof TelegramInstance instance) {
            instances.remove(instance.instance(), instance);
        }
    }

    @Deactivate
    void deactivate() throws Exception {
        inbound.stop();
        camel.stop();
        LOG.info("Telegram channel stopped");
    }

    TelegramInstance instance(String name) {
        return instances.get(name);
    }

    CompletableFuture<IngestReceipt> ingest(Message message) {
        Exchange exchange = inboundEndpoint.createExchange(ExchangePattern.InOut);
        exchange.getIn().setBody(message);
        return inbound.asyncSend(inboundEndpoint, exchange).thenCompose(done -> done.getException() != null
                ? CompletableFuture.failedFuture(done.getException())
                : CompletableFuture.completedFuture(done.getMessage().getBody(IngestReceipt.class)));
    }
}
