package org.frontdoor.channel.webchat;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The visitors connected to this node and what was pushed to them: each open WebSocket and each waiting poll is a
 * listener under the visitor's key ({@code <instance>:<visitorId>}). An agent's reply is pushed to every listener of
 * its visitor and kept in a short per-visitor list, so that a poll that arrives between two waits still gets it.
 * Replies delivered by another node reach this one through the event log ({@link WebchatRuntime}), and a repeat of a
 * reply already pushed is dropped here.
 */
final class LiveVisitors {

    /** Replies kept per visitor for polls that were not waiting when the reply came. */
    private static final int RECENT = 50;

    /**
     * One pushed agent reply: its id, its place in the conversation (seq, commit order; 0 when not known) and the frame
     * the widget gets.
     */
    record Pushed(long replyId, long seq, String frame) {

        /** Whether a poll that has everything up to {@code afterSeq} still wants this (a seq not known: it may). */
        boolean after(long afterSeq) {
            return replyId < 0 || seq <= 0 || seq > afterSeq;
        }
    }

    private static final class Visitor {
        final Set<Consumer<Pushed>> listeners = ConcurrentHashMap.newKeySet();
        final Deque<Pushed> recent = new ArrayDeque<>();
        volatile long conversationId;
        volatile long idleSince;
    }

    /** How long a visitor without listeners is remembered: a polling widget has none between two polls. */
    private static final long IDLE_MILLIS = 120_000;
    private final java.util.concurrent.atomic.AtomicInteger listens = new java.util.concurrent.atomic.AtomicInteger();

    private final Map<String, Visitor> visitors = new ConcurrentHashMap<>();
    private final Map<Long, String> byConversation = new ConcurrentHashMap<>();

    static String key(String instance, String visitorId) {
        return instance + ":" + visitorId;
    }

    void listen(String key, Consumer<Pushed> listener) {
        visitors.compute(key, (k, v) -> {
            Visitor visitor = v == null ? new Visitor() : v;
            visitor.listeners.add(listener);
            return visitor;
        });
        if ((listens.incrementAndGet() & 255) == 0) {
            sweep(System.currentTimeMillis());
        }
    }

    /** Forgets the visitors that have had no listener for a while. */
    void sweep(long now) {
        visitors.forEach((k, v) -> {
            if (v.listeners.isEmpty() && now - v.idleSince > IDLE_MILLIS) {
                visitors.computeIfPresent(k, (key, current) -> {
                    if (current.listeners.isEmpty()) {
                        if (current.conversationId != 0) {
                            byConversation.remove(current.conversationId, key);
                        }
                        return null;
                    }
                    return current;
                });
            }
        });
    }

    void unlisten(String key, Consumer<Pushed> listener) {
        visitors.computeIfPresent(key, (k, v) -> {
            v.listeners.remove(listener);
            if (v.listeners.isEmpty()) {
                v.idleSince = System.currentTimeMillis();
            }
            return v;
        });
    }

    /** Remembers the visitor's conversation while the visitor is connected, for replies that come by the event log. */
    void conversation(String key, long conversationId) {
        Visitor v = visitors.get(key);
        if (v != null && conversationId > 0) {
            v.conversationId = conversationId;
            byConversation.put(conversationId, key);
        }
    }

    /** The key of a connected visitor of this conversation, or null. */
    String visitorOf(long conversationId) {
        return byConversation.get(conversationId);
    }

    /**
     * How long the visitor has had no connection to this node: -1 while connected, {@link Long#MAX_VALUE} when this
     * node does not know the visitor (never connected here, or forgotten after a while).
     */
    long goneForMillis(String key, long now) {
        Visitor v = visitors.get(key);
        if (v == null) {
            return Long.MAX_VALUE;
        }
        return v.listeners.isEmpty() ? Math.max(0, now - v.idleSince) : -1;
    }

    boolean isConnected(String key) {
        Visitor v = visitors.get(key);
        return v != null && !v.listeners.isEmpty();
    }

    /** Pushes a reply to every listener of the visitor, once per reply id; false when it was pushed before. */
    boolean push(String key, long replyId, String frame) {
        return push(key, replyId, 0, frame);
    }

    /** Pushes a reply with its place in the conversation, once per reply id; false when it was pushed before. */
    boolean push(String key, long replyId, long seq, String frame) {
        Visitor v = visitors.get(key);
        if (v == null) {
            return false;
        }
        Pushed pushed = new Pushed(replyId, seq, frame);
        synchronized (v.recent) {
            for (Pushed p : v.recent) {
                if (p.replyId() == replyId) {
                    return false;
                }
            }
            v.recent.addLast(pushed);
            if (v.recent.size() > RECENT) {
                v.recent.removeFirst();
            }
        }
        for (Consumer<Pushed> listener : List.copyOf(v.listeners)) {
            listener.accept(pushed);
        }
        return true;
    }

    /** Tells the visitor's listeners something that is not kept (an agent joined): a frame with reply id -1. */
    void notice(String key, String frame) {
        Visitor v = visitors.get(key);
        if (v != null) {
            Pushed pushed = new Pushed(-1, -1, frame);
            for (Consumer<Pushed> listener : List.copyOf(v.listeners)) {
                listener.accept(pushed);
            }
        }
    }

    /**
     * The replies pushed to a connected visitor after a place in the conversation (seq: commit order, never ids, which
     * nodes take in blocks), and those whose place is not known.
     */
    List<Pushed> pushedAfter(String key, long afterSeq) {
        Visitor v = visitors.get(key);
        List<Pushed> out = new ArrayList<>();
        if (v != null) {
            synchronized (v.recent) {
                for (Pushed p : v.recent) {
                    if (p.after(afterSeq)) {
                        out.add(p);
                    }
                }
            }
        }
        return out;
    }

    int connected() {
        int n = 0;
        for (Visitor v : visitors.values()) {
            n += v.listeners.isEmpty() ? 0 : 1;
        }
        return n;
    }
}
