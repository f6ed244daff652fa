package org.frontdoor.core;

import java.time.Clock;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.frontdoor.api.Department;
import org.frontdoor.api.Departments;
import org.frontdoor.api.Scope;
import org.frontdoor.api.agents.Agent;
import org.frontdoor.api.agents.Agents;
import org.frontdoor.api.agents.Presence;
import org.frontdoor.store.AgentStore;
import org.frontdoor.store.StoreConflictException;
import org.frontdoor.store.StoreUnavailableException;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agents, over the store, and assignment. Once a second (and at once after a change of presence or of an agent)
 * it gives each department's queued conversations to its online agents as the department's {@code assignment}
 * says, gives back what absent or overloaded agents hold unanswered, and wakes snoozed conversations whose time came.
 * Every node runs this; the store's row claims keep two nodes from giving one conversation twice or an agent more than
 * their capacity.
 */
@Component(service = Agents.class, immediate = true)
public class AgentService implements Agents {

    private static final Logger LOG = LoggerFactory.getLogger(AgentService.class);

    /** Conversations given per department and transaction. */
    static final int BATCH = 50;

    private final AgentStore store;
    private final Departments departments;
    private final Clock clock;
    private final Runnable changed;
    private final ScheduledExecutorService ticker;
    private volatile boolean warned;

    @Activate
    public AgentService(@Reference AgentStore store, @Reference Departments departments,
                        @Reference Pipeline pipeline) {
        this(store, departments, Clock.systemUTC(), pipeline::wakeEventConsumers, true);
    }

    /**
     * @param changed run after assignment changed something (its events are in the log)
     * @param tick    whether to assign on a timer; tests call {@link #tick()} themselves
     */
    AgentService(AgentStore store, Departments departments, Clock clock, Runnable changed, boolean tick) {
        this.store = store;
        this.departments = departments;
        this.clock = clock;
        this.changed = changed;
        if (tick) {
            this.ticker = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "frontdoor-assignment");
                t.setDaemon(true);
                return t;
            });
            ticker.scheduleWithFixedDelay(this::tickQuietly, 1, 1, TimeUnit.SECONDS);
        } else {
            this.ticker = null;
        }
    }

    @Deactivate
    void deactivate() {
        if (ticker != null) {
            ticker.shutdownNow();
        }
    }

    @Override
    public List<Agent> list() {
        return call(store::agents);
    }

    @Override
    public Optional<Agent> find(String name) {
        return name == null || name.isBlank() ? Optional.empty() : call(() -> store.agent(name.strip()));
    }

    @Override
    public Agent create(Agent agent, String actor) {
        Objects.requireNonNull(agent, "agent");
        return call(() -> store.createAgent(agent, actor));
    }

    @Override
    public Agent update(Agent agent, String actor) {
        Objects.requireNonNull(agent, "agent");
        Agent done = call(() -> store.updateAgent(agent, actor));
        soon();
        return done;
    }

    @Override
    public Agent setPresence(String name, Presence presence, String actor) {
        Objects.requireNonNull(presence, "presence");
        Agent done = call(() -> store.setPresence(name, presence, actor));
        changed.run();
        soon();
        return done;
    }

    @Override
    public Scope scopeOf(String user, Set<String> roles) {
        Set<String> own = roles == null ? Set.of() : roles;
        if (own.contains(ADMIN)) {
            return Scope.ALL;
        }
        Set<String> covered = new HashSet<>();
        for (Department d : departments.list()) {
            if (d.status() == Department.Status.CONFIGURED && d.readGroups().stream().anyMatch(own::contains)) {
                covered.add(d.id());
            }
        }
        if (user != null && !user.isBlank()) {
            try {
                store.agent(user.strip()).ifPresent(a -> covered.addAll(a.departments()));
            } catch (StoreUnavailableException | StoreConflictException e) {
                // fail closed: the departments the configuration grants, none of the membership
                LOG.warn("the departments of {} cannot be read now: {}", user, e.getMessage());
            }
        }
        return Scope.departments(covered);
    }

    /** Runs one round of assignment soon on the timer's thread, rather than at the next second. */
    private void soon() {
        if (ticker != null) {
            ticker.execute(this::tickQuietly);
        }
    }

    private void tickQuietly() {
        try {
            tick();
            warned = false;
        } catch (RuntimeException e) {
            if (!warned) {
                LOG.warn("assignment cannot run now (tried again every second): {}", e.getMessage());
                warned = true;
            }
        }
    }

    /**
     * One round: snoozes whose time came end, absent and overloaded agents give back, then each department with a
     * strategy gives its queue out.
     *
     * @return how many conversations changed hands or woke
     */
    int tick() {
        int moved = store.wakeSnoozed(clock.instant(), BATCH).size();
        moved += store.giveBack(BATCH);
        for (Department d : departments.list()) {
            if (d.status() != Department.Status.CONFIGURED || d.assignment() == Department.Assignment.MANUAL) {
                continue;
            }
            int given;
            do {
                given = assignQuietly(d);
                moved += given;
            } while (given == BATCH);
        }
        if (moved > 0) {
            changed.run();
        }
        return moved;
    }

    private int assignQuietly(Department d) {
        try {
            return store.assignQueued(d.id(), d.assignment(), BATCH).size();
        } catch (StoreConflictException e) {
            return 0; // another node's transaction took the same rows in another order: the next round goes on
        }
    }

    private static <T> T call(Supplier<T> work) {
        return StoreCalls.retryOnce(work, "the agents");
    }
}
