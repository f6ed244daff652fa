package org.frontdoor.core;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;

import org.frontdoor.api.ChannelHealth;
import org.frontdoor.store.Door;
import org.frontdoor.store.EventStore;
import org.frontdoor.store.QueueDepths;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where core records its metrics, with Micrometer's API: counters and timers of ingest, routing and delivery, and
 * gauges of the queues, the event consumers' lag and the doors' health. Meters go to a composite registry that holds
 * the registries registered as OSGi services ({@code frontdoor-metrics} registers Prometheus'): with none, recording
 * costs a lookup and nothing is kept. Labels are bounded: channel and instance of a configured door, a department, a
 * consumer name, an outcome; never a conversation, a customer or their text.
 *
 * <p>The gauges that need the database (queue depths, lag) are read every {@link #REFRESH} on a thread of their own,
 * and only while a registry is bound; the doors' health is read at scrape time.
 */
final class CoreMetrics implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CoreMetrics.class);

    /** How often the gauges that need the database are read. */
    static final Duration REFRESH = Duration.ofSeconds(10);

    /** Buckets of the latency histograms, in seconds: 5 ms to 1 min. */
    private static final Duration[] BUCKETS = {Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25),
            Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
            Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10),
            Duration.ofSeconds(30), Duration.ofSeconds(60)};

    private final CompositeMeterRegistry registry = new CompositeMeterRegistry();
    private final MultiGauge doorState;
    private final MultiGauge repliesQueued;
    private final Supplier<QueueDepths> depths;
    private final Supplier<List<EventStore.ConsumerState>> consumers;
    private final Supplier<Map<Door, ChannelHealth.Status>> doors;
    private final MultiGauge consumerLag;
    private final MultiGauge unassigned;
    private volatile long unrouted;
    private final ScheduledExecutorService refresher;
    private ScheduledFuture<?> refreshing; // guarded by this

    /**
     * @param depths    the queues' depths (a database read)
     * @param consumers the event consumers with how far each is behind (a database read)
     * @param doors     the registered doors and their health now
     */
    CoreMetrics(Supplier<QueueDepths> depths, Supplier<List<EventStore.ConsumerState>> consumers,
                Supplier<Map<Door, ChannelHealth.Status>> doors) {
        this.depths = depths;
        this.consumers = consumers;
        this.doors = doors;
        this.doorState = MultiGauge.builder("frontdoor.door.state")
                .description("1 for the state a door is in now, 0 for the others").register(registry);
        this.repliesQueued = MultiGauge.builder("frontdoor.replies.queued")
                .description("Replies waiting to be sent (queued or retrying), per door").register(registry);
        this.unassigned = MultiGauge.builder("frontdoor.conversations.unassigned")
                .description("Conversations queued in a department with no agent").register(registry);
        this.consumerLag = MultiGauge.builder("frontdoor.event.consumer.lag")
                .description("Events an event consumer has still to read (its filter's)").register(registry);
        io.micrometer.core.instrument.Gauge.builder("frontdoor.conversations.unrouted", this, m -> m.unrouted)
                .description("Conversations not routed yet").register(registry);
        this.refresher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "frontdoor-metrics");
            t.setDaemon(true);
            return t;
        });
    }

    /** The registry meters are recorded in (tests read it; a bound registry sees the same meters). */
    MeterRegistry registry() {
        return registry;
    }

    /** A registry to publish to (an OSGi service): the database gauges are read from now on. */
    synchronized void bind(MeterRegistry target) {
        registry.add(target);
        if (refreshing == null) {
            refreshing = refresher.scheduleWithFixedDelay(this::refreshQuietly, 0, REFRESH.toMillis(),
                    TimeUnit.MILLISECONDS);
        }
    }

    synchronized void unbind(MeterRegistry target) {
        registry.remove(target);
        if (registry.getRegistries().isEmpty() && refreshing != null) {
            refreshing.cancel(false);
            refreshing = null;
        }
    }

    /** A message handed to ingest: how it ended (stored, duplicate, refused, failed) and how long it took to be durable. */
    void ingested(String channel, String instance, String outcome, long nanos) {
        Counter.builder("frontdoor.messages.ingested").description("Messages handed to ingest, by outcome")
                .tags("channel", channel, "instance", instance, "outcome", outcome).register(registry).increment();
        Timer.builder("frontdoor.ingest").description("From a door's hand-over to the message durable (or refused)")
                .tags("channel", channel).serviceLevelObjectives(BUCKETS).register(registry)
                .record(nanos, TimeUnit.NANOSECONDS);
    }

    /** Conversations routed to a department, by a rule or by default. */
    void routed(String department, boolean byDefault, long count) {
        Counter.builder("frontdoor.conversations.routed").description("Conversations routed, per department")
                .tags("department", department, "by", byDefault ? "default" : "rule").register(registry)
                .increment(count);
    }

    /** One batch of routing: claim, classify, decide, store. */
    void routingBatch(long nanos) {
        Timer.builder("frontdoor.routing").description("One routing batch: claim, classify, decide, store")
                .serviceLevelObjectives(BUCKETS).register(registry).record(nanos, TimeUnit.NANOSECONDS);
    }

    /** A reply's send: its outcome (sent, failed, refused) and how long the door took. */
    void delivered(String channel, String instance, String outcome, long nanos) {
        Counter.builder("frontdoor.replies.delivered").description("Reply sends, by outcome")
                .tags("channel", channel, "instance", instance, "outcome", outcome).register(registry).increment();
        Timer.builder("frontdoor.delivery").description("How long a door took to send one reply")
                .tags("channel", channel, "instance", instance).serviceLevelObjectives(BUCKETS).register(registry)
                .record(nanos, TimeUnit.NANOSECONDS);
    }

    /** The doors changed (one came, went or was reconfigured): their state gauges follow. */
    void doorsChanged() {
        List<MultiGauge.Row<?>> rows = new ArrayList<>();
        for (Door door : doors.get().keySet()) {
            for (ChannelHealth.Status status : ChannelHealth.Status.values()) {
                rows.add(MultiGauge.Row.of(Tags.of("channel", door.channel(), "instance", door.instance(),
                        "state", status.name()), () -> doors.get().get(door) == status ? 1 : 0));
            }
        }
        doorState.register(rows, true);
    }

    /** Reads the gauges that need the database. */
    void refresh() {
        QueueDepths q = depths.get();
        repliesQueued.register(q.replies().entrySet().stream().map(e -> MultiGauge.Row.of(Tags.of("channel",
                e.getKey().channel(), "instance", e.getKey().instance()), e.getValue())).toList(), true);
        unassigned.register(q.unassigned().entrySet().stream().map(e -> MultiGauge.Row.of(Tags.of("department",
                e.getKey()), e.getValue())).toList(), true);
        unrouted = q.unrouted();
        consumerLag.register(consumers.get().stream().map(c -> MultiGauge.Row.of(Tags.of("consumer", c.name()),
                c.behind())).toList(), true);
        doorsChanged();
    }

    private void refreshQuietly() {
        try {
            refresh();
        } catch (RuntimeException e) {
            LOG.warn("Could not read the queues' depths for the metrics, trying again in {} s: {}",
                    REFRESH.toSeconds(), e.toString());
        }
    }

    @Override
    public void close() {
        refresher.shutdownNow();
        // the registries bound are another bundle's: they are let go of, not closed
        new ArrayList<>(registry.getRegistries()).forEach(registry::remove);
    }
}
