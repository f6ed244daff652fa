package org.frontdoor.core;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.Supplier;

import org.frontdoor.api.ConversationEvent;
import org.frontdoor.store.EventStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers the event log to named consumers ({@code from("frontdoor:events?consumer=NAME")}): each on a thread of its
 * own, in order, at least once, from the position kept under its name in the database. A slow or failing consumer
 * holds up nobody else; a consumer that was away (its bundle uninstalled, its node down) goes on from where it stopped.
 * One node at a time delivers to a name, by a lease in the database that it renews while it runs.
 */
final class EventConsumers implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EventConsumers.class);
    static final int BATCH = 500;
    static final Duration LEASE = Duration.ofSeconds(30);
    static final Duration FIRST_RETRY = Duration.ofSeconds(1);
    static final Duration LONGEST_RETRY = Duration.ofMinutes(1);

    /** Where a consumer never seen before starts. */
    enum Start {
        /** After the last event committed: only what happens from now on. */
        END,
        /** At the oldest event the log still holds. */
        BEGINNING
    }

    /** Hands one event to the consumer's route; an exception delivers it again later. */
    @FunctionalInterface
    interface Delivery {
        void deliver(ConversationEvent event) throws Exception;
    }

    /** The longest consumer name the store keeps. */
    static final int MAX_NAME = 100;
    /** How long a per-node copy ({@code everyNode=true}) that no node runs is kept. */
    static final Duration NODE_COPY_IDLE = Duration.ofHours(1);
    private static final int NODE_HASH_CHARS = 12;

    private final EventStore store;
    private final Supplier<Settings> settings;
    private final String node;
    private final Map<String, Runner> running = new ConcurrentHashMap<>();
    private volatile boolean open = true;

    EventConsumers(EventStore store, Supplier<Settings> settings, String node) {
        this.store = store;
        this.settings = settings;
        this.node = node;
    }

    /**
     * Starts delivering to a named consumer.
     *
     * @throws IllegalStateException when a consumer of that name runs on this node already
     */
    Runner start(String name, Predicate<ConversationEvent> filter, Start start, Delivery delivery) {
        if (!open) {
            throw new IllegalStateException("Frontdoor is stopping");
        }
        Runner runner = new Runner(name, filter, start, delivery);
        if (running.putIfAbsent(name, runner) != null) {
            throw new IllegalStateException("an events consumer named " + name + " runs already: each route of "
                    + "frontdoor:events needs a consumer name of its own");
        }
        runner.thread.start();
        return runner;
    }

    /**
     * The name under which this node keeps its own copy of a consumer ({@code everyNode=true}): {@code name@node}, or
     * {@code name@} and a hash of the node's name when that would be longer than a consumer name may be. Such a
     * consumer is forgotten once no node has run it for {@link #NODE_COPY_IDLE}.
     */
    String perNode(String name) {
        if (name.length() > MAX_NAME - 1 - NODE_HASH_CHARS) {
            throw new IllegalArgumentException("a consumer with everyNode=true takes a name of at most "
                    + (MAX_NAME - 1 - NODE_HASH_CHARS) + " characters (the node's is added to it): " + name);
        }
        String tag = node.replaceAll("[^A-Za-z0-9_.-]", "-");
        if (name.length() + 1 + tag.length() > MAX_NAME) {
            try {
                byte[] hash = java.security.MessageDigest.getInstance("SHA-256")
                        .digest(node.getBytes(java.nio.charset.StandardCharsets.UTF_8));
                tag = java.util.HexFormat.of().formatHex(hash, 0, NODE_HASH_CHARS / 2);
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException("every Java has SHA-256", e);
            }
        }
        return name + "@" + tag;
    }

    /** New events were committed: consumers look at once instead of at their next poll. */
    void wakeAll() {
        running.values().forEach(r -> r.signal.raise());
    }

    /** One consumer's thread. */
    final class Runner implements Runnable {
        private final String name;
        private final Predicate<ConversationEvent> filter;
        private final Start start;
        private final Delivery delivery;
        private final Signal signal = new Signal();
        private final Thread thread;
        private volatile boolean active = true;

        Runner(String name, Predicate<ConversationEvent> filter, Start start, Delivery delivery) {
            this.name = name;
            this.filter = filter;
            this.start = start;
            this.delivery = delivery;
            this.thread = new Thread(this, "frontdoor-events-" + name);
            this.thread.setDaemon(true);
        }

        @Override
        public void run() {
            boolean holding = false;
            while (active) {
                try {
                    Instant now = Instant.now();
                    long startAt = start == Start.END ? store.head() : 0;
                    Optional<Long> claimed = store.claimConsumer(name, node, now, now.plus(LEASE), startAt);
                    if (claimed.isEmpty()) {
                        if (holding) {
                            LOG.info("Events consumer {} is delivered to by another node now", name);
                        }
                        holding = false;
                        pause(LEASE.dividedBy(3));
                        continue;
                    }
                    if (!holding) {
                        LOG.info("Events consumer {} delivers from position {}", name, claimed.get());
                    }
                    holding = deliverFrom(claimed.get());
                } catch (InterruptedException e) {
                    return;
                } catch (RuntimeException e) {
                    // the database is away: the position is safe in it, and delivery goes on when it is back
                    LOG.warn("Events consumer {} waits for the database: {}", name, e.getMessage());
                    try {
                        pause(settings.get().eventPoll().multipliedBy(5));
                    } catch (InterruptedException stop) {
                        return;
                    }
                }
            }
        }

        /** Delivers while this node holds the consumer; false when the lease was lost. */
        private boolean deliverFrom(long position) throws InterruptedException {
            long renewed = System.nanoTime();
            while (active) {
                List<ConversationEvent> events = store.eventsAfter(position, BATCH);
                for (ConversationEvent event : events) {
                    if (filter.test(event) && !deliverOne(event, position)) {
                        LOG.warn("Events consumer {} lost its lease to another node while retrying; stopping here",
                                name);
                        return false;
                    }
                    position = event.position();
                }
                boolean renew = System.nanoTime() - renewed > LEASE.dividedBy(3).toNanos();
                if (!events.isEmpty() || renew) {
                    if (!store.advanceConsumer(name, node, position, Instant.now().plus(LEASE), null)) {
                        LOG.warn("Events consumer {} lost its lease to another node; stopping here", name);
                        return false;
                    }
                    renewed = System.nanoTime();
                }
                if (events.size() < BATCH && active) {
                    signal.await(settings.get().eventPoll().toMillis(), TimeUnit.MILLISECONDS);
                }
            }
            return true;
        }

        /**
         * Delivers one event until the consumer takes it; the wait between two tries grows. False when the lease was
         * lost meanwhile.
         */
        private boolean deliverOne(ConversationEvent event, long before) throws InterruptedException {
            Duration wait = FIRST_RETRY;
            while (active) {
                try {
                    delivery.deliver(event);
                    return true;
                } catch (InterruptedException e) {
                    throw e;
                } catch (Exception e) {
                    String reason = Outbox.reason(e);
                    LOG.warn("Events consumer {} failed on event {} ({} of conversation {}), delivering it again in "
                            + "{} s: {}", name, event.position(), event.type().id(), event.conversationId(),
                            wait.toSeconds(), reason);
                    // what was delivered before it is kept, and the reason is shown in event-consumer-list
                    if (!store.advanceConsumer(name, node, before, Instant.now().plus(LEASE).plus(wait), reason)) {
                        return false;
                    }
                    pause(wait);
                    wait = wait.multipliedBy(2).compareTo(LONGEST_RETRY) > 0 ? LONGEST_RETRY : wait.multipliedBy(2);
                }
            }
            throw new InterruptedException("stopping");
        }

        private void pause(Duration d) throws InterruptedException {
            if (!active) {
                throw new InterruptedException("stopping");
            }
            Thread.sleep(d.toMillis()); // interrupted by stop()
        }

        /** Stops delivering and lets go of the lease, keeping the position. */
        void stop() {
            active = false;
            thread.interrupt();
            try {
                thread.join(TimeUnit.SECONDS.toMillis(30));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            running.remove(name, this);
            try {
                store.releaseConsumer(name, node);
            } catch (RuntimeException e) {
                LOG.info("Could not let go of events consumer {}; its lease runs out by itself: {}", name,
                        e.getMessage());
            }
        }
    }

    @Override
    public void close() {
        open = false;
        running.values().forEach(Runner::stop);
    }
}
