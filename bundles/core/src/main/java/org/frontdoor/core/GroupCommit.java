package org.frontdoor.core;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

import org.frontdoor.api.IngestReceipt;
import org.frontdoor.api.Message;
import org.frontdoor.store.IngestStore;
import org.frontdoor.store.Ingested;
import org.frontdoor.store.StoreConflictException;
import org.frontdoor.store.EventLogBusyException;
import org.frontdoor.store.StoreUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stores inbound messages in groups: a writer takes whatever has queued up while its last transaction ran, up to the
 * batch size, and commits it at once, so throughput is not one fsync per message.
 *
 * <p>There are several writers, each with its own bounded queue and database connection. A message goes to the writer
 * of its conversation's key (its thread when it names one, else its author), so a conversation's messages are stored
 * in the order they came and two writers rarely open the same conversation at once; when they do (a new author in two
 * threads at once, another node), the second transaction collides on a unique key and its group is stored again.
 *
 * <p>Ingest degrades instead of stalling:
 * <ul>
 * <li>a full queue refuses a message at once ("try again"), and a message not stored within the ingest timeout is
 * answered so and then dropped from its queue: no work is done for a request already answered;</li>
 * <li>a database that cannot be reached or does not answer in time fails the group once, not message by message;</li>
 * <li>a group whose data the database refuses is stored in halves, so one bad message fails alone at the cost of a
 * few transactions;</li>
 * <li>a conversation another transaction holds defers only its own messages (see {@link IngestStore}).</li>
 * </ul>
 */
final class GroupCommit implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(GroupCommit.class);

    private record Pending(Message message, CompletableFuture<Ingested> result) {
    }

    private final IngestStore store;
    private final Supplier<Settings> settings;
    private final BiConsumer<List<Message>, List<Ingested>> afterCommit;
    private final Throttled timeouts = new Throttled(LOG, 10_000);
    private final Throttled full = new Throttled(LOG, 10_000);
    private volatile Lanes lanes;
    private volatile boolean open = true;

    GroupCommit(IngestStore store, Supplier<Settings> settings, BiConsumer<List<Message>, List<Ingested>> afterCommit) {
        this.store = store;
        this.settings = settings;
        this.afterCommit = afterCommit;
        Settings s = settings.get();
        this.lanes = new Lanes(s.ingestWriters(), s.ingestQueueCapacity(), CompletableFuture.completedFuture(null));
    }

    /**
     * Stores a message; the future completes once it is durable, or fails with {@link IllegalStateException} and a
     * reason a sender may retry on (full, not stored in time, the database unavailable, stopping).
     */
    CompletableFuture<IngestReceipt> submit(Message message) {
        CompletableFuture<Ingested> result = new CompletableFuture<>();
        if (!open) {
            result.completeExceptionally(new IllegalStateException("Frontdoor is stopping, the message was not stored"));
        } else {
            Lanes current = lanes;
            int lane = lane(message, current.lanes.length);
            if (!current.lanes[lane].queue.offer(new Pending(message, result))) {
                full.warn("Ingest writer {} is full ({} messages wait): answering 'try again'", lane + 1,
                        current.lanes[lane].queue.size());
                result.completeExceptionally(new IllegalStateException("ingest is full; try again shortly"));
            }
        }
        long timeout = settings.get().ingestTimeout().toMillis();
        return result.orTimeout(timeout, TimeUnit.MILLISECONDS).handle((stored, failure) -> {
            if (failure == null) {
                return stored.receipt();
            }
            Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                    ? failure.getCause() : failure;
            if (cause instanceof TimeoutException) {
                timeouts.warn("{} not stored within {} ms: the sender is asked to try again", message, timeout);
                throw new CompletionException(new IllegalStateException(
                        "the message was not stored within " + timeout / 1000 + " s; try again"));
            }
            throw cause instanceof CompletionException c ? c : new CompletionException(cause);
        });
    }

    /** The writer of a message: its thread's when it names one, else its author's, among {@code writers}. */
    static int lane(Message m, int writers) {
        int key = m.threadRef() != null ? Objects.hash(m.channel(), m.instance(), m.threadRef())
                : Objects.hash(m.author().channel(), m.author().handle());
        return Math.floorMod(key, writers);
    }

    /** Applies a changed number of writers or queue size: new writers start once the old ones have drained. */
    void reconfigure() {
        Settings s = settings.get();
        Lanes current = lanes;
        if (current.lanes.length == s.ingestWriters() && current.capacity == s.ingestQueueCapacity()) {
            return;
        }
        Lanes next = new Lanes(s.ingestWriters(), s.ingestQueueCapacity(), current.drained);
        lanes = next;
        current.stop();
        LOG.info("Ingest now has {} writers with queues of {}", s.ingestWriters(), s.ingestQueueCapacity());
    }

    /** One set of writers. */
    private final class Lanes {
        final Lane[] lanes;
        final int capacity;
        final CompletableFuture<Void> drained = new CompletableFuture<>();
        volatile boolean taking = true;

        Lanes(int writers, int capacity, CompletableFuture<Void> startAfter) {
            this.capacity = capacity;
            this.lanes = new Lane[writers];
            for (int i = 0; i < writers; i++) {
                lanes[i] = new Lane(this, writers == 1 ? "frontdoor-ingest" : "frontdoor-ingest-" + (i + 1),
                        startAfter);
            }
        }

        void stop() {
            taking = false;
            CompletableFuture.allOf(Arrays.stream(lanes).map(l -> l.done).toArray(CompletableFuture[]::new))
                    .whenComplete((v, e) -> {
                        for (Lane lane : lanes) {
                            lane.acknowledger.shutdown(); // what was stored is still acknowledged
                        }
                        drained.complete(null);
                    });
        }

        void awaitDrained(long millis) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
            for (Lane lane : lanes) {
                lane.writer.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            }
            for (Lane lane : lanes) {
                lane.acknowledger.shutdown();
                lane.acknowledger.awaitTermination(10, TimeUnit.SECONDS);
            }
        }
    }

    /** A writer: its queue, its thread, and the thread that acknowledges what it committed. */
    private final class Lane {

        final Lanes owner;
        final BlockingQueue<Pending> queue;
        final Thread writer;
        final ExecutorService acknowledger;
        final CompletableFuture<Void> done = new CompletableFuture<>();
        private final CompletableFuture<Void> startAfter;

        Lane(Lanes owner, String name, CompletableFuture<Void> startAfter) {
            this.owner = owner;
            this.queue = new LinkedBlockingQueue<>(owner.capacity);
            this.startAfter = startAfter;
            this.acknowledger = Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, name + "-ack");
                t.setDaemon(true);
                return t;
            });
            this.writer = new Thread(this::run, name);
            this.writer.setDaemon(true);
            this.writer.start();
        }

        private void run() {
            try {
                // a conversation's messages keep their order while writers are replaced: the old ones finish first
                startAfter.join();
                List<Pending> group = new ArrayList<>();
                while (owner.taking || !queue.isEmpty()) {
                    try {
                        Pending first = queue.poll(200, TimeUnit.MILLISECONDS);
                        if (first == null) {
                            continue;
                        }
                        group.add(first);
                        queue.drainTo(group, Math.max(0, settings.get().ingestBatchSize() - 1));
                        group.removeIf(p -> p.result().isDone()); // answered already (timed out): no work for it
                        if (!group.isEmpty()) {
                            write(group, true);
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        break;
                    } finally {
                        group.clear();
                    }
                }
                Pending left;
                while ((left = queue.poll()) != null) {
                    left.result().completeExceptionally(
                            new IllegalStateException("Frontdoor stopped before storing the message"));
                }
            } finally {
                done.complete(null);
            }
        }

        private void write(List<Pending> group, boolean mayRetry) {
            List<Message> messages = group.stream().map(Pending::message).toList();
            List<Ingested> stored;
            try {
                stored = store.ingest(messages, settings.get().ingestLimits());
            } catch (EventLogBusyException e) {
                LOG.warn("Could not store a group of {} messages, the senders are asked to try again: {}", group.size(),
                        e.getMessage());
                IllegalStateException reason = new IllegalStateException("Frontdoor is taking more changes than its "
                        + "database commits; try again");
                List.copyOf(group).forEach(p -> p.result().completeExceptionally(reason));
                return;
            } catch (StoreUnavailableException e) {
                // trying message by message would only wait out the same timeouts again
                LOG.warn("Could not store a group of {} messages, the senders are asked to try again: {}", group.size(),
                        e.getMessage());
                IllegalStateException reason = new IllegalStateException("the database is unavailable; try again");
                List.copyOf(group).forEach(p -> p.result().completeExceptionally(reason));
                return;
            } catch (StoreConflictException e) {
                if (mayRetry) {
                    // another writer or node stored the same rows meanwhile: the group sees them now
                    LOG.debug("Group of {} collided with another transaction ({}), storing it again", group.size(),
                            e.getMessage());
                    write(group, false);
                    return;
                }
                split(group, e);
                return;
            } catch (RuntimeException | Error e) { // an Error too: it would end the writer, and its authors' ingest
                split(group, e);
                return;
            }
            // waking each waiting request is a system call per message: done on another thread, so the writer can
            // start on the next group at once (with a list of its own: the writer reuses its group's)
            List<Pending> done = List.copyOf(group);
            acknowledger.execute(() -> {
                try {
                    afterCommit.accept(messages, stored);
                } catch (RuntimeException e) {
                    LOG.warn("After storing {} messages: {}", stored.size(), e.toString());
                }
                for (int i = 0; i < done.size(); i++) {
                    Ingested in = stored.get(i);
                    if (in.isDeferred()) {
                        done.get(i).result().completeExceptionally(new IllegalStateException(in.deferredReason()
                                + "; try again"));
                    } else {
                        done.get(i).result().complete(in);
                    }
                }
            });
        }

        /** Halves, in order: a bad message costs about two transactions per halving, not one per message. */
        private void split(List<Pending> group, Throwable e) {
            if (group.size() == 1) {
                LOG.warn("Could not store {}: {}", group.get(0).message(), e.toString());
                group.get(0).result().completeExceptionally(new IllegalStateException(
                        "the message could not be stored; try again", e));
                return;
            }
            LOG.debug("Group of {} failed ({}), storing it in halves", group.size(), e.toString());
            write(group.subList(0, group.size() / 2), true);
            write(group.subList(group.size() / 2, group.size()), true);
        }
    }

    @Override
    public void close() throws InterruptedException {
        open = false;
        Lanes current = lanes;
        current.stop();
        current.awaitDrained(30_000);
    }
}
