package org.frontdoor.testkit;

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
 * A stand-in for core's {@code frontdoor:} Camel component on the event side ({@code from("frontdoor:events?consumer=
 * ...&types=...&department=...")}), for a plugin's unit tests without a distribution. It keeps core's promise: in
 * order, one at a time per consumer, the position moved only after the route returned, the same event again (after a
 * short growing wait) when it threw, and positions kept across routes stopping and starting again (as core keeps them
 * in the database). The exchange carries the {@link ConversationEvent} as its body and core's headers
 * ({@link Frontdoor#HEADER_EVENT_POSITION}, {@link Frontdoor#HEADER_LEASE_GENERATION},
 * {@link Frontdoor#HEADER_CONVERSATION_ID}, {@link Frontdoor#HEADER_EVENT_TYPE}).
 *
 * <pre>{@code
 * StandInEvents events = new StandInEvents();
 * DefaultCamelContext camel = new DefaultCamelContext();
 * camel.addComponent(Frontdoor.SCHEME, events);
 * // ... start the plugin's routes on camel ...
 * events.append(ConversationEvent.Type.ROUTED, 1, "sales", null, "hello");
 * await().until(() -> events.position("integration.acme-crm") == 1);
 * }</pre>
 * Add the same instance to each new CamelContext to play an uninstall and a reinstall. Only consumers: a producer
 * ({@code to("frontdoor:...")}) is refused.
 */
public final class StandInEvents extends DefaultComponent {

    private final List<ConversationEvent> log = new CopyOnWriteArrayList<>();
    private final Map<String, Long> positions = new ConcurrentHashMap<>();
    private final Map<String, String> lastErrors = new ConcurrentHashMap<>();
    private final Object signal = new Object();

    /**
     * Appends an event at the next position: a conversation of customer 7 ("Ada") that came in through the demo HTTP
     * channel instance, the actor {@code system}, now.
     */
    public ConversationEvent append(ConversationEvent.Type type, long conversationId, String department,
                                    String previousDepartment, String preview) {
        return append(position -> new ConversationEvent(position, type, conversationId, "api", "demo", department,
                0, "system", java.time.Instant.now(), null, previousDepartment, false, 7, "Ada", preview));
    }

    /** Appends the event {@code at} makes of the next position (1, 2, ...), for events of any shape. */
    public ConversationEvent append(java.util.function.LongFunction<ConversationEvent> at) {
        synchronized (signal) {
            long position = log.size() + 1;
            ConversationEvent event = at.apply(position);
            if (event.position() != position) {
                throw new IllegalArgumentException("the event must be at position " + position);
            }
            log.add(event);
            signal.notifyAll();
            return event;
        }
    }

    /** Every event appended so far, in order. */
    public List<ConversationEvent> events() {
        return List.copyOf(log);
    }

    /** The position a consumer has handled up to (0 before its first event), as core keeps it. */
    public long position(String consumer) {
        return positions.getOrDefault(consumer, 0L);
    }

    /** The message of the exception a consumer's route threw last, or {@code null} once an event went through. */
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
