package org.frontdoor.core;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

import org.frontdoor.api.CallbackTask;
import org.frontdoor.api.Caller;
import org.frontdoor.api.Department;
import org.frontdoor.api.Departments;
import org.frontdoor.api.EventFilter;
import org.frontdoor.api.ConversationEvent;
import org.frontdoor.api.Callbacks;
import org.frontdoor.api.accounts.Accounts;
import org.frontdoor.api.agents.Agent;
import org.frontdoor.api.agents.Agents;
import org.frontdoor.store.SlaStore;
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
 * SLA timers in a running Frontdoor: the {@code frontdoor-sla} consumer of the event log (one node at a time, from
 * where it stopped) and a timer worker on every node (each claims due timers for a lease, so two nodes never take one
 * step twice); and the callback tasks, as the {@link Callbacks} service.
 *
 * <p>Time is the system's clock, unless a {@link Clock} service with {@code frontdoor.clock=test} is registered: the
 * distribution's tests register one to move time without waiting (a blueprint file they drop into {@code deploy/},
 * see {@code TestClock} under karaf-assembly's tests); nothing else should, and nothing in the distribution does. Such
 * a clock is taken up and given back while Frontdoor runs, and each change is logged as a warning.
 */
@Component(service = Callbacks.class, immediate = true)
public class SlaService implements Callbacks {

    private static final Logger LOG = LoggerFactory.getLogger(SlaService.class);
    static final Duration POLL = Duration.ofSeconds(5);
    /** Tests of the distribution move time with a clock of their own: {@value}. */
    static final String TEST_CLOCK = "(frontdoor.clock=test)";
    static final Duration TEST_POLL = Duration.ofMillis(200);

    private final CallbackTasks tasks;
    private final SlaEngine engine;
    private final EventConsumers.Runner consumer;
    private final Signal signal = new Signal();
    private final Thread worker;
    private final Duration poll;
    private final Time time;
    private volatile boolean open = true;

    @Activate
    public SlaService(@Reference Pipeline pipeline, @Reference SlaStore store, @Reference Departments departments,
                      @Reference Agents agents, @Reference Accounts accounts) {
        this(pipeline.eventConsumers(), pipeline.node(), store, pipeline.doors(), departments,
                id -> supervisors(agents, accounts, id), Clock.systemUTC(), POLL);
    }

    SlaService(EventConsumers consumers, String node, SlaStore store, Doors doors, Departments departments,
               Function<String, List<String>> supervisors, Clock clock, Duration poll) {
        this.tasks = new CallbackTasks(store, doors);
        this.poll = poll;
        this.time = new Time(clock);
        this.engine = new SlaEngine(store, id -> departments.get(id).orElse(null), supervisors, node, time,
                SlaEngine.LEASE);
        this.consumer = consumers.start(SlaEngine.CONSUMER, new EventFilter(SlaEngine.TYPES, null),
                EventConsumers.Start.END, (event, how) -> engine.onEvent(event));
        this.worker = new Thread(this::work, "frontdoor-sla-timers");
        this.worker.setDaemon(true);
        this.worker.start();
    }

    /**
     * A department's supervisors: its agents whose login account has role supervisor and is not disabled, by name.
     */
    static List<String> supervisors(Agents agents, Accounts accounts, String department) {
        return agents.list().stream()
                .filter(a -> a.departments().contains(department))
                .map(Agent::name)
                .filter(name -> accounts.find(name)
                        .filter(account -> !account.disabled() && account.roles().contains(Agents.SUPERVISOR))
                        .isPresent())
                .sorted()
                .toList();
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
                // on a test clock time jumps: look often, so a test waits for its step well under a second
                signal.await(time.testing() ? Math.min(poll.toMillis(), TEST_POLL.toMillis()) : poll.toMillis(),
                        TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /**
     * A test clock registered: SLA time is its time from now on (the latest registered wins). Timers a jump makes due
     * fire at once.
     */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, target = TEST_CLOCK)
    void bindTestClock(Clock testClock) {
        time.use(testClock);
        LOG.warn("SLA timers run on a test clock ({}): time is what the test says, now {}", testClock,
                testClock.instant());
        signal.raise();
    }

    /** The test clock gone: back to the system's clock, unless another test clock took its place already. */
    void unbindTestClock(Clock testClock) {
        if (time.release(testClock)) {
            LOG.warn("SLA timers are back on the system clock: the test clock ({}) is gone", testClock);
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

    @Override
    public CallbackTask call(Caller caller, long id, String door, String agentNumber) {
        return tasks.call(caller, id, door, agentNumber);
    }

    /** The SLA's time: the clock it was made with (the system's), or a test clock while one is bound. */
    static final class Time extends Clock {
        private final Clock base;
        private final AtomicReference<Clock> test = new AtomicReference<>();

        Time(Clock base) {
            this.base = base;
        }

        void use(Clock testClock) {
            test.set(testClock);
        }

        /** Gives a test clock back; false when another one has taken its place already. */
        boolean release(Clock testClock) {
            return test.compareAndSet(testClock, null);
        }

        boolean testing() {
            return test.get() != null;
        }

        private Clock current() {
            Clock t = test.get();
            return t == null ? base : t;
        }

        @Override
        public Instant instant() {
            return current().instant();
        }

        @Override
        public ZoneId getZone() {
            return current().getZone();
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return current().withZone(zone);
        }

        @Override
        public String toString() {
            return "SLA time (" + current() + ")";
        }
    }
}
