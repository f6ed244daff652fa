package org.frontdoor.core;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import org.frontdoor.api.Annotation;
import org.frontdoor.api.Classifier;
import org.frontdoor.store.RouteResult.SourcedAnnotation;
import org.frontdoor.store.StoredMessage;
import org.osgi.framework.Constants;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The classifier stage before routing: every {@link Classifier} service is asked about each message, all at once on
 * threads of their own, and what has not answered within the classifier timeout is left out. A classifier that throws,
 * runs late or answers nonsense is logged (one line, throttled) and never holds routing up for longer than the
 * timeout; one that runs late three times in a row is left out for a minute, so it does not cost every batch its
 * timeout.
 */
final class Classifiers implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Classifiers.class);
    static final int LATE_IN_A_ROW = 3;
    static final Duration PAUSE = Duration.ofMinutes(1);

    /** A classifier as registered, and how it has been doing. */
    private static final class Entry {
        final Classifier classifier;
        final String name;
        final AtomicInteger lateInARow = new AtomicInteger();
        volatile long pausedUntil;

        Entry(Classifier classifier, String name) {
            this.classifier = classifier;
            this.name = name;
        }

        boolean paused() {
            return pausedUntil != 0 && pausedUntil - System.nanoTime() > 0;
        }
    }

    private final Map<Long, Entry> classifiers = new ConcurrentHashMap<>();
    private final Throttled failures = new Throttled(LOG, 10_000);
    private final ThreadPoolExecutor pool = new ThreadPoolExecutor(0, 32, 30, TimeUnit.SECONDS,
            new SynchronousQueue<>(), r -> {
                Thread t = new Thread(r, "frontdoor-classifier");
                t.setDaemon(true);
                return t;
            });

    void add(Classifier classifier, Map<String, Object> properties) {
        Object component = properties.get("component.name");
        String name = component != null ? component.toString() : classifier.getClass().getName();
        classifiers.put(((Number) properties.get(Constants.SERVICE_ID)).longValue(), new Entry(classifier, name));
        LOG.info("Classifier {} added", name);
    }

    void remove(Classifier classifier, Map<String, Object> properties) {
        classifiers.remove(((Number) properties.get(Constants.SERVICE_ID)).longValue());
    }

    /** What the classifiers found about these messages within {@code timeout}, per message id. */
    Map<Long, List<SourcedAnnotation>> classify(List<StoredMessage> messages, Duration timeout) {
        Map<Long, List<SourcedAnnotation>> found = new HashMap<>();
        if (messages.isEmpty() || classifiers.isEmpty()) {
            return found;
        }
        record Task(StoredMessage message, Entry classifier, Future<List<Annotation>> result) {
        }
        List<Task> tasks = new ArrayList<>();
        for (Entry classifier : classifiers.values()) {
            if (classifier.paused()) {
                continue;
            }
            for (StoredMessage m : messages) {
                try {
                    tasks.add(new Task(m, classifier, pool.submit(() -> classifier.classifier.classify(m.message()))));
                } catch (RejectedExecutionException busy) {
                    failures.warn("Every classifier thread is busy: {} is left out for message {}", classifier.name,
                            m.id());
                }
            }
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        for (Task task : tasks) {
            Entry classifier = task.classifier();
            try {
                List<Annotation> annotations = task.result().get(Math.max(0, deadline - System.nanoTime()),
                        TimeUnit.NANOSECONDS);
                classifier.lateInARow.set(0);
                if (annotations == null) {
                    continue;
                }
                for (Annotation a : annotations) {
                    if (a != null) {
                        found.computeIfAbsent(task.message().id(), id -> new ArrayList<>())
                                .add(new SourcedAnnotation(a, classifier.name));
                    }
                }
            } catch (TimeoutException e) {
                task.result().cancel(true);
                if (classifier.lateInARow.incrementAndGet() >= LATE_IN_A_ROW) {
                    classifier.pausedUntil = System.nanoTime() + PAUSE.toNanos();
                    classifier.lateInARow.set(0);
                    LOG.warn("Classifier {} ran past {} ms {} times in a row: left out for {} s", classifier.name,
                            timeout.toMillis(), LATE_IN_A_ROW, PAUSE.toSeconds());
                } else {
                    failures.warn("Classifier {} ran past {} ms on message {}: left out", classifier.name,
                            timeout.toMillis(), task.message().id());
                }
            } catch (ExecutionException e) {
                failures.warn("Classifier {} failed on message {}: {}", classifier.name, task.message().id(),
                        String.valueOf(e.getCause()));
            } catch (CancellationException e) {
                // stopping
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                task.result().cancel(true);
            }
        }
        return found;
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
