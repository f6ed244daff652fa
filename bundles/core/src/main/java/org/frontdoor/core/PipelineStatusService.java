package org.frontdoor.core;

import java.util.List;
import java.util.NoSuchElementException;

import org.frontdoor.api.admin.EventConsumerInfo;
import org.frontdoor.api.admin.PipelineStatus;
import org.frontdoor.api.admin.RuleInfo;
import org.frontdoor.store.EventStore;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The pipeline's rules and the event log's consumers, for the console. */
@Component(service = PipelineStatus.class)
public class PipelineStatusService implements PipelineStatus {

    private static final Logger LOG = LoggerFactory.getLogger(PipelineStatusService.class);

    private final Pipeline pipeline;
    private final EventStore events;
    /** Runs the database's health query, so that a caller waits at most DATABASE_TIMEOUT_MILLIS for it. */
    private final java.util.concurrent.ExecutorService probe = java.util.concurrent.Executors.newSingleThreadExecutor(
            r -> {
                Thread t = new Thread(r, "frontdoor-health-database");
                t.setDaemon(true);
                return t;
            });
    private java.util.concurrent.Future<?> probing;
    /** The last answer and when it was had: callers within a second share it (a load balancer asks often). */
    private volatile Probe last;

    private record Probe(long nanos, String problem) {
    }

    /** How long one answer of the database serves callers. */
    static final long SHARED_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(1);

    @Activate
    public PipelineStatusService(@Reference Pipeline pipeline, @Reference EventStore events) {
        this.pipeline = pipeline;
        this.events = events;
    }

    @org.osgi.service.component.annotations.Deactivate
    void deactivate() {
        probe.shutdownNow();
    }

    @Override
    public String databaseProblem() {
        Probe known = last;
        if (known != null && System.nanoTime() - known.nanos() < SHARED_NANOS) {
            return known.problem();
        }
        java.util.concurrent.Future<?> answer;
        synchronized (this) {
            if (probing == null || probing.isDone()) {
                probing = probe.submit(() -> events.ping(java.time.Duration.ofMillis(DATABASE_TIMEOUT_MILLIS)));
            }
            answer = probing;
        }
        String problem;
        try {
            answer.get(DATABASE_TIMEOUT_MILLIS, java.util.concurrent.TimeUnit.MILLISECONDS);
            problem = null;
        } catch (java.util.concurrent.TimeoutException e) {
            problem = "the database did not answer a query within " + DATABASE_TIMEOUT_MILLIS + " ms (see karaf.log, "
                    + "and etc/org.ops4j.datasource-frontdoor.cfg)";
        } catch (java.util.concurrent.ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            problem = "the database cannot be used: " + cause.getMessage() + " (see etc/org.ops4j.datasource-"
                    + "frontdoor.cfg)";
        } catch (java.util.concurrent.RejectedExecutionException e) {
            problem = "Frontdoor core is stopping";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            problem = "interrupted while asking the database";
        }
        Probe now = new Probe(System.nanoTime(), problem);
        Probe before = last;
        if (problem != null && (before == null || before.problem() == null)) {
            LOG.warn("Readiness: {}", problem);
        } else if (problem == null && before != null && before.problem() != null) {
            LOG.info("Readiness: the database answers again");
        }
        last = now;
        return problem;
    }

    @Override
    public List<RuleInfo> rules() {
        return pipeline.rules().ordered().stream().map(e -> new RuleInfo(RuleRegistry.name(e.rule()), e.ranking(),
                e.serviceId(), e.bundle())).toList();
    }

    @Override
    public List<EventConsumerInfo> eventConsumers() {
        return events.consumers().stream().map(PipelineStatusService::info).toList();
    }

    @Override
    public EventConsumerInfo resetEventConsumer(String name, long position) {
        if (position < END) {
            throw new IllegalArgumentException("a position is 0 or more (or END, -1): " + position);
        }
        EventConsumerInfo reset = events.resetConsumer(name, position).map(PipelineStatusService::info)
                .orElseThrow(() -> new NoSuchElementException("No events consumer " + name));
        LOG.info("Events consumer {} reset to position {}", name, reset.position());
        pipeline.eventConsumers().recheck(name);
        return reset;
    }

    static EventConsumerInfo info(EventStore.ConsumerState c) {
        return new EventConsumerInfo(c.name(), c.position(), c.behind(), c.owner(), c.leaseUntil(), c.lastError(),
                c.updatedAt(), c.generation(), c.gapFrom(), c.gapTo(), c.filter().typeIds(), c.filter().department());
    }
}
