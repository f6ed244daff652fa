package org.frontdoor.core;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.frontdoor.api.CallbackTask;
import org.frontdoor.api.Caller;
import org.frontdoor.api.Department;
import org.frontdoor.api.Departments;
import org.frontdoor.api.EventFilter;
import org.frontdoor.api.ConversationEvent;
import org.frontdoor.api.Callbacks;
import org.frontdoor.store.SlaStore;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SLA timers in a running Frontdoor: the {@code frontdoor-sla} consumer of the event log (one node at a time, from
 * where it stopped) and a timer worker on every node (each claims due timers for a lease, so two nodes never take one
 * step twice); and the callback tasks, as the {@link Callbacks} service.
 *
 * <p>Time is the system's clock, unless a {@link Clock} service with {@code frontdoor.clock=test} is registered: the
 * distribution's tests register one to move time without waiting; nothing else should.
 */
@Component(service = Callbacks.class, immediate = true)
public class SlaService implements Callbacks {

    private static final Logger LOG = LoggerFactory.getLogger(SlaService.class);
    static final Duration POLL = Duration.ofSeconds(5);
    /** Tests of the distribution move time with a clock of their own: {@value}. */
    static final String TEST_CLOCK = "(frontdoor.clock=test)";

    private final CallbackTasks tasks;
    private final SlaEngine engine;
    private final EventConsumers.Runner consumer;
    private final Signal signal = new Signal();
    private final Thread worker;
    private final Duration poll;
    private volatile boolean open = true;

    @Activate
    public SlaService(@Reference Pipeline pipeline, @Reference SlaStore store, @Reference Departments departments,
                      @Reference(cardinality = ReferenceCardinality.OPTIONAL, target = TEST_CLOCK) Clock testClock) {
        this(pipeline.eventConsumers(), pipeline.node(), store, departments,
                testClock == null ? Clock.systemUTC() : testClock, testClock == null ? POLL : Duration.ofMillis(200));
        if (testClock != null) {
            LOG.warn("SLA timers run on a test clock ({}): time is what the test says", testClock);
        }
    }

    SlaService(EventConsumers consumers, String node, SlaStore store, Departments departments, Clock clock,
               Duration poll) {
        this.tasks = new CallbackTasks(store);
        this.poll = poll;
        this.engine = new SlaEngine(store, id -> departments.get(id).orElse(null), node, clock, SlaEngine.LEASE);
        this.consumer = consumers.start(SlaEngine.CONSUMER, new EventFilter(SlaEngine.TYPES, null),
                EventConsumers.Start.END, (event, how) -> engine.onEvent(event));
        this.worker = new Thread(this::work, "frontdoor-sla-timers");
        this.worker.setDaemon(true);
        this.worker.start();
    }

    private void work() {
        while (open) {
            try {
                while (open && engine.fireDue() > 0) {
                    // more may be due at once: a full batch, or a timer whose next step was due too
                }
            } catch (RuntimeException e) {
                LOG.warn("SLA timers wait for the database: {}", e.getMessage());
            }
            try {
                signal.await(poll.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    @Deactivate
    void close() {
        open = false;
        consumer.stop();
        worker.interrupt();
    }

    @Override
    public List<CallbackTask> list(Caller caller, boolean openOnly, int limit) {
        return tasks.list(caller, openOnly, limit);
    }

    @Override
    public CallbackTask done(Caller caller, long id) {
        return tasks.done(caller, id);
    }
}
