package org.frontdoor.core;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.frontdoor.api.ConversationEvent;
import org.frontdoor.api.EventFilter;
import org.frontdoor.api.Frontdoor;
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
    /** The longest a holder goes without renewing: how soon a reset or a gap reaches a running consumer. */
    static final Duration RENEW_AT_LEAST = Duration.ofSeconds(5);
    /** How long a stop waits for the event in the route's hands before interrupting it. */
    static final Duration STOP_WAIT = Duration.ofSeconds(15);
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
        void deliver(ConversationEvent event, Delivered how) throws Exception;
    }

    /**
     * How an event is delivered.
     *
     * @param generation the lease generation this node delivers under: a fencing token for the consumer's peers
     * @param missed     on the first delivery after retention deleted events the consumer had not read: {@code N-M};
     *                   null otherwise
     */
    record Delivered(long generation, String missed) {
    }

    /** The longest consumer name the store keeps. */
    static final int MAX_NAME = 100;
    /** How long a per-node copy ({@code everyNode=true}) that no node runs is kept. */
    static final Duration NODE_COPY_IDLE = Duration.ofHours(1);
    private static final int NODE_HASH_CHARS = 12;

    private final EventStore store;
    private final Supplier<Settings> settings;
    private final String node;
    private final Duration lease;
    private final Map<String, Runner> running = new ConcurrentHashMap<>();
    private volatile boolean open = true;
    /** How far back a typing signal is still worth showing: a door shows one for this long. */
    static final Duration TYPING_FRESH = Duration.ofSeconds(6);
    /** Relays typing signals while some consumer on this node asks for them; started with the first such consumer. */
    private Thread typingRelay;
    private final Signal typingSignal = new Signal();

    EventConsumers(EventStore store, Supplier<Settings> settings, String node) {
        this(store, settings, node, LEASE);
    }

    /** With a lease of another length (tests). */
    EventConsumers(EventStore store, Supplier<Settings> settings, String node, Duration lease) {
        this.store = store;
        this.settings = settings;
        this.node = node;
        this.lease = lease;
    }

    /**
     * How often a holder renews its lease, between two events: a third of the lease at most, so a holder that is alive
     * never lets it run out, and at most every {@link #RENEW_AT_LEAST} so a reset is noticed soon.
     */
    private Duration renewEvery() {
        Duration third = lease.dividedBy(3);
        return third.compareTo(RENEW_AT_LEAST) > 0 ? RENEW_AT_LEAST : third;
    }

    /**
     * Starts delivering to a named consumer.
     *
     * @throws IllegalStateException when a consumer of that name runs on this node already
     */
    Runner start(String name, EventFilter filter, Start start, Delivery delivery) {
        if (!open) {
            throw new IllegalStateException("Frontdoor is stopping");
        }
        Runner runner = new Runner(name, filter, start, delivery);
        if (running.putIfAbsent(name, runner) != null) {
            throw new IllegalStateException("an events consumer named " + name + " runs already: each route of "
                    + "frontdoor:events needs a consumer name of its own");
        }
        runner.thread.start();
        if (runner.wantsTyping()) {
            startTypingRelay();
        }
        return runner;
    }

    private synchronized void startTypingRelay() {
        if (typingRelay == null && open) {
            typingRelay = new Thread(this::relayTyping, "frontdoor-events-typing");
            typingRelay.setDaemon(true);
            typingRelay.start();
        }
    }

    /**
     * Typing signals are not in the event log (they change nothing, and a consumer that comes back later has no use for
     * them): every poll, the signals said on any node in the last {@link #TYPING_FRESH} are read, and each one not
     * handed on before goes, once and without retry, to every consumer this node delivers to whose filter names
     * {@code typing} (position 0, the lease's generation).
     */
    private void relayTyping() {
        Map<String, Instant> relayed = new java.util.HashMap<>();
        while (open) {
            try {
                Instant now = Instant.now();
                List<ConversationEvent> signals = store.typingSince(now.minus(TYPING_FRESH));
                for (ConversationEvent signal : signals) {
                    if (relayed.putIfAbsent(signal.conversationId() + " " + signal.actor() + " " + signal.at(), now)
                            == null) {
                        running.values().forEach(r -> r.relay(signal));
                    }
                }
                relayed.values().removeIf(at -> at.isBefore(now.minus(TYPING_FRESH.multipliedBy(10))));
            } catch (RuntimeException e) {
                LOG.debug("Typing signals wait for the database: {}", e.getMessage());
            }
            try {
                typingSignal.await(settings.get().eventPoll().toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                return;
            }
        }
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

    /**
     * A consumer was reset on this node: its runner here, if any, renews at once (and so learns of the reset) instead
     * of at its next renewal. Other nodes learn within {@link #RENEW_AT_LEAST}.
     */
    void recheck(String name) {
        Runner runner = running.get(name);
        if (runner != null) {
            runner.recheck = true;
            runner.signal.raise();
        }
    }

    /** New events were committed: consumers look at once instead of at their next poll. */
    void wakeAll() {
        running.values().forEach(r -> r.signal.raise());
    }

    /** One consumer's thread. */
    final class Runner implements Runnable {
        private final String name;
        private final EventFilter filter;
        private final Start start;
        private final Delivery delivery;
        private final Signal signal = new Signal();
        private final Thread thread;
        private volatile boolean active = true;
        /** True while the route has an event: a stop lets it finish rather than interrupt it. */
        private volatile boolean delivering;
        /** Renew before the next event: the consumer may have been reset. */
        private volatile boolean recheck;
        /** The lease this runner holds: its generation, and the last position handled under it; 0 while none. */
        private volatile long generation;
        private volatile long handled;

        /** Whether this consumer's filter names {@code typing}: only those get typing signals. */
        boolean wantsTyping() {
            return filter.types().contains(ConversationEvent.Type.TYPING);
        }

        /** Hands a typing signal to the route, if this node delivers to the consumer now; a failure is not retried. */
        void relay(ConversationEvent signal) {
            long held = generation;
            if (!active || held == 0 || !wantsTyping() || !filter.matches(signal)) {
                return;
            }
            try {
                delivery.deliver(signal, new Delivered(held, null));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Exception e) {
                LOG.debug("Events consumer {} did not take a typing signal: {}", name, e.toString());
            }
        }

        Runner(String name, EventFilter filter, Start start, Delivery delivery) {
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
                    long startAt = start == Start.END ? store.head() : 0;
                    long claiming = System.nanoTime(); // before the claim: its lease runs at least this long from here
                    Optional<EventStore.Lease> claimed = store.claimConsumer(name, node, lease, startAt, filter);
                    if (claimed.isEmpty()) {
                        if (holding) {
                            LOG.info("Events consumer {} is delivered to by another node now", name);
                        }
                        holding = false;
                        pause(renewEvery());
                        continue;
                    }
                    EventStore.Lease held = claimed.get();
                    if (!holding) {
                        LOG.info("Events consumer {} delivers from position {} (lease generation {})", name,
                                held.position(), held.generation());
                    }
                    if (held.missed() != null) {
                        LOG.warn("Events consumer {} missed events {}: retention deleted them before it read them "
                                + "(eventRetentionMaxHours); its route is told with header {}", name, held.missed(),
                                Frontdoor.HEADER_EVENTS_MISSED);
                    }
                    generation = held.generation();
                    handled = held.position();
                    holding = deliverFrom(held, claiming);
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

        /**
         * Delivers while this node holds the consumer under the lease's generation; false when the lease was lost
         * (another node took it, or an admin reset the consumer). The lease is renewed between two events, never later
         * than a third of it after the last renewal, and delivery stops at once when a renewal fails: a node that is
         * alive never lets its lease run out under a delivery, and one that lost it delivers nothing more.
         */
        private boolean deliverFrom(EventStore.Lease held, long claimed) throws InterruptedException {
            long position = held.position();
            String missed = held.missed();
            long renewed = claimed;
            long renewNanos = renewEvery().toNanos();
            while (active) {
                List<ConversationEvent> events = store.eventsAfter(position, BATCH);
                boolean moved = false;
                for (ConversationEvent event : events) {
                    if (recheck || System.nanoTime() - renewed >= renewNanos) {
                        recheck = false;
                        long before = System.nanoTime();
                        if (!store.advanceConsumer(name, node, held.generation(), position, lease, null,
                                missed == null && held.missed() != null)) {
                            return lost();
                        }
                        renewed = before;
                        moved = false;
                    }
                    if (filter.matches(event)) {
                        if (!deliverOne(event, position, new Delivered(held.generation(), missed))) {
                            return lost();
                        }
                        if (missed != null) {
                            missed = null; // told once: the gap stays on the consumer, shown to admins
                            if (!store.advanceConsumer(name, node, held.generation(), position, lease, null, true)) {
                                return lost();
                            }
                        }
                    }
                    position = event.position();
                    handled = position;
                    moved = true;
                    if (!active) {
                        break;
                    }
                }
                boolean renew = recheck || System.nanoTime() - renewed >= renewNanos;
                recheck = false;
                if (moved || renew) {
                    long before = System.nanoTime();
                    if (!store.advanceConsumer(name, node, held.generation(), position, lease, null,
                            missed == null && held.missed() != null)) {
                        return lost();
                    }
                    renewed = before;
                }
                if (events.size() < BATCH && active) {
                    signal.await(Math.min(settings.get().eventPoll().toMillis(),
                            Math.max(1, (renewNanos - (System.nanoTime() - renewed)) / 1_000_000)),
                            TimeUnit.MILLISECONDS);
                }
            }
            return true;
        }

        private boolean lost() {
            generation = 0;
            LOG.warn("Events consumer {} lost its lease (another node took it, or it was reset); stopping here", name);
            return false;
        }

        /**
         * Delivers one event until the consumer takes it; the wait between two tries grows. False when the lease was
         * lost meanwhile.
         */
        private boolean deliverOne(ConversationEvent event, long before, Delivered how) throws InterruptedException {
            Duration wait = FIRST_RETRY;
            while (active) {
                try {
                    delivering = true;
                    try {
                        delivery.deliver(event, how);
                    } finally {
                        delivering = false;
                    }
                    return true;
                } catch (InterruptedException e) {
                    throw e;
                } catch (Exception e) {
                    String reason = Outbox.reason(e);
                    LOG.warn("Events consumer {} failed on event {} ({} of conversation {}), delivering it again in "
                            + "{} s: {}", name, event.position(), event.type().id(), event.conversationId(),
                            wait.toSeconds(), reason);
                    // what was delivered before it is kept, and the reason is shown in event-consumer-list
                    if (!store.advanceConsumer(name, node, how.generation(), before, lease.plus(wait), reason, false)) {
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
            signal.raise();
            // the event in the route's hands is let finish (it is handled, not delivered again), up to a bound
            if (!delivering) {
                thread.interrupt();
            }
            try {
                thread.join(STOP_WAIT.toMillis());
                if (thread.isAlive()) {
                    thread.interrupt();
                    thread.join(STOP_WAIT.toMillis());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            running.remove(name, this);
            long held = generation;
            if (held == 0) {
                return;
            }
            try {
                // what was handled is kept (the event being delivered when stopped is not: it comes again)
                store.releaseConsumer(name, node, held, handled);
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
        Thread relay;
        synchronized (this) {
            relay = typingRelay;
        }
        if (relay != null) {
            typingSignal.raise();
            relay.interrupt();
        }
    }
}
