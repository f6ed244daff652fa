package org.frontdoor.core;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.camel.AsyncCallback;
import org.apache.camel.AsyncProducer;
import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangePattern;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.karaf.core.OsgiDefaultCamelContext;
import org.apache.camel.spi.ComponentResolver;
import org.apache.camel.support.AsyncProcessorSupport;
import org.frontdoor.api.ConversationEvent;
import org.frontdoor.api.IngestReceipt;
import org.frontdoor.api.Message;
import org.frontdoor.api.RoutingRule;
import org.frontdoor.store.Ingested;
import org.frontdoor.store.Store;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pipeline as routes of core's own CamelContext: {@code frontdoor-ingest} (validate, group commit, identify),
 * {@code frontdoor-routing} (rules, default department) and {@code frontdoor-outbox} (replies to the channels).
 * The stages after ingest keep their state in the database and resume after a crash.
 */
@Component(service = Pipeline.class, configurationPid = "org.frontdoor.core", immediate = true)
@Designate(ocd = CoreConfig.class)
public class Pipeline {

    private static final Logger LOG = LoggerFactory.getLogger(Pipeline.class);
    static final String INGEST = "direct:frontdoor-ingest";

    private final Map<RuleKey, RoutingRule> rules = new ConcurrentSkipListMap<>();
    private final EventBus events = new EventBus();
    private final Signal routingSignal = new Signal();
    private final GroupCommit groupCommit;
    private final RoutingStage routing;
    private final Outbox outbox;
    private final CamelContext camel;
    private final Endpoint ingestEndpoint;
    private final AsyncProducer ingestProducer;
    private final long ingestTimeoutSeconds;

    /** Orders rules by service.ranking, highest first, then by service.id. */
    record RuleKey(int ranking, long serviceId) implements Comparable<RuleKey> {
        @Override
        public int compareTo(RuleKey o) {
            // not comparingInt(k -> -k.ranking): -Integer.MIN_VALUE overflows and would put the lowest rule first
            return Comparator.comparingInt(RuleKey::ranking).reversed().thenComparingLong(RuleKey::serviceId)
                    .compare(this, o);
        }
    }

    @Activate
    public Pipeline(BundleContext bundleContext, CoreConfig config, @Reference Store store,
                    @Reference(target = "(component=direct)") ComponentResolver direct) throws Exception {
        this(config, store, new OsgiDefaultCamelContext(bundleContext));
    }

    /** The pipeline on the given CamelContext, which it starts, names and owns (tests give it a plain one). */
    Pipeline(CoreConfig config, Store store, CamelContext context) throws Exception {
        this.ingestTimeoutSeconds = config.ingestTimeoutSeconds();
        this.groupCommit = new GroupCommit(store, config.ingestBatchSize(), config.ingestWriters(), this::afterCommit);
        this.routing = new RoutingStage(store, () -> new ArrayList<>(rules.values()), config.defaultDepartment(),
                config.routingBatchSize(), events);
        Signal outboxSignal = new Signal();
        this.outbox = new Outbox(store, outboxSignal, Duration.ofSeconds(config.retryInitialSeconds()),
                Duration.ofSeconds(config.retryMaxSeconds()));

        context.getCamelContextExtension().setName("frontdoor-core");
        context.addComponent(StageComponent.SCHEME, new StageComponent(Map.of("routing", routingSignal,
                "outbox", outboxSignal)));
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(INGEST).routeId("frontdoor-ingest")
                        .process(e -> MessageLimits.check(e.getMessage().getMandatoryBody(Message.class)))
                        .process(new StoreStep());
                from(StageComponent.SCHEME + ":routing?period=5000").routeId("frontdoor-routing")
                        .process(e -> routing.routeAll());
                from(StageComponent.SCHEME + ":outbox?period=1000").routeId("frontdoor-outbox")
                        .process(e -> outbox.deliverDue());
            }
        });
        context.start();
        this.camel = context;
        this.ingestEndpoint = context.getEndpoint(INGEST);
        this.ingestProducer = ingestEndpoint.createAsyncProducer();
        ingestProducer.start();
        LOG.info("Frontdoor pipeline started (default department {})", config.defaultDepartment());
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, unbind = "removeRule")
    void addRule(RoutingRule rule, Map<String, Object> properties) {
        rules.put(key(properties), rule);
        LOG.info("Routing rule {} added", rule.name());
    }

    void removeRule(RoutingRule rule, Map<String, Object> properties) {
        rules.remove(key(properties));
    }

    static RuleKey key(Map<String, Object> properties) {
        Object ranking = properties.get(Constants.SERVICE_RANKING);
        return new RuleKey(ranking instanceof Integer i ? i : 0, (Long) properties.get(Constants.SERVICE_ID));
    }

    List<RoutingRule> rules() {
        return new ArrayList<>(rules.values());
    }

    @Deactivate
    void deactivate() throws Exception {
        ingestProducer.stop();
        camel.stop();
        groupCommit.close();
        events.close();
        LOG.info("Frontdoor pipeline stopped");
    }

    /**
     * Sends an inbound message through the ingest route without waiting for it: the future completes once the message
     * is durable, or fails: with {@link IllegalArgumentException} for a message core refuses, with
     * {@link IllegalStateException} when it was not stored within the ingest timeout or Frontdoor is stopping.
     */
    public CompletableFuture<IngestReceipt> ingest(Message message) {
        Exchange exchange = ingestEndpoint.createExchange(ExchangePattern.InOut);
        exchange.getIn().setBody(message);
        CompletableFuture<IngestReceipt> stored = new CompletableFuture<>();
        ingestProducer.process(exchange, doneSync -> {
            if (exchange.getException() != null) {
                stored.completeExceptionally(exchange.getException());
            } else {
                stored.complete(exchange.getMessage().getBody(IngestReceipt.class));
            }
        });
        return stored;
    }

    /**
     * The ingest route's step that hands the message to the group commit and lets the route go on when the group is
     * durable, on the thread that acknowledges it: no thread waits for the commit.
     */
    private final class StoreStep extends AsyncProcessorSupport {
        @Override
        public boolean process(Exchange exchange, AsyncCallback callback) {
            groupCommit.submit(exchange.getMessage().getBody(Message.class))
                    .orTimeout(ingestTimeoutSeconds, TimeUnit.SECONDS)
                    .whenComplete((stored, failure) -> {
                        if (failure == null) {
                            exchange.getMessage().setBody(stored.receipt());
                        } else if (failure instanceof TimeoutException) {
                            exchange.setException(new IllegalStateException(
                                    "the message was not stored within " + ingestTimeoutSeconds + " s", failure));
                        } else {
                            exchange.setException(failure instanceof CompletionException && failure.getCause() != null
                                    ? failure.getCause() : failure);
                        }
                        callback.done(false);
                    });
            return false;
        }
    }

    private void afterCommit(List<Message> messages, List<Ingested> stored) {
        Instant now = Instant.now();
        List<ConversationEvent> created = new ArrayList<>();
        for (int i = 0; i < stored.size(); i++) {
            if (stored.get(i).newConversation()) {
                created.add(new ConversationEvent(ConversationEvent.Type.CREATED,
                        stored.get(i).receipt().conversationId(), messages.get(i).channel(), null, now, null));
            }
        }
        events.publish(created);
        if (!created.isEmpty()) {
            routingSignal.raise();
        }
    }

    Outbox outbox() {
        return outbox;
    }

    EventBus events() {
        return events;
    }
}
