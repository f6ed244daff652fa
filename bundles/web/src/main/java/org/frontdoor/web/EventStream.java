package org.frontdoor.web;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

import javax.servlet.AsyncContext;
import javax.servlet.AsyncEvent;
import javax.servlet.AsyncListener;
import javax.servlet.ServletOutputStream;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.frontdoor.api.Caller;
import org.frontdoor.api.ConversationEvent;
import org.frontdoor.api.EventFilter;
import org.frontdoor.api.inbox.EventPage;
import org.frontdoor.api.inbox.Inbox;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /api/v1/events/stream}: the durable event log as Server-Sent Events, each event within the caller's scope
 * as {@code id: position} and {@code data: the event as /events gives it}. A client resumes after a position
 * ({@code Last-Event-ID}, which browsers send when they reconnect, or {@code ?after=N}), so a reconnect catches up.
 *
 * <p>No thread is held per client: each stream is a servlet async request. One shared thread asks the log, only
 * while streams are open, whether anything came after the furthest position a stream has read; when something did,
 * each stream reads its own page (its scope) and is written to. It asks when core says this node committed events
 * ({@link #committed}, from {@link org.frontdoor.api.live.EventCommits}: a burst of commits is one look), and every
 * {@link #FALLBACK_POLL_MILLIS} ms for the events other nodes on the same database commit.
 * Limits: {@link #MAX_STREAMS} open streams per node (503 beyond); a client that reads nothing is dropped when a
 * write fails; the stream ends after {@link #TIMEOUT_MILLIS} and the browser reconnects from its last id.
 */
final class EventStream implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EventStream.class);
    /** How often the log is asked without a wake-up: what another node commits shows within this. */
    static final long FALLBACK_POLL_MILLIS = 2_000;
    static final long KEEPALIVE_MILLIS = 15_000;
    static final long TIMEOUT_MILLIS = 30 * 60_000;
    static final int MAX_STREAMS = 2_000;
    private static final int PAGE = 200;
    private static final Caller PROBE = Caller.system("event-stream");

    private final class Client {
        final AsyncContext context;
        final Caller caller;
        volatile long position;

        Client(AsyncContext context, Caller caller, long position) {
            this.context = context;
            this.caller = caller;
            this.position = position;
        }
    }

    private final Supplier<Inbox> inbox;
    private final Set<Client> clients = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "frontdoor-event-stream");
        t.setDaemon(true);
        return t;
    });
    private long lastKeepAlive = System.nanoTime();

    /** A look at the log is asked for and has not started yet: further wake-ups add nothing. */
    private final AtomicBoolean looking = new AtomicBoolean();

    EventStream(Supplier<Inbox> inbox) {
        this(inbox, FALLBACK_POLL_MILLIS);
    }

    EventStream(Supplier<Inbox> inbox, long pollMillis) {
        this.inbox = inbox;
        timer.scheduleWithFixedDelay(this::poll, pollMillis, pollMillis, TimeUnit.MILLISECONDS);
    }

    /** This node committed events: the streams look at once (on their own thread; the caller only hands it over). */
    void committed() {
        if (!clients.isEmpty() && looking.compareAndSet(false, true)) {
            try {
                timer.execute(() -> {
                    looking.set(false);
                    poll();
                });
            } catch (java.util.concurrent.RejectedExecutionException closed) {
                looking.set(false);
            }
        }
    }

    int open() {
        return clients.size();
    }

    /** {@code ?after=now}: from the latest event on (a view that has just read the current state). */
    static final long NOW = -1;

    /**
     * Where a request resumes: {@code Last-Event-ID}, else {@code ?after=} (a position, or {@code now}), else 0
     * (everything it may see).
     */
    static long resumeFrom(String lastEventId, String after) {
        String value = lastEventId != null && !lastEventId.isBlank() ? lastEventId : after;
        if (value == null || value.isBlank()) {
            return 0;
        }
        if ("now".equals(value.strip())) {
            return NOW;
        }
        try {
            long position = Long.parseLong(value.strip());
            if (position < 0) {
                throw new RestHandler.BadRequest("after must be a position from an earlier event, or 0");
            }
            return position;
        } catch (NumberFormatException e) {
            throw new RestHandler.BadRequest("after (or Last-Event-ID) must be a position from an earlier event");
        }
    }

    /** Starts a stream for a caller let through by ApiServlet; answers 503 itself when it cannot. */
    void start(HttpServletRequest request, HttpServletResponse response, Caller caller, long after)
            throws IOException {
        if (inbox.get() == null) {
            ApiServlet.write(response, Reply.error(503, "Frontdoor core is not running").with("Retry-After", "10"));
            return;
        }
        if (clients.size() >= MAX_STREAMS) {
            ApiServlet.write(response, Reply.error(503, "too many open event streams on this node; try again shortly")
                    .with("Retry-After", "10"));
            return;
        }
        response.setStatus(200);
        response.setContentType("text/event-stream");
        response.setCharacterEncoding("UTF-8");
        response.setHeader("Cache-Control", "no-store");
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setHeader("X-Accel-Buffering", "no");
        long from = after == NOW ? inbox.get().eventHead() : after;
        AsyncContext context = request.startAsync();
        context.setTimeout(TIMEOUT_MILLIS);
        Client client = new Client(context, caller, from);
        context.addListener(new AsyncListener() {
            @Override
            public void onComplete(AsyncEvent event) {
                clients.remove(client);
            }

            @Override
            public void onTimeout(AsyncEvent event) {
                clients.remove(client);
                event.getAsyncContext().complete();
            }

            @Override
            public void onError(AsyncEvent event) {
                clients.remove(client);
            }

            @Override
            public void onStartAsync(AsyncEvent event) {
            }
        });
        clients.add(client);
        timer.execute(() -> {
            // "ready" names where the stream starts (also as its id, so a reconnect before any event resumes there)
            if (write(client, "retry: 3000\nid: " + from + "\nevent: ready\ndata: {\"position\": " + from + "}\n\n")) {
                deliver(client);
            }
        });
    }

    private void poll() {
        try {
            if (clients.isEmpty()) {
                return;
            }
            Inbox in = inbox.get();
            if (in == null) {
                return;
            }
            long furthest = clients.stream().mapToLong(c -> c.position).max().orElse(0);
            // anything after the furthest position any stream has read: then every stream reads its own page
            boolean news = !in.events(PROBE, furthest, 1, EventFilter.ALL).events().isEmpty();
            if (news) {
                clients.forEach(this::deliver);
            } else if (clients.stream().anyMatch(c -> c.position < furthest)) {
                // a stream that started behind (a reconnect) catches up without waiting for something new
                clients.stream().filter(c -> c.position < furthest).forEach(this::deliver);
            }
            if (System.nanoTime() - lastKeepAlive > TimeUnit.MILLISECONDS.toNanos(KEEPALIVE_MILLIS)) {
                lastKeepAlive = System.nanoTime();
                clients.forEach(c -> write(c, ": keep-alive\n\n"));
            }
        } catch (RuntimeException e) {
            LOG.warn("the event stream could not read the event log now: {}", e.toString());
        }
    }

    /** Writes what the client has not had yet, page by page. */
    private void deliver(Client client) {
        Inbox in = inbox.get();
        if (in == null || !clients.contains(client)) {
            return;
        }
        for (int pages = 0; pages < 50; pages++) {
            EventPage page = in.events(client.caller, client.position, PAGE, EventFilter.ALL);
            StringBuilder out = new StringBuilder();
            for (ConversationEvent event : page.events()) {
                try {
                    out.append("id: ").append(event.position()).append('\n')
                            .append("data: ").append(Json.MAPPER.writeValueAsString(event)).append("\n\n");
                } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                    throw new IllegalStateException(e);
                }
            }
            boolean moved = page.next() > client.position;
            if (out.length() > 0 && !write(client, out.toString())) {
                return;
            }
            client.position = Math.max(client.position, page.next());
            if (!moved || page.events().size() < PAGE) {
                return;
            }
        }
    }

    private boolean write(Client client, String text) {
        try {
            ServletOutputStream out = client.context.getResponse().getOutputStream();
            out.write(text.getBytes(StandardCharsets.UTF_8));
            out.flush();
            return true;
        } catch (IOException | IllegalStateException e) {
            clients.remove(client);
            try {
                client.context.complete();
            } catch (IllegalStateException ignored) {
                // already completed
            }
            return false;
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
        clients.forEach(c -> {
            try {
                c.context.complete();
            } catch (IllegalStateException ignored) {
                // already completed
            }
        });
        clients.clear();
    }
}
