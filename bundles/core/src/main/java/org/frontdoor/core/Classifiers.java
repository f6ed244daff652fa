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
import java.util.concurrent.FutureTask;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

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
    static final int THREADS = 32;

    /** A classifier as registered, and how it has been doing. */
    private static final class Entry {
        final Classifier classifier;
        final String name;
        final long serviceId;
        /** The annotation it gives ({@link Classifier#ANNOTATION}), or null: then it is always asked. */
        final String annotation;
        final int ranking;
        final AtomicInteger lateInARow = new AtomicInteger();
        volatile long pausedUntil;

        Entry(Classifier classifier, String name, long serviceId, String annotation, int ranking) {
            this.classifier = classifier;
            this.name = name;
            this.serviceId = serviceId;
            this.annotation = annotation;
            this.ranking = ranking;
        }

        /** Whether this one is asked before the other for the same annotation: higher ranking, then older. */
        boolean before(Entry other) {
            return ranking != other.ranking ? ranking > other.ranking : serviceId < other.serviceId;
        }

        boolean paused() {
            return pausedUntil != 0 && pausedUntil - System.nanoTime() > 0;
        }
    }

    private final Map<Long, Entry> classifiers = new ConcurrentHashMap<>();
    private final Throttled failures = new Throttled(LOG, 10_000);
    private final ThreadPoolExecutor pool = new ThreadPoolExecutor(THREADS, THREADS, 30, TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(), r -> {
                Thread t = new Thread(r, "frontdoor-classifier");
                t.setDaemon(true);
                return t;
            });

    Classifiers() {
        pool.allowCoreThreadTimeOut(true);
    }

    /** A question to one classifier about one message, which knows when a thread took it up. */
    private static final class Question extends FutureTask<List<Annotation>> {
        volatile long startedAt;
        volatile boolean started;

        Question(Entry classifier, StoredMessage message) {
            super(() -> classifier.classifier.classify(message.message()));
        }

        @Override
        public void run() {
            startedAt = System.nanoTime();
            started = true;
            super.run();
        }
    }

    void add(Classifier classifier, Map<String, Object> properties) {
        Object component = properties.get("component.name");
        String name = component != null ? component.toString() : classifier.getClass().getName();
        long id = ((Number) properties.get(Constants.SERVICE_ID)).longValue();
        Object annotation = properties.get(Classifier.ANNOTATION);
        String gives = annotation == null || annotation.toString().isBlank() ? null : annotation.toString().strip();
        int ranking = ranking(properties.get(Constants.SERVICE_RANKING));
        classifiers.put(id, new Entry(classifier, name, id, gives, ranking));
        if (gives == null) {
            LOG.info("Classifier {} added", name);
        } else {
            LOG.info("Classifier {} added for annotation {} (ranking {}; the highest ranking for an annotation is "
                    + "asked)", name, gives, ranking);
        }
    }

    /** A ranking as an Integer, or as the String a .cfg file gives ("150"); anything else counts as 0. */
    static int ranking(Object value) {
        if (value instanceof Number n) {
            return n.intValue();
        }
        if (value instanceof String text) {
            try {
                return Integer.parseInt(text.strip());
            } catch (NumberFormatException e) {
                return 0;
            }
        }
        return 0;
    }

    /**
     * The classifiers to ask: every one without an annotation name, and for each annotation name the one with the
     * highest ranking (ties: the older), so a department's classifier replaces a shipped one.
     */
    private List<Entry> asked() {
        Map<String, Entry> best = new HashMap<>();
        List<Entry> asked = new ArrayList<>();
        for (Entry e : classifiers.values()) {
            if (e.annotation == null) {
                asked.add(e);
            } else {
                best.merge(e.annotation, e, (a, b) -> b.before(a) ? b : a);
            }
        }
        asked.addAll(best.values());
        return asked;
    }

    /** Names of the classifiers asked now, for tests and the shell. */
    List<String> askedNames() {
        return asked().stream().map(e -> e.name).sorted().toList();
    }

    void remove(Classifier classifier, Map<String, Object> properties) {
        classifiers.remove(((Number) properties.get(Constants.SERVICE_ID)).longValue());
    }

    /** What the classifiers found about these messages within {@code timeout}, per message id. */
    Map<Long, List<SourcedAnnotation>> classify(List<StoredMessage> messages, Duration timeout) {
        return classify(messages, timeout, null);
    }

    /**
     * As {@link #classify(List, Duration)}; with {@code dryRun} given, a dry run: each classifier left out (paused,
     * late, failing) is told to it as a sentence, and being late does not count towards a classifier's pause.
     */
    Map<Long, List<SourcedAnnotation>> classify(List<StoredMessage> messages, Duration timeout,
                                                Consumer<String> dryRun) {
        Map<Long, List<SourcedAnnotation>> found = new HashMap<>();
        if (messages.isEmpty() || classifiers.isEmpty()) {
            return found;
        }
        record Task(StoredMessage message, Entry classifier, Question result) {
        }
        List<Task> tasks = new ArrayList<>();
        for (Entry classifier : asked()) {
            if (classifier.paused()) {
                if (dryRun != null) {
                    dryRun.accept("Classifier " + classifier.name + " is left out for now: it ran late "
                            + LATE_IN_A_ROW + " times in a row");
                }
                continue;
            }
            for (StoredMessage m : messages) {
                Question question = new Question(classifier, m);
                try {
                    pool.execute(question);
                    tasks.add(new Task(m, classifier, question));
                } catch (RejectedExecutionException stopping) {
                    return found;
                }
            }
        }
        long perQuestion = timeout.toNanos();
        // a question waits its turn in the queue, then has the whole timeout; a classifier that ignores being
        // cancelled keeps its thread, so the whole round is bounded too: the pool's share of the burst, plus one
        long rounds = (tasks.size() + THREADS - 1) / THREADS + 1;
        long roundDeadline = System.nanoTime() + perQuestion * rounds;
        for (Task task : tasks) {
            Entry classifier = task.classifier();
            try {
                List<Annotation> annotations = answer(task.result(), perQuestion, roundDeadline);
                if (dryRun == null) {
                    classifier.lateInARow.set(0);
                }
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
                if (dryRun != null) {
                    dryRun.accept("Classifier " + classifier.name + " ran past " + timeout.toMillis()
                            + " ms: left out");
                } else if (classifier.lateInARow.incrementAndGet() >= LATE_IN_A_ROW) {
                    classifier.pausedUntil = System.nanoTime() + PAUSE.toNanos();
                    classifier.lateInARow.set(0);
                    LOG.warn("Classifier {} ran past {} ms {} times in a row: left out for {} s", classifier.name,
                            timeout.toMillis(), LATE_IN_A_ROW, PAUSE.toSeconds());
                } else {
                    failures.warn("Classifier {} ran past {} ms on message {}: left out", classifier.name,
                            timeout.toMillis(), task.message().id());
                }
            } catch (ExecutionException e) {
                if (dryRun != null) {
                    dryRun.accept("Classifier " + classifier.name + " failed: " + e.getCause() + "; left out");
                    continue;
                }
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

    /** The answer of one question, waiting for it to be taken up and then for its own timeout. */
    private static List<Annotation> answer(Question question, long perQuestion, long roundDeadline)
            throws InterruptedException, ExecutionException, TimeoutException {
        while (true) {
            long now = System.nanoTime();
            long left = roundDeadline - now;
            if (question.started) {
                left = Math.min(left, question.startedAt + perQuestion - now);
            }
            if (left <= 0) {
                throw new TimeoutException();
            }
            try {
                return question.get(question.started ? left : Math.min(left, perQuestion), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                if (question.started && question.startedAt + perQuestion - System.nanoTime() <= 0) {
                    throw e;
                }
            }
        }
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
