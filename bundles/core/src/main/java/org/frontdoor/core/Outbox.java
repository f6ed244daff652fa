package org.frontdoor.core;

import java.io.EOFException;
import java.lang.management.ManagementFactory;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.ClosedChannelException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import javax.net.ssl.SSLException;

import org.frontdoor.api.OutboundReply;
import org.frontdoor.api.ReplyRefusedException;
import org.frontdoor.store.Door;
import org.frontdoor.store.OutboxStore;
import org.frontdoor.store.ReplyClaim;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands stored replies to the channel that sends them ({@code from("frontdoor:outbound?channel=ID")}), one worker per
 * door with its own threads, so a slow or dead peer holds up only its own door's replies.
 *
 * <p>A worker claims its door's due replies (another pipeline on the database claims others), at most as many as its
 * bounded pool has free threads, and never a conversation's next reply while an older one is pending. It sends only
 * while the door's Channel service is registered and UP or DEGRADED: replies to a door that is DOWN, AUTH_EXPIRED or
 * not configured wait without using up attempts. A passing failure is recorded with its reason as a sentence and
 * retried with exponential backoff, until the door's attempts are used up; a {@link ReplyRefusedException} fails the
 * reply at once.
 *
 * <p>One node at a time sends a reply: each send has a deadline (the door's or {@code replySendDeadlineSeconds}),
 * past which it is interrupted; its claim is longer (at least one and a half deadlines) and renewed every third of
 * it while the send runs, so it never runs out under a send in flight; every outcome is recorded only if this very
 * claim still holds (owner and token). A stopping node lets go of claims it has not started to send, never of one in
 * flight: that one it keeps renewing until the send returns, or it runs out if the process dies, and the same node
 * takes it back at once when it starts again (its claims carry the token prefix of the process run that took them).
 */
final class Outbox implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Outbox.class);

    /**
     * This process's run: the same for every Outbox of this JVM (an earlier one after a component restart may still
     * have a send in flight), another after a restart.
     */
    static final String RUN = ProcessHandle.current().pid() + "-" + ManagementFactory.getRuntimeMXBean().getStartTime();

    /** How long a stopping outbox waits for sends in flight to return before it leaves them their claims. */
    static final Duration STOP_GRACE = Duration.ofSeconds(10);

    /** Sends replies of one channel: an outbound consumer. */
    interface Sender {
        String channel();

        /** Sends the reply; returns the id the door's vendor gave it, or null when it named none. */
        String send(OutboundReply reply) throws Exception;
    }

    private final OutboxStore store;
    private final Doors doors;
    private final Supplier<Settings> settings;
    private final String node;
    private final String run;
    private final Clock clock;
    private final Runnable changed;
    private final CoreMetrics metrics;
    private final Map<String, List<Sender>> senders = new ConcurrentHashMap<>();
    private final Map<Door, DoorWorker> workers = new ConcurrentHashMap<>();
    private final Map<Long, Delivery> deliveries = new ConcurrentHashMap<>();
    private final ScheduledExecutorService tender;
    private volatile boolean open = true;
    private volatile boolean tookBack;

    /**
     * @param changed run after a reply's outcome is recorded (its event is in the log)
     * @param clock   decides when a reply is due, when a send is past its deadline and when a claim is renewed (tests
     *                move it instead of waiting)
     */
    Outbox(OutboxStore store, Doors doors, Supplier<Settings> settings, String node, Clock clock, Runnable changed) {
        this(store, doors, settings, node, RUN, clock, changed, null);
    }

    /** @param metrics where sends are counted and timed; null for none */
    Outbox(OutboxStore store, Doors doors, Supplier<Settings> settings, String node, Clock clock, Runnable changed,
           CoreMetrics metrics) {
        this(store, doors, settings, node, RUN, clock, changed, metrics);
    }

    /** @param run this process's run, the prefix of its claims' tokens (tests start "another process") */
    Outbox(OutboxStore store, Doors doors, Supplier<Settings> settings, String node, String run, Clock clock,
           Runnable changed) {
        this(store, doors, settings, node, run, clock, changed, null);
    }

    Outbox(OutboxStore store, Doors doors, Supplier<Settings> settings, String node, String run, Clock clock,
           Runnable changed, CoreMetrics metrics) {
        this.metrics = metrics;
        this.store = store;
        this.doors = doors;
        this.settings = settings;
        this.node = node;
        this.run = run;
        this.clock = clock;
        this.changed = changed;
        this.tender = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "frontdoor-outbox-claims");
            t.setDaemon(true);
            return t;
        });
        tender.scheduleWithFixedDelay(this::tendQuietly, 1, 1, TimeUnit.SECONDS);
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
        tend();
        if (!open) {
            return 0;
        }
        if (!tookBack) {
            // what an earlier run of this node held is not in flight any more: it goes out again at once
            int n = store.takeBackClaims(node, run + "/");
            tookBack = true;
            if (n > 0) {
                LOG.info("Took back {} reply claims of this node's earlier run", n);
            }
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

    private void tendQuietly() {
        try {
            tend();
        } catch (RuntimeException e) {
            LOG.warn("Could not look after the replies being sent: {}", e.toString());
        }
        if (!open && deliveries.isEmpty()) {
            tender.shutdown();
        }
    }

    /**
     * Looks after the sends under way: interrupts those past their deadline, renews claims a third of the way through
     * and stops a send whose claim was lost. Runs every second and before each dispatch.
     */
    synchronized void tend() {
        Instant now = clock.instant();
        for (Delivery d : deliveries.values()) {
            if (d.done()) {
                continue;
            }
            if (d.started != null && !d.late && !now.isBefore(d.started.plus(d.deadline))) {
                d.late = true;
                LOG.warn("Reply {} on {} is past its send deadline of {} s: interrupting the send", d.replyId(),
                        d.worker.door, d.deadline.toSeconds());
                d.interrupt();
            }
            ReplyClaim claim = d.claim;
            if (now.isBefore(claim.until().minus(d.lease.multipliedBy(2).dividedBy(3)))) {
                continue;
            }
            boolean renewed;
            try {
                renewed = store.renewClaim(claim, now.plus(d.lease));
            } catch (RuntimeException e) {
                LOG.warn("Could not renew the claim on reply {} (it holds until {}); trying again: {}", d.replyId(),
                        claim.until(), e.getMessage());
                continue;
            }
            if (renewed) {
                d.claim = claim.renewed(now.plus(d.lease));
            } else if (!d.done()) {
                d.lost = true;
                LOG.warn("This node lost its claim on reply {} while sending it: stopping the send; the outcome is "
                        + "left to the claim's new holder", d.replyId());
                d.interrupt();
            }
        }
    }

    /** A claimed reply: waiting for a thread, being sent, or done. */
    private final class Delivery implements Runnable {
        static final int WAITING = 0;
        static final int SENDING = 1;
        static final int DONE = 2;

        final DoorWorker worker;
        final Sender sender;
        final int maxAttempts;
        final Duration deadline;
        final Duration lease;
        final AtomicInteger state = new AtomicInteger(WAITING);
        volatile ReplyClaim claim;
        volatile Instant started;
        volatile boolean late;
        volatile boolean lost;
        private Thread sending; // guarded by this: set only while the sender runs, so only the send is interrupted

        Delivery(DoorWorker worker, Sender sender, ReplyClaim claim, int maxAttempts, Duration deadline,
                 Duration lease) {
            this.worker = worker;
            this.sender = sender;
            this.claim = claim;
            this.maxAttempts = maxAttempts;
            this.deadline = deadline;
            this.lease = lease;
        }

        long replyId() {
            return claim.replyId();
        }

        boolean done() {
            return state.get() == DONE;
        }

        /** Whether this was let go before its send started (it never will). */
        boolean cancel() {
            if (state.compareAndSet(WAITING, DONE)) {
                deliveries.remove(replyId(), this);
                return true;
            }
            return false;
        }

        synchronized void interrupt() {
            if (sending != null) {
                sending.interrupt();
            }
        }

        @Override
        public void run() {
            if (!state.compareAndSet(WAITING, SENDING)) {
                return; // let go meanwhile (the outbox is stopping)
            }
            try {
                started = clock.instant();
                deliver(this);
            } finally {
                state.set(DONE);
                deliveries.remove(replyId(), this);
                worker.inFlight.decrementAndGet();
                worker.signal.raise();
            }
        }

        /** Runs the door's send on this thread, interruptible only while it runs; returns the vendor's id or null. */
        String send() throws Exception {
            synchronized (this) {
                sending = Thread.currentThread();
            }
            try {
                return sender.send(claim.reply());
            } finally {
                synchronized (this) {
                    sending = null;
                    Thread.interrupted(); // an interrupt meant for the send must not break recording its outcome
                }
            }
        }
    }

    /** A door's worker: one thread that claims, and a bounded pool of the door's size that sends. */
    private final class DoorWorker implements Runnable {
        final Door door;
        final Signal signal = new Signal();
        final AtomicInteger inFlight = new AtomicInteger();
        final ThreadPoolExecutor sending;
        final Thread thread;
        private String holding;

        DoorWorker(Door door) {
            this.door = door;
            String name = "frontdoor-outbox-" + door.channel() + "-" + door.instance();
            int size = concurrency();
            // at most one waiting task per thread: the worker claims only as many replies as threads are free
            this.sending = new ThreadPoolExecutor(size, size, 60, TimeUnit.SECONDS,
                    new ArrayBlockingQueue<>(Math.max(size, 64)), r -> {
                        Thread t = new Thread(r, name + "-send");
                        t.setDaemon(true);
                        return t;
                    });
            this.sending.allowCoreThreadTimeOut(true);
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
                int size = resize();
                int free = size - inFlight.get();
                if (free <= 0) {
                    return; // a finished send wakes the worker
                }
                Duration deadline = deadline();
                Duration lease = lease(deadline);
                Instant now = clock.instant();
                List<ReplyClaim> claimed = store.claimDueReplies(door, node, run + "/" + UUID.randomUUID(), now,
                        now.plus(lease), free);
                if (claimed.isEmpty()) {
                    return;
                }
                int attempts = maxAttempts();
                List<ReplyClaim> rejected = new ArrayList<>();
                for (ReplyClaim claim : claimed) {
                    Delivery sendingNow = deliveries.get(claim.replyId());
                    if (sendingNow != null && !sendingNow.done()) {
                        // its claim ran out under a send of ours (renewals failed): the send goes on under this claim
                        LOG.warn("Reply {} was claimed again while this node still sends it; the send in flight "
                                + "keeps the new claim", claim.replyId());
                        sendingNow.lost = false;
                        sendingNow.claim = claim;
                        continue;
                    }
                    Delivery delivery = new Delivery(this, sender, claim, attempts, deadline, lease);
                    inFlight.incrementAndGet();
                    deliveries.put(claim.replyId(), delivery);
                    try {
                        sending.execute(delivery);
                    } catch (RejectedExecutionException e) {
                        delivery.cancel();
                        inFlight.decrementAndGet();
                        rejected.add(claim);
                    }
                }
                if (!rejected.isEmpty()) {
                    store.releaseClaims(rejected);
                    return;
                }
            }
        }

        /** The pool's size, following the door's concurrency as it is reconfigured. */
        private int resize() {
            int size = concurrency();
            if (size > sending.getMaximumPoolSize()) {
                sending.setMaximumPoolSize(size);
                sending.setCorePoolSize(size);
            } else if (size < sending.getMaximumPoolSize()) {
                sending.setCorePoolSize(size);
                sending.setMaximumPoolSize(size);
            }
            return size;
        }

        int concurrency() {
            Integer own = doors.get(door).map(Doors.Registered::concurrency).orElse(null);
            return own != null ? own : settings.get().replyConcurrency();
        }

        private int maxAttempts() {
            Integer own = doors.get(door).map(Doors.Registered::maxAttempts).orElse(null);
            return own != null ? own : settings.get().replyMaxAttempts();
        }

        private Duration deadline() {
            Integer own = doors.get(door).map(Doors.Registered::deadlineSeconds).orElse(null);
            return own != null ? Duration.ofSeconds(own) : settings.get().replySendDeadline();
        }

        /** Stops claiming; lets go of what has not started. */
        void stop() throws InterruptedException {
            thread.interrupt();
            thread.join(TimeUnit.SECONDS.toMillis(10));
            sending.shutdown();
        }
    }

    /** A claim is at least one and a half send deadlines long, so a send is interrupted well before it could run out. */
    Duration lease(Duration deadline) {
        Duration least = deadline.plus(deadline.dividedBy(2));
        Duration configured = settings.get().replyClaim();
        return configured.compareTo(least) >= 0 ? configured : least;
    }

    /**
     * Sends one reply and records the outcome if this node still holds its claim; a failure to record lets the claim
     * run out, and it is sent again.
     */
    private void deliver(Delivery d) {
        OutboundReply reply = d.claim.reply();
        Exception failure = null;
        String vendorId = null;
        long start = System.nanoTime();
        try {
            vendorId = d.send();
        } catch (Exception e) {
            failure = e;
        }
        if (metrics != null) {
            try {
                metrics.delivered(reply.channel(), reply.instance(), failure == null ? "sent"
                        : refusal(failure) != null ? "refused" : "failed", System.nanoTime() - start);
            } catch (RuntimeException e) {
                LOG.debug("Could not record a send in the metrics", e);
            }
        }
        if (d.lost) {
            LOG.warn("Reply {} on {}/{}: {}; this node lost its claim during the send, so its new holder records "
                    + "the outcome", reply.replyId(), reply.channel(), reply.instance(),
                    failure == null ? "the door sent it" : "sending failed: " + reason(failure));
            return;
        }
        try {
            boolean recorded;
            String what;
            if (failure == null) {
                recorded = store.replySent(d.claim, clock.instant(), vendorId);
                what = "sent";
            } else {
                ReplyRefusedException refused = refusal(failure);
                if (refused != null) {
                    what = "refused for good: " + reason(refused);
                    recorded = store.replyRefused(d.claim, reason(refused));
                } else {
                    String why = d.late ? "the door did not finish sending within " + d.deadline.toSeconds() + " s"
                            : reason(failure);
                    Instant next = clock.instant().plus(backoff(reply.attempt()));
                    what = "failed (attempt " + reply.attempt() + "), next try at " + next + ": " + why;
                    recorded = store.replyFailed(d.claim, why, next, d.maxAttempts);
                    LOG.debug("Reply {} failed", reply.replyId(), failure);
                }
            }
            if (recorded) {
                if (failure != null) {
                    LOG.info("Reply {} on {}/{} {}", reply.replyId(), reply.channel(), reply.instance(), what);
                }
                changed.run();
            } else {
                LOG.warn("Reply {} on {}/{} {}, but this node no longer held its claim: not recorded here",
                        reply.replyId(), reply.channel(), reply.instance(), what);
            }
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
    private static final java.util.regex.Pattern HOST_PORT =
            java.util.regex.Pattern.compile("(?<![\\w/.@-])([A-Za-z0-9][A-Za-z0-9.-]*:\\d{1,5})(?![\\w/])");

    static String reason(Throwable e) {
        // before the walk below: the JDK's HTTP client reports a refused connection as a ConnectException with no
        // message caused by a ClosedChannelException, which the walk would tell as a connection that closed
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof ConnectException) {
                // host:port when the client named them (Apache's "Connect to host:port [...] failed"), never more
                // of its message: a URL's path or query may hold a token
                java.util.regex.Matcher peer = c.getMessage() == null ? null : HOST_PORT.matcher(c.getMessage());
                return "connection refused" + (peer != null && peer.find() ? " by " + peer.group(1) : "")
                        + ": is the peer running? check the url in its configuration";
            }
        }
        Throwable t = e;
        while (t.getCause() != null && (t.getMessage() == null || t.getMessage().isBlank()
                || t.getMessage().equals(t.getCause().toString()))) {
            t = t.getCause();
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
        close(STOP_GRACE);
    }

    /**
     * Stops claiming, lets go of the claims whose send has not started, and waits up to {@code grace} for the sends in
     * flight to return. Those still running keep their claims, renewed until they return.
     */
    void close(Duration grace) throws InterruptedException {
        open = false;
        for (DoorWorker worker : workers.values()) {
            worker.stop();
        }
        List<ReplyClaim> notStarted = new ArrayList<>();
        for (Delivery d : deliveries.values()) {
            if (d.cancel()) {
                notStarted.add(d.claim);
            }
        }
        try {
            store.releaseClaims(notStarted);
        } catch (RuntimeException e) {
            LOG.info("Could not let go of the claims not yet sent; they run out by themselves: {}", e.getMessage());
        }
        long until = System.nanoTime() + grace.toNanos();
        for (DoorWorker worker : workers.values()) {
            worker.sending.awaitTermination(Math.max(0, until - System.nanoTime()), TimeUnit.NANOSECONDS);
        }
        workers.clear();
        if (!deliveries.isEmpty()) {
            LOG.warn("{} replies are still being sent; this node keeps their claims until the sends return",
                    deliveries.size());
        }
        try {
            store.releaseRouteClaims(node);
        } catch (RuntimeException e) {
            LOG.info("Could not let go of this node's routing claims; they run out by themselves: {}", e.getMessage());
        }
    }
}
