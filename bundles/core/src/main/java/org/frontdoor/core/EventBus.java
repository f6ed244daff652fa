package org.frontdoor.core;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import org.frontdoor.api.ConversationEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers conversation events to the {@code frontdoor:events} consumers, in order, on one thread of its own, so a
 * slow department integration never slows the pipeline.
 */
final class EventBus implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EventBus.class);

    /** A consumer and the events it wants. */
    interface Subscriber {
        boolean wants(ConversationEvent event);

        void deliver(ConversationEvent event) throws Exception;
    }

    private final List<Subscriber> subscribers = new CopyOnWriteArrayList<>();
    private final ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "frontdoor-events");
        t.setDaemon(true);
        return t;
    });

    void subscribe(Subscriber s) {
        subscribers.add(s);
    }

    void unsubscribe(Subscriber s) {
        subscribers.remove(s);
    }

    void publish(List<ConversationEvent> events) {
        if (events.isEmpty() || subscribers.isEmpty()) {
            return;
        }
        executor.execute(() -> {
            for (ConversationEvent e : events) {
                for (Subscriber s : subscribers) {
                    if (s.wants(e)) {
                        try {
                            s.deliver(e);
                        } catch (Exception ex) {
                            LOG.warn("An events consumer failed on {} of conversation {}: {}", e.type().id(),
                                    e.conversationId(), ex.toString());
                        }
                    }
                }
            }
        });
    }

    static Predicate<ConversationEvent> filter(ConversationEvent.Type type, String department) {
        return e -> (type == null || e.type() == type) && (department == null || department.equals(e.department()));
    }

    @Override
    public void close() throws InterruptedException {
        executor.shutdown();
        executor.awaitTermination(10, TimeUnit.SECONDS);
    }
}
