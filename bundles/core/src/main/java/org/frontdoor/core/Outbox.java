package org.frontdoor.core;

import java.io.EOFException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.ClosedChannelException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import javax.net.ssl.SSLException;

import org.frontdoor.api.OutboundReply;
import org.frontdoor.api.ReplyRefusedException;
import org.frontdoor.store.Door;
import org.frontdoor.store.OutboxStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands stored replies to the channel that sends them ({@code from("frontdoor:outbound?channel=ID")}), one worker per
 * door with its own threads, so a slow or dead peer holds up only its own door's replies.
 *
 * <p>A worker claims its door's due replies (another pipeline on the database claims others), at most as many as it
 * sends at once, and never a conversation's next reply while an older one is pending. It sends only while the door's
 * Channel service is registered and UP or DEGRADED: replies to a door that is DOWN, AUTH_EXPIRED or not configured
 * wait without using up attempts. A passing failure is recorded with its reason as a sentence and retried with
 * exponential backoff, until the door's attempts are used up; a {@link ReplyRefusedException} fails the reply at once.
 */
final class Outbox implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Outbox.class);

    /** Sends replies of one channel: an outbound consumer. */
    interface Sender {
        String channel();

        void send(OutboundReply reply) throws Exception;
    }

    private final OutboxStore store;
    private final Doors doors;
    private final Supplier<Settings> settings;
    private final String node;
    private final Clock clock;
    private final Runnable changed;
    private final Map<String, List<Sender>> senders = new ConcurrentHashMap<>();
    private final Map<Door, DoorWorker> workers = new ConcurrentHashMap<>();
    private volatile boolean open = true;

    /**
     * @param changed run after a reply's outcome is recorded (its event is in the log)
     * @param clock   decides when a reply is due (tests move it instead of waiting)
     */
    Outbox(OutboxStore store, Doors doors, Supplier<Settings> settings, String node, Clock clock, Runnable changed) {
        this.store = store;
        this.doors = doors;
        this.settings = settings;
        this.node = node;
        this.clock = clock;
        this.changed = changed;
    }

    void register(Sender sender) {
        senders.computeIfAbsent(sender.channel(), c -> new CopyOnWriteArrayList<>()).add(sender);
        LOG.info("Replies on channel {} are sent again", sender.channel());
    }

    void unregister(Sender sender) {
        List<Sender> list = senders.get(sender.channel());
        if (list != null) {
            list.remove(sender);
            if (list.isEmpty()) {
                LOG.info("Channel {} has no outbound consumer: its replies wait in the outbox", sender.channel());
            }
        }
    }

    Set<String> channels() {
        return senders.entrySet().stream().filter(e -> !e.getValue().isEmpty()).map(Map.Entry::getKey)
                .collect(Collectors.toSet());
    }

    private Sender sender(String channel) {
        List<Sender> list = senders.get(channel);
        return list == null || list.isEmpty() ? null : list.get(0);
    }

    /** Wakes the worker of every door with a reply due now; returns how many doors that is. */
    int dispatch() {
        if (!open) {
            return 0;
        }
        Set<String> channels = channels();
        if (channels.isEmpty()) {
            return 0;
        }
        List<Door> due = store.doorsWithDueReplies(channels, clock.instant());
        for (Door door : due) {
            workers.computeIfAbsent(door, DoorWorker::new).signal.raise();
        }
        return due.size();
    }

    /** A door's worker: one thread that claims, and a pool of the door's size that sends. */
    private final class DoorWorker implements Runnable {
        final Door door;
        final Signal signal = new Signal();
        final AtomicInteger inFlight = new AtomicInteger();
        final ExecutorService sending;
        final Thread thread;
        private String holding;

        DoorWorker(Door door) {
            this.door = door;
            String name = "frontdoor-outbox-" + door.channel() + "-" + door.instance();
            this.sending = Executors.newCachedThreadPool(r -> {
                Thread t = new Thread(r, name + "-send");
                t.setDaemon(true);
                return t;
            });
            this.thread = new Thread(this, name);
            this.thread.setDaemon(true);
            this.thread.start();
        }

        @Override
        public void run() {
            while (open) {
                try {
                    signal.await(1, TimeUnit.SECONDS);
                    if (open) {
                        claimAndSend();
                    }
                } catch (InterruptedException e) {
                    return;
                } catch (RuntimeException e) {
                    LOG.warn("Delivery on door {} failed, trying again shortly: {}", door, e.toString());
                }
            }
        }

        private void claimAndSend() {
            while (open) {
                String hold = doors.holdReason(door);
                if (hold != null) {
                    if (!hold.equals(holding)) {
                        LOG.info("Replies wait: {}", hold);
                    }
                    holding = hold;
                    return;
                }
                if (holding != null) {
                    LOG.info("Replies to door {} go out again", door);
                    holding = null;
                }
                Sender sender = sender(door.channel());
                if (sender == null) {
                    return;
                }
                int free = concurrency() - inFlight.get();
                if (free <= 0) {
                    return; // a finished send wakes the worker
                }
                Instant now = clock.instant();
                List<OutboundReply> claimed = store.claimDueReplies(door, node, now,
                        now.plus(settings.get().replyClaim()), free);
                if (claimed.isEmpty()) {
                    return;
                }
                for (OutboundReply reply : claimed) {
                    inFlight.incrementAndGet();
                    sending.execute(() -> {
                        try {
                            deliver(sender, reply, maxAttempts());
                        } finally {
                            inFlight.decrementAndGet();
                            signal.raise();
                        }
                    });
                }
            }
        }

        private int concurrency() {
            Integer own = doors.get(door).map(Doors.Registered::concurrency).orElse(null);
            return own != null ? own : settings.get().replyConcurrency();
        }

        private int maxAttempts() {
            Integer own = doors.get(door).map(Doors.Registered::maxAttempts).orElse(null);
            return own != null ? own : settings.get().replyMaxAttempts();
        }

        void stop() throws InterruptedException {
            thread.interrupt();
            sending.shutdown();
            thread.join(TimeUnit.SECONDS.toMillis(10));
            sending.awaitTermination(30, TimeUnit.SECONDS);
        }
    }

    /** Sends one reply and records the outcome; a failure to record lets the claim run out, and it is sent again. */
    private void deliver(Sender sender, OutboundReply reply, int maxAttempts) {
        try {
            try {
                sender.send(reply);
            } catch (Exception e) {
                ReplyRefusedException refused = refusal(e);
                if (refused != null) {
                    store.replyRefused(reply.replyId(), reason(refused));
                    LOG.info("Reply {} on {}/{} was refused for good: {}", reply.replyId(), reply.channel(),
                            reply.instance(), reason(refused));
                } else {
                    Instant next = clock.instant().plus(backoff(reply.attempt()));
                    store.replyFailed(reply.replyId(), reason(e), next, maxAttempts);
                    LOG.info("Reply {} on {}/{} failed (attempt {}), next try at {}: {}", reply.replyId(),
                            reply.channel(), reply.instance(), reply.attempt(), next, reason(e));
                    LOG.debug("Reply {} failed", reply.replyId(), e);
                }
                changed.run();
                return;
            }
            store.replySent(reply.replyId(), clock.instant());
            changed.run();
        } catch (RuntimeException e) {
            LOG.warn("Could not record the outcome of reply {}; it is tried again when its claim runs out: {}",
                    reply.replyId(), e.toString());
        }
    }

    private static ReplyRefusedException refusal(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ReplyRefusedException refused) {
                return refused;
            }
        }
        return null;
    }

    Duration backoff(int attempt) {
        Settings s = settings.get();
        int doublings = Math.min(Math.max(attempt - 1, 0), 30);
        Duration wait = s.retryInitial().multipliedBy(1L << doublings);
        return wait.compareTo(s.retryMax()) > 0 ? s.retryMax() : wait;
    }

    /** Why sending failed, as a sentence an agent understands; never a bare exception class. */
    static String reason(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && (t.getMessage() == null || t.getMessage().isBlank()
                || t.getMessage().equals(t.getCause().toString()))) {
            t = t.getCause();
        }
        if (t instanceof ConnectException) {
            return "the peer refused the connection";
        }
        if (t instanceof HttpTimeoutException || t instanceof SocketTimeoutException) {
            return "the peer did not answer in time";
        }
        if (t instanceof UnknownHostException) {
            return "the peer's host name is unknown" + (t.getMessage() == null ? "" : ": " + t.getMessage());
        }
        if (t instanceof ClosedChannelException || t instanceof EOFException) {
            return "the connection closed before the peer answered";
        }
        if (t instanceof SSLException) {
            return "the secure connection to the peer failed" + (t.getMessage() == null ? "" : ": " + t.getMessage());
        }
        if (t instanceof InterruptedException) {
            return "sending was interrupted (Frontdoor is stopping)";
        }
        String message = t.getMessage();
        if (message == null || message.isBlank() || message.equals(t.getClass().getName())) {
            return "sending failed unexpectedly (" + t.getClass().getSimpleName() + "); the log has the details";
        }
        return message;
    }

    @Override
    public void close() throws InterruptedException {
        open = false;
        for (DoorWorker worker : workers.values()) {
            worker.stop();
        }
        workers.clear();
        try {
            store.releaseClaims(node);
        } catch (RuntimeException e) {
            LOG.info("Could not let go of this node's claims; they run out by themselves: {}", e.getMessage());
        }
    }
}
