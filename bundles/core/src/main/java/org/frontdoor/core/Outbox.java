package org.frontdoor.core;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

import org.frontdoor.api.OutboundReply;
import org.frontdoor.store.Store;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands stored replies to the channel that sends them ({@code from("frontdoor:outbound?channel=ID")}). A reply
 * waits in the store while its channel has no consumer; a failure is recorded with its reason and retried with
 * exponential backoff.
 */
final class Outbox {

    private static final Logger LOG = LoggerFactory.getLogger(Outbox.class);
    static final int BATCH = 50;

    /** Sends replies of one channel: an outbound consumer. */
    interface Sender {
        String channel();

        void send(OutboundReply reply) throws Exception;
    }

    private final Store store;
    private final Signal signal;
    private final Duration retryInitial;
    private final Duration retryMax;
    private final Clock clock;
    private final Map<String, List<Sender>> senders = new ConcurrentHashMap<>();

    Outbox(Store store, Signal signal, Duration retryInitial, Duration retryMax) {
        this(store, signal, retryInitial, retryMax, Clock.systemUTC());
    }

    /** With the clock that decides when a reply is due (tests move it instead of waiting). */
    Outbox(Store store, Signal signal, Duration retryInitial, Duration retryMax, Clock clock) {
        this.store = store;
        this.clock = clock;
        this.signal = signal;
        this.retryInitial = retryInitial;
        this.retryMax = retryMax;
    }

    void register(Sender sender) {
        senders.computeIfAbsent(sender.channel(), c -> new CopyOnWriteArrayList<>()).add(sender);
        LOG.info("Replies on channel {} are sent again", sender.channel());
        signal.raise();
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

    void wakeUp() {
        signal.raise();
    }

    Set<String> channels() {
        return senders.entrySet().stream().filter(e -> !e.getValue().isEmpty()).map(Map.Entry::getKey)
                .collect(Collectors.toSet());
    }

    /** Sends every reply that is due; returns how many were attempted. */
    int deliverDue() {
        int attempted = 0;
        while (true) {
            Set<String> channels = channels();
            List<OutboundReply> due = store.dueReplies(channels, clock.instant(), BATCH);
            for (OutboundReply reply : due) {
                List<Sender> list = senders.get(reply.channel());
                Sender sender = list == null || list.isEmpty() ? null : list.get(0);
                if (sender == null) {
                    continue;
                }
                attempted++;
                try {
                    sender.send(reply);
                    store.replySent(reply.replyId(), clock.instant());
                } catch (Exception e) {
                    Instant next = clock.instant().plus(backoff(reply.attempt()));
                    store.replyFailed(reply.replyId(), reason(e), next);
                    LOG.info("Reply {} on {}/{} failed (attempt {}), next try at {}: {}", reply.replyId(),
                            reply.channel(), reply.instance(), reply.attempt(), next, reason(e));
                }
            }
            if (due.size() < BATCH) {
                return attempted;
            }
        }
    }

    Duration backoff(int attempt) {
        int doublings = Math.min(Math.max(attempt - 1, 0), 30);
        Duration wait = retryInitial.multipliedBy(1L << doublings);
        return wait.compareTo(retryMax) > 0 ? retryMax : wait;
    }

    static String reason(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getMessage() == null) {
            t = t.getCause();
        }
        return t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName();
    }
}
