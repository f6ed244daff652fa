package org.frontdoor.plugin.camel;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;

import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangePattern;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.frontdoor.api.Frontdoor;
import org.frontdoor.api.IngestReceipt;
import org.frontdoor.api.Message;
import org.frontdoor.api.OutboundReply;
import org.frontdoor.api.delivery.DeliveryReceipts;

/**
 * A door's CamelContext, set up as every Frontdoor door sets it up: replies come
 * {@code from("frontdoor:outbound?channel=<channel>")} to the door's sender, customers' messages go
 * {@code to("frontdoor:inbound")} through {@link #ingest(Message)}.
 *
 * <ul>
 *   <li>The context is named {@code frontdoor-channel-<channel>} (or {@link Builder#name(String)}).</li>
 *   <li>The reply route is {@code channel-<channel>-outbound}; it logs each reply at DEBUG without body or headers
 *       (category {@code org.frontdoor.channel.<channel>.outbound}, or {@link Builder#logCategory(String)}) and has no
 *       error handler: a reply the sender fails goes back to core's outbox as is, which retries it and shows the
 *       reason, with no stack trace per attempt in the log. Throw {@link org.frontdoor.api.ReplyRefusedException} for
 *       a reply that can never be sent.</li>
 *   <li>{@link #ingest(Message)} hands the message to core on the calling thread and completes once core has stored
 *       it durably, or fails with core's own exception ({@link IllegalArgumentException} for a message core
 *       refuses).</li>
 * </ul>
 *
 * <pre>{@code
 * @Activate
 * public AcmeRuntime(BundleContext context,
 *                    @Reference(target = "(component=frontdoor)") ComponentResolver frontdoor,
 *                    @Reference(target = "(component=log)") ComponentResolver log) throws Exception {
 *     door = DoorContext.of(new OsgiDefaultCamelContext(context), "acme").start(this::send);
 * }
 *
 * @Deactivate
 * void deactivate() throws Exception {
 *     door.stop();
 * }
 * }</pre>
 *
 * Not part of the api bundle (which does not depend on Camel): a plugin embeds this package
 * ({@code org.frontdoor:frontdoor-plugin-support}, provided scope, bnd {@code Conditional-Package:
 * org.frontdoor.plugin.camel}), so at runtime it still depends on the api alone.
 */
public final class DoorContext {

    /** Sends one reply through the door; throwing hands the reply back to core's outbox. */
    @FunctionalInterface
    public interface ReplySender {
        void send(OutboundReply reply) throws Exception;
    }

    /**
     * Sends one reply through the door and gives the id its vendor gave the sent message (null when it named none),
     * which core keeps for the vendor's delivery receipts ({@link DeliveryReceipts#HEADER_VENDOR_ID}).
     */
    @FunctionalInterface
    public interface TrackedReplySender {
        String send(OutboundReply reply) throws Exception;
    }

    /** More routes of the door, configured on the same route builder (so with no error handler either). */
    @FunctionalInterface
    public interface Routes {
        void configure(RouteBuilder routes) throws Exception;
    }

    private final CamelContext camel;
    private final Endpoint inboundEndpoint;
    private final ProducerTemplate inbound;

    private DoorContext(CamelContext camel) {
        this.camel = camel;
        this.inboundEndpoint = camel.getEndpoint(Frontdoor.INBOUND);
        this.inbound = camel.createProducerTemplate();
        // no hop to the template's thread pool: this thread hands the message to core, core's callback completes
        inbound.setThreadedAsyncMode(false);
    }

    /**
     * Sets up {@code camel} (a new {@code OsgiDefaultCamelContext} of the bundle, or in a test a plain context that
     * resolves {@code frontdoor:} and {@code log:}) for the door of channel {@code channel}.
     */
    public static Builder of(CamelContext camel, String channel) {
        return new Builder(camel, channel);
    }

    /** What a door sets before its context starts. */
    public static final class Builder {
        private final CamelContext camel;
        private final String channel;
        private String name;
        private String logCategory;
        private Routes more = routes -> { };

        private Builder(CamelContext camel, String channel) {
            this.camel = Objects.requireNonNull(camel, "camel");
            this.channel = Objects.requireNonNull(channel, "channel");
            this.name = "frontdoor-channel-" + channel;
            this.logCategory = "org.frontdoor.channel." + channel + ".outbound";
        }

        /** The context's name (default {@code frontdoor-channel-<channel>}). */
        public Builder name(String name) {
            this.name = name;
            return this;
        }

        /** The log category of the reply route (default {@code org.frontdoor.channel.<channel>.outbound}). */
        public Builder logCategory(String category) {
            this.logCategory = category;
            return this;
        }

        /** More routes, following core's event log, say: {@code routes.from(Frontdoor.events(...))...}. */
        public Builder routes(Routes routes) {
            this.more = routes;
            return this;
        }

        /** Adds the routes and starts the context: replies go to {@code replies} from now on. */
        public DoorContext start(ReplySender replies) throws Exception {
            return startTracked(reply -> {
                replies.send(reply);
                return null;
            });
        }

        /**
         * As {@link #start}, for a door whose vendor gives each sent message an id its delivery receipts name: the id
         * goes back to core with the sent reply.
         */
        public DoorContext startTracked(TrackedReplySender replies) throws Exception {
            camel.getCamelContextExtension().setName(name);
            camel.addRoutes(new RouteBuilder() {
                @Override
                public void configure() throws Exception {
                    errorHandler(noErrorHandler());
                    from(Frontdoor.outbound(channel)).routeId("channel-" + channel + "-outbound")
                            .to("log:" + logCategory + "?level=DEBUG&showBody=false&showHeaders=false")
                            .process(e -> {
                                String vendorId = replies.send(e.getMessage().getMandatoryBody(OutboundReply.class));
                                if (vendorId != null) {
                                    e.getMessage().setHeader(DeliveryReceipts.HEADER_VENDOR_ID, vendorId);
                                }
                            });
                    more.configure(this);
                }
            });
            camel.start();
            return new DoorContext(camel);
        }
    }

    /**
     * Sends a message {@code to("frontdoor:inbound")} without waiting: the stage completes once core has stored it
     * durably, or fails with core's own exception ({@link IllegalArgumentException} for a message core refuses).
     */
    public CompletableFuture<IngestReceipt> ingest(Message message) {
        Exchange exchange = inboundEndpoint.createExchange(ExchangePattern.InOut);
        exchange.getIn().setBody(message);
        return inbound.asyncSend(inboundEndpoint, exchange).thenCompose(done -> done.getException() != null
                ? CompletableFuture.failedFuture(done.getException())
                : CompletableFuture.completedFuture(done.getMessage().getBody(IngestReceipt.class)));
    }

    /** The context, for more endpoints or templates of the door's own. */
    public CamelContext camel() {
        return camel;
    }

    /** Stops the inbound template and the context. */
    public void stop() throws Exception {
        inbound.stop();
        camel.stop();
    }
}
