package org.frontdoor.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

import org.frontdoor.api.Message;
import org.frontdoor.store.Ingested;
import org.frontdoor.store.Store;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stores inbound messages in groups: a writer takes whatever has queued up while its last transaction ran, up to the
 * batch size, and commits it at once, so throughput is not one fsync per message. If a group fails, it is stored in
 * halves, and a failing half in halves again, so one bad message fails alone and never blocks the others, at the cost
 * of a few transactions rather than one per message of its group.
 *
 * <p>There can be several writers, each with its own queue and its own database connection, so one group's
 * statements run while another's commit is being flushed, and the database's work is not all on one backend. A
 * message goes to the writer of its author (channel and handle): one author's messages are stored in the order they
 * came, and two writers never update the same conversation or create the same customer at once. Two writers may still
 * meet on one message id sent by two authors (no channel redelivers that way); the second group then fails on the
 * unique key and is stored in halves, which finds the first one's message, or answers an error the sender retries
 * if that one is not committed yet.
 */
final class GroupCommit implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(GroupCommit.class);

    private record Pending(Message message, CompletableFuture<Ingested> result) {
    }

    private final Store store;
    private final int batchSize;
    private final BiConsumer<List<Message>, List<Ingested>> afterCommit;
    private final Lane[] lanes;
    private volatile boolean open = true;

    /** One writer. */
    GroupCommit(Store store, int batchSize, BiConsumer<List<Message>, List<Ingested>> afterCommit) {
        this(store, batchSize, 1, afterCommit);
    }

    GroupCommit(Store store, int batchSize, int writers, BiConsumer<List<Message>, List<Ingested>> afterCommit) {
        if (writers < 1) {
            throw new IllegalArgumentException("ingest needs at least one writer, not " + writers);
        }
        this.store = store;
        this.batchSize = batchSize;
        this.afterCommit = afterCommit;
        this.lanes = new Lane[writers];
        for (int i = 0; i < writers; i++) {
            lanes[i] = new Lane(writers == 1 ? "frontdoor-ingest" : "frontdoor-ingest-" + (i + 1));
        }
    }

    CompletableFuture<Ingested> submit(Message message) {
        CompletableFuture<Ingested> result = new CompletableFuture<>();
        if (!open) {
            result.completeExceptionally(new IllegalStateException("Frontdoor is stopping, the message was not stored"));
            return result;
        }
        lanes[lane(message, lanes.length)].queue.add(new Pending(message, result));
        return result;
    }

    /** The writer of a message's author, among {@code writers}. */
    static int lane(Message m, int writers) {
        int author = m.author() == null ? Objects.hashCode(m.channel())
                : Objects.hash(m.author().channel(), m.author().handle());
        return Math.floorMod(author, writers);
    }

    /** A writer: its queue, its thread, and the thread that acknowledges what it committed. */
    private final class Lane {

        final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
        final Thread writer;
        final ExecutorService acknowledger;

        Lane(String name) {
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
            List<Pending> group = new ArrayList<>(batchSize);
            while (open || !queue.isEmpty()) {
                try {
                    Pending first = queue.poll(200, TimeUnit.MILLISECONDS);
                    if (first == null) {
                        continue;
                    }
                    group.add(first);
                    queue.drainTo(group, batchSize - 1);
                    write(group);
                } catch (InterruptedException e) {
                    break;
                } finally {
                    group.clear();
                }
            }
            Pending left;
            while ((left = queue.poll()) != null) {
                left.result().completeExceptionally(new IllegalStateException("Frontdoor stopped before storing the message"));
            }
        }

        private void write(List<Pending> group) {
            List<Message> messages = group.stream().map(Pending::message).toList();
            List<Ingested> stored;
            try {
                stored = store.ingest(messages);
            } catch (RuntimeException | Error e) { // an Error too: it would end the writer, and its authors' ingest
                if (group.size() == 1) {
                    LOG.warn("Could not store {}: {}", group.get(0).message(), e.toString());
                    group.get(0).result().completeExceptionally(e);
                    return;
                }
                // halves, in order: a bad message costs about two transactions per halving, not one per message
                LOG.debug("Group of {} failed ({}), storing it in halves", group.size(), e.toString());
                write(group.subList(0, group.size() / 2));
                write(group.subList(group.size() / 2, group.size()));
                return;
            }
            // waking each waiting request is a system call per message: done on another thread, so the writer can
            // start on the next group at once
            List<CompletableFuture<Ingested>> results = group.stream().map(Pending::result).toList();
            acknowledger.execute(() -> {
                try {
                    afterCommit.accept(messages, stored);
                } catch (RuntimeException e) {
                    LOG.warn("After storing {} messages: {}", stored.size(), e.toString());
                }
                for (int i = 0; i < results.size(); i++) {
                    results.get(i).complete(stored.get(i));
                }
            });
        }
    }

    @Override
    public void close() throws InterruptedException {
        open = false;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        for (Lane lane : lanes) {
            lane.writer.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
        }
        for (Lane lane : lanes) {
            lane.acknowledger.shutdown(); // what was stored is still acknowledged
        }
        for (Lane lane : lanes) {
            lane.acknowledger.awaitTermination(10, TimeUnit.SECONDS);
        }
    }
}
