package org.frontdoor.core;

import java.util.ArrayList;
import java.util.List;
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
 * Stores inbound messages in groups: one writer takes whatever has queued up while the last transaction ran, up to
 * the batch size, and commits it at once, so throughput is not one fsync per message. If a group fails, its messages
 * are stored one by one, so one bad message fails alone and never blocks the others.
 */
final class GroupCommit implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(GroupCommit.class);

    private record Pending(Message message, CompletableFuture<Ingested> result) {
    }

    private final Store store;
    private final int batchSize;
    private final BiConsumer<List<Message>, List<Ingested>> afterCommit;
    private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final Thread writer;
    private final ExecutorService acknowledger = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "frontdoor-ingest-ack");
        t.setDaemon(true);
        return t;
    });
    private volatile boolean open = true;

    GroupCommit(Store store, int batchSize, BiConsumer<List<Message>, List<Ingested>> afterCommit) {
        this.store = store;
        this.batchSize = batchSize;
        this.afterCommit = afterCommit;
        this.writer = new Thread(this::run, "frontdoor-ingest");
        this.writer.setDaemon(true);
        this.writer.start();
    }

    CompletableFuture<Ingested> submit(Message message) {
        CompletableFuture<Ingested> result = new CompletableFuture<>();
        if (!open) {
            result.completeExceptionally(new IllegalStateException("Frontdoor is stopping, the message was not stored"));
            return result;
        }
        queue.add(new Pending(message, result));
        return result;
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
        } catch (RuntimeException | Error e) { // an Error too: it would end the one writer, and every ingest with it
            if (group.size() == 1) {
                LOG.warn("Could not store {}: {}", group.get(0).message(), e.toString());
                group.get(0).result().completeExceptionally(e);
                return;
            }
            LOG.debug("Group of {} failed ({}), storing one by one", group.size(), e.toString());
            for (Pending p : group) {
                write(List.of(p));
            }
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

    @Override
    public void close() throws InterruptedException {
        open = false;
        writer.join(TimeUnit.SECONDS.toMillis(30));
        acknowledger.shutdown(); // what was stored is still acknowledged
        acknowledger.awaitTermination(10, TimeUnit.SECONDS);
    }
}
