package org.frontdoor.integration.support;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

import org.apache.camel.Consumer;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.support.DefaultComponent;
import org.apache.camel.support.DefaultConsumer;
import org.apache.camel.support.DefaultEndpoint;
import org.frontdoor.api.ConversationEvent;
import org.frontdoor.api.Frontdoor;

/**
 * A stand-in for core's {@code frontdoor:events} with core's promise: in order, one at a time per consumer, the
 * position moved only after the route returned, the same event again (after a short growing wait) when it threw, and
 * positions kept across routes stopping and starting again (as core keeps them in the database). Add the same
 * instance to each new CamelContext to play an uninstall and a reinstall.
 */
public final class StandInEvents extends DefaultComponent {

    private final List<ConversationEvent> log = new CopyOnWriteArrayList<>();
    private final Map<String, Long> positions = new ConcurrentHashMap<>();
    private final Map<String, String> lastErrors = new ConcurrentHashMap<>();
    private final Object signal = new Object();

    /** Appends an event at the next position. */
    public ConversationEvent append(ConversationEvent.Type type, long conversationId, String department,
                                    String previousDepartment, String preview) {
        synchronized (signal) {
            long position = log.size() + 1;
            ConversationEvent event = new ConversationEvent(position, type, conversationId, "api", "demo", department,
                    0, "system", java.time.Instant.now(), null, previousDepartment, false, 7, "Ada", preview);
            log.add(event);
            signal.notifyAll();
            return event;
        }
    }

    public long position(String consumer) {
        return positions.getOrDefault(consumer, 0L);
    }

    public String lastError(String consumer) {
        return lastErrors.get(consumer);
    }

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) {
        String consumer = (String) parameters.remove("consumer");
        String types = (String) parameters.remove("types");
        String department = (String) parameters.remove("department");
        parameters.remove("start");
        Set<String> typeIds = types == null ? Set.of()
                : Arrays.stream(types.split(",")).map(String::trim).collect(Collectors.toSet());
        return new DefaultEndpoint(uri, this) {
            @Override
            public Producer createProducer() {
                throw new UnsupportedOperationException();
            }

            @Override
            public Consumer createConsumer(Processor processor) {
                return new Runner(this, processor, consumer, typeIds, department);
            }
        };
    }

    private final class Runner extends DefaultConsumer {
        private final String name;
        private final Set<String> types;
        private final String department;
        private volatile boolean active;
        private Thread thread;

        Runner(Endpoint endpoint, Processor processor, String name, Set<String> types, String department) {
            super(endpoint, processor);
            this.name = name;
            this.types = types;
            this.department = department;
        }

        private boolean matches(ConversationEvent e) {
            return (types.isEmpty() || types.contains(e.type().id())) && (department == null
                    || department.equals(e.department()) || department.equals(e.previousDepartment()));
        }

        @Override
        protected void doStart() throws Exception {
            super.doStart();
            active = true;
            thread = new Thread(this::run, "stand-in-events-" + name);
            thread.setDaemon(true);
            thread.start();
        }

        @Override
        protected void doStop() throws Exception {
            active = false;
            synchronized (signal) {
                signal.notifyAll();
            }
            thread.interrupt();
            thread.join(10_000);
            super.doStop();
        }

        private void run() {
            long wait = 20;
            while (active) {
                ConversationEvent next = null;
                synchronized (signal) {
                    long position = position(name);
                    List<ConversationEvent> after = new ArrayList<>(log.subList((int) position, log.size()));
                    for (ConversationEvent e : after) {
                        if (matches(e)) {
                            next = e;
                            break;
                        }
                        positions.put(name, e.position());
                    }
                    if (next == null) {
                        try {
                            signal.wait(200);
                        } catch (InterruptedException e) {
                            return;
                        }
                        continue;
                    }
                }
                Exchange exchange = createExchange(false);
                exchange.getMessage().setBody(next);
                exchange.getMessage().setHeader(Frontdoor.HEADER_EVENT_POSITION, next.position());
                exchange.getMessage().setHeader(Frontdoor.HEADER_LEASE_GENERATION, 1L);
                exchange.getMessage().setHeader(Frontdoor.HEADER_CONVERSATION_ID, next.conversationId());
                exchange.getMessage().setHeader(Frontdoor.HEADER_EVENT_TYPE, next.type().id());
                try {
                    getProcessor().process(exchange);
                } catch (Exception e) {
                    exchange.setException(e);
                }
                if (exchange.getException() == null) {
                    positions.put(name, next.position());
                    lastErrors.remove(name);
                    wait = 20;
                } else if (active) {
                    lastErrors.put(name, exchange.getException().getMessage());
                    synchronized (signal) {
                        try {
                            signal.wait(wait);
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                    wait = Math.min(wait * 2, 200);
                }
            }
        }
    }
}
