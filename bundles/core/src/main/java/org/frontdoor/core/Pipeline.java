package org.frontdoor.core;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

import io.micrometer.core.instrument.MeterRegistry;

import org.apache.camel.AsyncCallback;
import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangePattern;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.karaf.core.OsgiDefaultCamelContext;
import org.apache.camel.spi.ComponentResolver;
import org.apache.camel.support.AsyncProcessorSupport;
import org.frontdoor.api.Channel;
import org.frontdoor.api.Classifier;
import org.frontdoor.api.Department;
import org.frontdoor.api.IngestReceipt;
import org.frontdoor.api.Message;
import org.frontdoor.api.RoutingRule;
import org.frontdoor.store.EventStore;
import org.frontdoor.store.IngestStore;
import org.frontdoor.store.Ingested;
import org.frontdoor.store.OutboxStore;
import org.frontdoor.store.RoutingStore;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pipeline as routes of core's own CamelContext: {@code frontdoor-ingest} (validate, group commit),
 * {@code frontdoor-routing} (classifiers, rules, default department), {@code frontdoor-outbox} (a worker per door)
 * and {@code frontdoor-maintenance} (the event log's retention); and the named consumers of the event log. The stages
 * after ingest keep their state in the database, claim what they work on, and resume after a crash.
 *
 * <p>A change of core's configuration is applied in place ({@link #modified}): the pipeline, and the
 * {@code frontdoor:} component that channels resolve through it, keep running.
 */
@Component(service = Pipeline.class, configurationPid = "org.frontdoor.core", immediate = true)
@Designate(ocd = CoreConfig.class)
public class Pipeline {

    private static final Logger LOG = LoggerFactory.getLogger(Pipeline.class);
    static final String INGEST = "direct:frontdoor-ingest";
    static final int RETENTION_BATCH = 10_000;

    /** The store's parts the pipeline works on. */
    record Stores(IngestStore ingest, RoutingStore routing, OutboxStore outbox, EventStore events) {
    }

    private final AtomicReference<Settings> settings = new AtomicReference<>();
    private final RuleRegistry rules = new RuleRegistry();
    private final Classifiers classifiers = new Classifiers();
    private final Doors doors = new Doors();
    private final Signal routingSignal = new Signal();
    private final Signal outboxSignal = new Signal();
    private final EventStore eventStore;
    private final GroupCommit groupCommit;
    private final RoutingStage routing;
    private final Outbox outbox;
    private final EventConsumers eventConsumers;
    private final CoreMetrics metrics;
    private final String node;
    private final CamelContext camel;
    private final Endpoint ingestEndpoint;
    private final ProducerTemplate ingestTemplate;

    @Activate
    public Pipeline(BundleContext bundleContext, CoreConfig config, @Reference IngestStore ingest,
                    @Reference RoutingStore routing, @Reference OutboxStore outbox, @Reference EventStore events,
                    @Reference(target = "(component=direct)") ComponentResolver direct) throws Exception {
        this(config, new Stores(ingest, routing, outbox, events), new OsgiDefaultCamelContext(bundleContext),
                Settings.nodeName(config), Clock.systemUTC());
    }

    /** The pipeline on the given CamelContext, which it starts, names and owns (tests give it a plain one). */
    Pipeline(CoreConfig config, Stores stores, CamelContext context, String node, Clock clock) throws Exception {
        this.settings.set(Settings.of(config));
        this.eventStore = stores.events();
        this.node = node;
        this.eventConsumers = new EventConsumers(stores.events(), settings::get, node);
        this.metrics = new CoreMetrics(stores.outbox()::queueDepths, stores.events()::consumers, doors::health);
        this.groupCommit = new GroupCommit(stores.ingest(), settings::get, this::afterCommit);
        this.routing = new RoutingStage(stores.routing(), rules, classifiers, settings::get, node,
                this::wakeEventConsumers, this::defaultPriority, metrics);
        this.outbox = new Outbox(stores.outbox(), doors, settings::get, node, clock, this::wakeEventConsumers,
                metrics);

        context.getCamelContextExtension().setName("frontdoor-core");
        context.addComponent(StageComponent.SCHEME, new StageComponent(Map.of("routing", routingSignal,
                "outbox", outboxSignal, "maintenance", new Signal())));
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                // failures are answered to the channel or retried by the stage, with one line in the log each: no
                // stack trace per message from Camel's default error handler
                errorHandler(noErrorHandler());
                from(INGEST).routeId("frontdoor-ingest")
                        .process(e -> MessageLimits.check(e.getMessage().getMandatoryBody(Message.class)))
                        .process(new StoreStep());
                from(StageComponent.SCHEME + ":routing?period=5000").routeId("frontdoor-routing")
                        .process(e -> routing.routeAll());
                from(StageComponent.SCHEME + ":outbox?period=1000").routeId("frontdoor-outbox")
                        .process(e -> outbox.dispatch());
                from(StageComponent.SCHEME + ":maintenance?period=600000").routeId("frontdoor-maintenance")
                        .process(e -> deleteOldEvents());
            }
        });
        context.start();
        this.camel = context;
        this.ingestEndpoint = context.getEndpoint(INGEST);
        this.ingestTemplate = context.createProducerTemplate();
        // no hop to the template's thread pool: the caller hands the message over, the commit's callback answers
        ingestTemplate.setThreadedAsyncMode(false);
        LOG.info("Frontdoor pipeline started on node {} (default department {})", node,
                settings.get().defaultDepartment());
    }

    /** A changed configuration, applied without stopping anything: the next group, batch or attempt uses it. */
    @Modified
    void modified(CoreConfig config) {
        Settings next;
        try {
            next = Settings.of(config);
        } catch (IllegalArgumentException e) {
            LOG.error("Core's configuration was not applied, the previous one goes on: {}", e.getMessage());
            return;
        }
        settings.set(next);
        groupCommit.reconfigure();
        LOG.info("Core's configuration applied (default department {})", next.defaultDepartment());
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, unbind = "removeRule", updated = "updateRule")
    void addRule(ServiceReference<RoutingRule> reference, RoutingRule rule, Map<String, Object> properties) {
        rules.add(rule, properties, bundle(reference));
        routingSignal.raise();
    }

    void updateRule(ServiceReference<RoutingRule> reference, RoutingRule rule, Map<String, Object> properties) {
        rules.update(rule, properties, bundle(reference));
    }

    /** The symbolic name of the bundle that registered a service, null once it is gone. */
    private static String bundle(ServiceReference<?> reference) {
        return reference.getBundle() == null ? null : reference.getBundle().getSymbolicName();
    }

    void removeRule(RoutingRule rule, Map<String, Object> properties) {
        rules.remove(rule, properties);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, unbind = "removeClassifier")
    void addClassifier(Classifier classifier, Map<String, Object> properties) {
        classifiers.add(classifier, properties);
    }

    void removeClassifier(Classifier classifier, Map<String, Object> properties) {
        classifiers.remove(classifier, properties);
    }

    /** The departments configured now (etc/org.frontdoor.department-<id>.cfg), for their default priority. */
    private final Map<DepartmentInstance, Department> departments = new ConcurrentHashMap<>();

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, unbind = "removeDepartment")
    void addDepartment(DepartmentInstance instance) {
        departments.put(instance, instance.department());
    }

    void removeDepartment(DepartmentInstance instance) {
        departments.remove(instance);
    }

    /** A configured department's default priority; 0 for one without a usable configuration. */
    int defaultPriority(String department) {
        for (Department d : departments.values()) {
            if (d.id().equals(department) && d.status() == Department.Status.CONFIGURED) {
                return d.defaultPriority();
            }
        }
        return 0;
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, unbind = "removeChannel", updated = "updateChannel")
    void addChannel(Channel channel, Map<String, Object> properties) {
        doors.add(channel, properties);
        metrics.doorsChanged();
        outboxSignal.raise();
    }

    void updateChannel(Channel channel, Map<String, Object> properties) {
        doors.add(channel, properties);
        metrics.doorsChanged();
        outboxSignal.raise();
    }

    void removeChannel(Channel channel, Map<String, Object> properties) {
        doors.remove(channel, properties);
        metrics.doorsChanged();
    }

    /**
     * A registry to publish the metrics to ({@code frontdoor-metrics} registers Prometheus'); without one, core's
     * meters keep nothing.
     */
    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, unbind = "removeMeterRegistry")
    void addMeterRegistry(MeterRegistry registry) {
        metrics.bind(registry);
    }

    void removeMeterRegistry(MeterRegistry registry) {
        metrics.unbind(registry);
    }

    @Deactivate
    void deactivate() throws Exception {
        ingestTemplate.stop();
        camel.stop();
        groupCommit.close();
        outbox.close();
        eventConsumers.close();
        classifiers.close();
        metrics.close();
        LOG.info("Frontdoor pipeline stopped");
    }

    /**
     * Sends an inbound message through the ingest route without waiting for it: the future completes once the message
     * is durable, or fails: with {@link IllegalArgumentException} for a message core refuses, with
     * {@link IllegalStateException} when it could not be stored now (full, not in time, the database unavailable, its
     * conversation busy, Frontdoor stopping).
     */
    public CompletableFuture<IngestReceipt> ingest(Message message) {
        long start = System.nanoTime();
        Exchange exchange = ingestEndpoint.createExchange(ExchangePattern.InOut);
        exchange.getIn().setBody(message);
        return ingestTemplate.asyncSend(ingestEndpoint, exchange).thenCompose(done -> {
            Exception failure = done.getException();
            IngestReceipt receipt = failure == null ? done.getMessage().getBody(IngestReceipt.class) : null;
            recordIngest(message, failure, receipt, System.nanoTime() - start);
            return failure != null ? CompletableFuture.failedFuture(failure)
                    : CompletableFuture.completedFuture(receipt);
        });
    }

    private void recordIngest(Message message, Exception failure, IngestReceipt receipt, long nanos) {
        String outcome = failure instanceof IllegalArgumentException ? "refused" : failure != null ? "failed"
                : receipt != null && receipt.duplicate() ? "duplicate" : "stored";
        try {
            metrics.ingested(message.channel(), message.instance(), outcome, nanos);
        } catch (RuntimeException e) {
            LOG.debug("Could not record an ingest in the metrics", e);
        }
    }

    CoreMetrics metrics() {
        return metrics;
    }

    /**
     * The ingest route's step that hands the message to the group commit and lets the route go on when the group is
     * durable, on the thread that acknowledges it: no thread waits for the commit.
     */
    private final class StoreStep extends AsyncProcessorSupport {
        @Override
        public boolean process(Exchange exchange, AsyncCallback callback) {
            groupCommit.submit(exchange.getMessage().getBody(Message.class)).whenComplete((receipt, failure) -> {
                if (failure == null) {
                    exchange.getMessage().setBody(receipt);
                } else {
                    exchange.setException(failure instanceof java.util.concurrent.CompletionException
                            && failure.getCause() != null ? failure.getCause() : failure);
                }
                callback.done(false);
            });
            return false;
        }
    }

    private void afterCommit(List<Message> messages, List<Ingested> stored) {
        boolean opened = false;
        boolean added = false;
        for (Ingested in : stored) {
            if (!in.isDeferred()) {
                opened |= in.newConversation();
                added |= !in.receipt().duplicate();
            }
        }
        if (opened) {
            routingSignal.raise();
        }
        if (added) {
            wakeEventConsumers();
        }
    }

    /** How long a typing signal is kept: long enough for every node's relay to have read it. */
    static final java.time.Duration TYPING_KEPT = java.time.Duration.ofMinutes(1);

    private void deleteOldEvents() {
        // what every consumer in the cluster has read goes after the retention; what one has not read is kept up to
        // the hard cap, and past it goes anyway, recorded on that consumer as the events it missed
        Instant now = Instant.now();
        Instant cutoff = now.minus(settings.get().eventRetention());
        Instant hardCutoff = now.minus(settings.get().eventRetentionMax());
        EventStore.Retention pass;
        int read = 0;
        int unread = 0;
        int gaps = 0;
        do {
            pass = eventStore.deleteOldEvents(cutoff, hardCutoff, RETENTION_BATCH);
            read += pass.read();
            unread += pass.unread();
            gaps += pass.gaps();
        } while (pass.read() == RETENTION_BATCH || pass.unread() >= RETENTION_BATCH);
        if (read > 0) {
            LOG.info("Deleted {} events older than {} that every consumer had read from the event log", read, cutoff);
        }
        if (unread > 0) {
            LOG.warn("Deleted {} events older than {} (eventRetentionMaxHours) from the event log; {} consumer(s) had "
                    + "not read them all and are told so (frontdoor:event-consumer-list)", unread, hardCutoff, gaps);
        }
        // a per-node copy serves its node's live work (pushes to the browsers connected to it), not a catch-up: the
        // copy of a node gone, or restarted under another name, is forgotten after an hour rather than the retention
        eventStore.forgetTypingBefore(now.minus(TYPING_KEPT));
        Instant idle = Instant.now().minus(EventConsumers.NODE_COPY_IDLE);
        int forgotten = eventStore.forgetNodeConsumers(idle);
        if (forgotten > 0) {
            LOG.info("Forgot {} per-node events consumers whose node has not run them since {}", forgotten, idle);
        }
    }

    void wakeOutbox() {
        outboxSignal.raise();
    }

    void wakeEventConsumers() {
        eventConsumers.wakeAll();
        commitListeners.forEach(Runnable::run);
    }

    /** Who is told of this node's commits of events besides its consumers (the REST API's live streams). */
    private final java.util.Set<Runnable> commitListeners = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /** Calls {@code listener} after each commit of events on this node until {@link #unlisten}. */
    void listen(Runnable listener) {
        commitListeners.add(listener);
    }

    void unlisten(Runnable listener) {
        commitListeners.remove(listener);
    }

    Outbox outbox() {
        return outbox;
    }

    /** This node's name, as its claims and leases record it. */
    String node() {
        return node;
    }

    EventConsumers eventConsumers() {
        return eventConsumers;
    }

    Doors doors() {
        return doors;
    }

    RuleRegistry rules() {
        return rules;
    }

    RoutingStage routing() {
        return routing;
    }
}
