package org.frontdoor.channel.mastodon;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import com.fasterxml.jackson.databind.JsonNode;
import org.frontdoor.api.Channel;
import org.frontdoor.api.ChannelCapabilities;
import org.frontdoor.api.ChannelHealth;
import org.frontdoor.api.ChannelHealth.Status;
import org.frontdoor.api.FactoryConfigurations;
import org.frontdoor.api.doorstate.DoorStates;
import org.frontdoor.api.IngestReceipt;
import org.frontdoor.api.Message;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Mastodon account (a factory configuration), registered as a {@link Channel} with
 * {@code frontdoor.channel=mastodon} and {@code frontdoor.instance=<name>}. A thread of its own pulls the account's
 * mentions: it opens the notification stream, then catches up from {@code GET /api/v1/notifications} since the newest
 * notification it has seen (so a mention posted while the stream was down is not missed), then reads the stream;
 * after any drop or error it waits (1 s, doubling up to maxReconnectSeconds) and does it all again. A mention is
 * stored through core (the status id is the dedupe key, so one seen twice is stored once) before the newest seen
 * notification id moves on; that id is kept in core's door state ({@link NewestSeen}), so another node and a
 * reinstalled feature catch up from where this one stopped.
 */
@Component(configurationPid = MastodonInstance.FACTORY_PID, configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = {}, immediate = true)
@Designate(ocd = MastodonChannelConfig.class, factory = true)
public class MastodonInstance implements Channel {

    static final String FACTORY_PID = "org.frontdoor.channel.mastodon";
    static final String CHANNEL_ID = "mastodon";
    /** Mastodon's own default status length, when the server does not say. */
    static final int DEFAULT_MAX_CHARACTERS = 500;
    /**
     * Room kept for the {@code @username } a reply starts with when the agent did not write it: Mastodon counts a
     * mention by its user name (at most 30 characters), with the '@' and a space.
     */
    static final int MENTION_ROOM = 32;
    /** Mentions asked per page of the notifications endpoint (Mastodon's maximum for it is 80). */
    static final int PAGE = 40;
    /** The most pages one catch-up reads: 40 x 100 mentions. */
    static final int MAX_PAGES = 100;
    private static final Duration STORE_TIMEOUT = Duration.ofSeconds(60);
    private static final Logger LOG = LoggerFactory.getLogger(MastodonInstance.class);

    /** Hands a mention to core; completes once it is stored. */
    @FunctionalInterface
    interface Ingest {
        CompletionStage<IngestReceipt> ingest(Message message);
    }

    /** Core could not store a mention now: the stream is dropped and the mention caught up later. */
    static final class NotStored extends Exception {
        private static final long serialVersionUID = 1L;

        NotStored(String message) {
            super(message, null, false, false);
        }
    }

    private final String instance;
    private final String source;
    private final MastodonApi api;
    private final URI configuredStreaming;
    private final int configuredMax;
    private final int initialBacklog;
    private final Duration idle;
    private final Duration maxReconnect;
    private final Duration authRetry;
    private final Duration requestTimeout;
    private final Clock clock;
    private final Ingest ingest;
    private final NewestSeen newestSeen;
    private final AtomicReference<ChannelHealth> health = new AtomicReference<>();
    private final AtomicReference<Instant> rateLimitedUntil = new AtomicReference<>(Instant.EPOCH);
    private final AtomicReference<String> mark = new AtomicReference<>();
    private final AtomicLong lastByte = new AtomicLong();
    private final AtomicLong stored = new AtomicLong();
    private final Object sleeper = new Object();
    private volatile boolean stopped;
    private boolean woken;
    private final ServiceRegistration<Channel> registration;
    private final ScheduledExecutorService watchdog;
    private final Thread puller;
    private volatile int maxCharacters;
    private volatile URI streaming;
    private volatile boolean configured;
    private volatile InputStream current;

    @Activate
    public MastodonInstance(BundleContext context, MastodonChannelConfig config, Map<String, Object> properties,
                            @Reference MastodonChannelRuntime runtime, @Reference DoorStates states) {
        this(context, config, properties, runtime::ingest,
                Path.of(System.getProperty("karaf.data", "data"), "frontdoor", "mastodon"), Clock.systemUTC(), states);
    }

    /** {@code dataDir}: where an older door kept its mark in a file, moved into {@code states} once. */
    MastodonInstance(BundleContext context, MastodonChannelConfig config, Map<String, Object> properties,
                     Ingest ingest, Path dataDir, Clock clock, DoorStates states) {
        this.clock = clock;
        this.ingest = ingest;
        this.instance = FactoryConfigurations.instanceName(config.instance(), FACTORY_PID, properties, "channel");
        if (!instance.matches("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")) {
            throw new IllegalArgumentException("channel instance name '" + instance + "' (from "
                    + FactoryConfigurations.source(properties) + ") must be letters, digits, '.', '_' or '-'");
        }
        this.source = FactoryConfigurations.source(properties);
        this.configuredMax = config.maxCharacters();
        this.maxCharacters = configuredMax > 0 ? configuredMax : DEFAULT_MAX_CHARACTERS;
        this.initialBacklog = Math.max(0, Math.min(400, config.initialBacklog()));
        this.idle = Duration.ofSeconds(Math.max(5, config.streamIdleSeconds()));
        this.maxReconnect = Duration.ofSeconds(Math.max(1, config.maxReconnectSeconds()));
        this.authRetry = Duration.ofSeconds(Math.max(1, config.authRetrySeconds()));
        this.requestTimeout = Duration.ofSeconds(Math.max(1, config.requestTimeoutSeconds()));
        Path markFile = dataDir.resolve("mastodon-" + instance + ".since");
        String problem = null;
        String token = config.accessToken() == null ? "" : config.accessToken().strip();
        if (token.isEmpty()) {
            problem = "no access token: set 'accessToken' in " + source + " to the token of an application of the "
                    + "account with the scopes read:notifications and write:statuses";
        } else if (!token.matches("[\\x21-\\x7e]+")) {
            problem = "'accessToken' in " + source + " is not a token (it has spaces or characters outside ASCII)";
        }
        URI base = httpUrl(config.baseUrl());
        if (problem == null && base == null) {
            problem = "'baseUrl' in " + source + " is not an http or https URL such as https://mastodon.social";
        }
        URI stream = null;
        if (problem == null && config.streamingUrl() != null && !config.streamingUrl().isBlank()) {
            stream = httpUrl(config.streamingUrl().replaceFirst("^wss:", "https:").replaceFirst("^ws:", "http:"));
            if (stream == null) {
                problem = "'streamingUrl' in " + source + " is not an http, https or wss URL";
            }
        }
        this.configuredStreaming = stream;
        this.streaming = stream != null ? stream : base;
        this.api = problem == null ? new MastodonApi(base, token, requestTimeout) : null;
        this.newestSeen = api == null ? null : new NewestSeen(states, instance, api.base().toString());
        if (problem == null) {
            try {
                newestSeen.importFile(markFile);
            } catch (IOException | RuntimeException e) {
                LOG.warn("Mastodon channel instance {}: {} could not be moved into the database ({}); it stays and is "
                        + "read at the next start", instance, markFile, e.getMessage());
            }
            health.set(new ChannelHealth(Status.DEGRADED, "connecting to the streaming API of " + api,
                    clock.instant()));
        } else {
            health.set(new ChannelHealth(Status.DOWN, problem, clock.instant()));
            LOG.error("Mastodon channel instance {} cannot work: {}", instance, problem);
        }
        Hashtable<String, Object> serviceProperties = new Hashtable<>();
        serviceProperties.put(Channel.CHANNEL, CHANNEL_ID);
        serviceProperties.put(Channel.INSTANCE, instance);
        // Mastodon takes 300 statuses in 3 hours from an account: two at once is plenty
        serviceProperties.put(Channel.REPLY_CONCURRENCY, 2);
        this.registration = context.registerService(Channel.class, this, serviceProperties);
        this.watchdog = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "frontdoor-mastodon-" + instance + "-watchdog");
            t.setDaemon(true);
            return t;
        });
        this.puller = new Thread(this::pull, "frontdoor-mastodon-" + instance);
        puller.setDaemon(true);
        if (api != null) {
            long every = Math.max(1000, idle.toMillis() / 4);
            watchdog.scheduleWithFixedDelay(this::watch, every, every, TimeUnit.MILLISECONDS);
            puller.start();
            LOG.info("Mastodon channel instance {} started for {}", instance, api);
        }
    }

    private static URI httpUrl(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            URI uri = URI.create(value.strip());
            return ("https".equals(uri.getScheme()) || "http".equals(uri.getScheme())) && uri.getHost() != null
                    && uri.getRawQuery() == null && uri.getUserInfo() == null ? uri : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    // --- the puller ---------------------------------------------------------------------------------------------

    private void pull() {
        int failures = 0;
        while (!stopping()) {
            Duration wait;
            try {
                configure();
                InputStream body = api.stream(streaming);
                current = body;
                try (BufferedReader events = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
                    // the stream is open: whatever is posted from now on comes through it, so catching up now
                    // leaves no gap; a mention in both is stored once
                    catchUp();
                    up();
                    failures = 0;
                    read(events);
                }
                if (stopping()) {
                    return;
                }
                wait = backoff(failures++);
                degraded(silent() ? idleReason() + "; opening it again in " + wait.toSeconds() + " s"
                        : "the stream from " + api + " ended; opening it again in " + wait.toSeconds() + " s");
            } catch (MastodonApi.Failure f) {
                if (stopping()) {
                    return;
                }
                switch (f.kind()) {
                    case TOKEN_REFUSED -> {
                        authExpired(f.getMessage());
                        wait = authRetry;
                    }
                    case RATE_LIMITED -> {
                        Instant until = f.retryAt() != null ? f.retryAt() : clock.instant().plus(backoff(failures++));
                        rateLimited(until);
                        wait = Duration.between(clock.instant(), until);
                        degraded(f.getMessage() + "; reading mentions again at " + until);
                    }
                    default -> {
                        wait = backoff(failures++);
                        degraded(f.getMessage() + "; trying again in " + wait.toSeconds() + " s");
                    }
                }
            } catch (IOException e) {
                if (stopping()) {
                    return;
                }
                wait = backoff(failures++);
                degraded(lostStream(e) + "; opening it again in " + wait.toSeconds() + " s");
            } catch (NotStored e) {
                wait = backoff(failures++);
                degraded(e.getMessage() + "; trying again in " + wait.toSeconds() + " s");
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                wait = backoff(failures++);
                LOG.error("Mastodon channel instance {}: the stream failed", instance, e);
                degraded("the stream failed: " + e.getClass().getSimpleName() + "; trying again in "
                        + wait.toSeconds() + " s");
            } finally {
                closeCurrent();
            }
            if (!sleep(wait)) {
                return;
            }
        }
    }

    private String lostStream(IOException e) {
        return silent() ? idleReason() : "the stream from " + api + " was dropped";
    }

    /** Whether the stream has been silent for streamIdleSeconds (the watchdog closed it). */
    private boolean silent() {
        return System.nanoTime() - lastByte.get() >= idle.toNanos();
    }

    private String idleReason() {
        return "no byte came from the stream of " + api + " for " + idle.toSeconds() + " s (not even a heartbeat)";
    }

    /** Once per start: the server's status length and streaming address ({@code GET /api/v2/instance}). */
    private void configure() throws InterruptedException, MastodonApi.Failure {
        if (configured) {
            return;
        }
        JsonNode server;
        try {
            server = api.instance();
        } catch (MastodonApi.Failure f) {
            if (f.kind() == MastodonApi.Kind.TOKEN_REFUSED) {
                throw f;
            }
            // not needed to stream: the defaults serve until the next start
            LOG.warn("Mastodon channel instance {}: {}; counting replies against {} characters", instance,
                    f.getMessage(), maxCharacters);
            configured = true;
            return;
        }
        JsonNode max = server.path("configuration").path("statuses").path("max_characters");
        if (configuredMax == 0 && max.canConvertToInt() && max.asInt() > MENTION_ROOM) {
            maxCharacters = max.asInt();
        }
        String advertised = server.path("configuration").path("urls").path("streaming").asText("");
        if (configuredStreaming == null && !advertised.isBlank()) {
            URI s = httpUrl(advertised.replaceFirst("^wss:", "https:").replaceFirst("^ws:", "http:"));
            // the token goes only over https, or to the very server the admin named
            if (s != null && ("https".equals(s.getScheme())
                    || MastodonApi.peer(s).equals(MastodonApi.peer(api.base())))) {
                streaming = s;
            }
        }
        configured = true;
    }

    /** The notifications since the newest seen, oldest first, each stored before the mark moves past it. */
    private void catchUp() throws MastodonApi.Failure, InterruptedException, NotStored {
        try {
            String stored = newestSeen.read(); // another node, or this door before a reinstall, may have moved it
            if (stored != null) {
                mark.getAndUpdate(m -> m == null || compareIds(stored, m) > 0 ? stored : m);
            }
        } catch (RuntimeException e) {
            throw new NotStored("the newest seen notification could not be read from the database ("
                    + describe(e) + "); catching up waits for it");
        }
        String since = mark.get();
        if (since == null && initialBacklog == 0) {
            // the first start: only mentions from now on
            MastodonApi.Page newest = api.mentions(null, 1);
            JsonNode first = newest.items().isArray() && newest.items().size() > 0 ? newest.items().get(0) : null;
            advance(first == null ? "0" : first.path("id").asText("0"));
            return;
        }
        int wanted = since == null ? initialBacklog : Integer.MAX_VALUE;
        List<JsonNode> fresh = new ArrayList<>();
        MastodonApi.Page page = api.mentions(since, since == null ? Math.min(PAGE, Math.max(1, wanted)) : PAGE);
        read:
        for (int pages = 1; ; pages++) {
            if (!page.items().isArray()) {
                throw new MastodonApi.Failure(MastodonApi.Kind.PASSING, 200, null,
                        "GET /api/v1/notifications answered something else than a list");
            }
            for (JsonNode n : page.items()) {
                String id = n.path("id").asText("");
                if (since != null && compareIds(id, since) <= 0) {
                    break read;
                }
                fresh.add(n);
                if (fresh.size() >= wanted) {
                    break read;
                }
            }
            if (page.items().isEmpty() || page.next() == null || pages >= MAX_PAGES) {
                break;
            }
            page = api.page(page.next());
        }
        Collections.reverse(fresh);
        for (JsonNode n : fresh) {
            take(n);
        }
        if (!fresh.isEmpty()) {
            LOG.info("Mastodon channel instance {} caught up {} notification(s) since {}", instance, fresh.size(),
                    since == null ? "its first start" : since);
        }
    }

    private void read(BufferedReader events) throws IOException, NotStored, InterruptedException {
        lastByte.set(System.nanoTime());
        MastodonNotifications.Event event;
        while ((event = MastodonNotifications.next(events, () -> lastByte.set(System.nanoTime()))) != null) {
            if (!"notification".equals(event.name())) {
                continue;
            }
            JsonNode n;
            try {
                n = MastodonNotifications.notification(event.data());
            } catch (IllegalArgumentException e) {
                LOG.warn("Mastodon channel instance {}: an event of the stream is not a notification: {}", instance,
                        e.getMessage());
                continue;
            }
            take(n);
        }
    }

    /** Stores a notification's mention (once), then moves the mark past it. */
    private void take(JsonNode n) throws NotStored, InterruptedException {
        String id = n.path("id").asText("");
        MastodonNotifications.Mention mention;
        try {
            mention = MastodonNotifications.mention(n);
        } catch (IllegalArgumentException e) {
            LOG.warn("Mastodon channel instance {}: notification {} is skipped: {}", instance, id, e.getMessage());
            advance(id);
            return;
        }
        if (mention != null) {
            try {
                IngestReceipt receipt = ingest.ingest(mention.message(instance)).toCompletableFuture()
                        .get(STORE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                if (!receipt.duplicate()) {
                    stored.incrementAndGet();
                }
            } catch (ExecutionException e) {
                if (e.getCause() instanceof IllegalArgumentException refused) {
                    // core refuses this message for good: taking it again would not change that
                    LOG.warn("Mastodon channel instance {}: core refused mention {}: {}", instance,
                            mention.statusId(), refused.getMessage());
                } else {
                    throw new NotStored("a mention could not be stored now (" + describe(e.getCause()) + ")");
                }
            } catch (TimeoutException e) {
                throw new NotStored("a mention was not stored within " + STORE_TIMEOUT.toSeconds() + " s");
            }
        }
        advance(id);
    }

    private static String describe(Throwable t) {
        return t == null ? "no reason" : t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName();
    }

    /** Moves the newest seen notification id forward (never back) and keeps it. */
    private void advance(String id) {
        if (id == null || id.isEmpty()) {
            return;
        }
        String before = mark.getAndUpdate(m -> m == null || compareIds(id, m) > 0 ? id : m);
        if (before == null || compareIds(id, before) > 0) {
            writeMark(id);
        }
    }

    /** Mastodon's ids are decimal numbers in strings: the longer is the newer, then the greater. */
    static int compareIds(String a, String b) {
        if (a.length() != b.length() && a.chars().allMatch(Character::isDigit)
                && b.chars().allMatch(Character::isDigit)) {
            return Integer.compare(a.length(), b.length());
        }
        return a.compareTo(b);
    }

    private void writeMark(String id) {
        try {
            newestSeen.advance(id);
        } catch (RuntimeException e) {
            // the mentions are stored; the next catch-up takes them again and they are stored once
            LOG.warn("Mastodon channel instance {}: the newest seen notification could not be kept in the database: {}",
                    instance, describe(e));
        }
    }

    private Duration backoff(int failures) {
        long seconds = 1L << Math.min(failures, 16);
        return Duration.ofSeconds(Math.min(seconds, maxReconnect.toSeconds()));
    }

    /** Closes a stream that has been silent for longer than streamIdleSeconds: the puller opens a new one. */
    private void watch() {
        InputStream stream = current;
        if (stream != null && System.nanoTime() - lastByte.get() > idle.toNanos()) {
            LOG.debug("Mastodon channel instance {}: no byte for {} s, closing the stream", instance,
                    idle.toSeconds());
            closeCurrent();
        }
    }

    private void closeCurrent() {
        InputStream stream = current;
        current = null;
        if (stream != null) {
            try {
                stream.close();
            } catch (IOException ignored) {
                // it is gone either way
            }
        }
    }

    private boolean stopping() {
        return stopped;
    }

    /** Waits before the next attempt; false when the instance stops meanwhile. A {@link #wake()} cuts it short. */
    private boolean sleep(Duration wait) {
        long end = System.nanoTime() + Math.max(0, wait.toNanos());
        synchronized (sleeper) {
            try {
                while (!stopped && !woken) {
                    long left = TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime());
                    if (left <= 0) {
                        break;
                    }
                    sleeper.wait(left);
                }
            } catch (InterruptedException e) {
                return false;
            }
            woken = false;
            return !stopped;
        }
    }

    private void wake() {
        synchronized (sleeper) {
            woken = true;
            sleeper.notifyAll();
        }
    }

    @Deactivate
    void deactivate() {
        stopped = true;
        wake();
        watchdog.shutdownNow();
        closeCurrent();
        puller.interrupt();
        try {
            registration.unregister();
        } catch (IllegalStateException alreadyGone) {
            // the bundle is stopping and took the registration with it
        }
        try {
            puller.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        LOG.info("Mastodon channel instance {} removed", instance);
    }

    // --- the Channel ------------------------------------------------------------------------------------------

    @Override
    public String id() {
        return CHANNEL_ID;
    }

    @Override
    public String instance() {
        return instance;
    }

    /**
     * Statuses of at most the server's max_characters, less {@link #MENTION_ROOM} for the mention the door puts in
     * front, counted as Mastodon counts; public and direct; no segmentation, no attachments.
     */
    @Override
    public ChannelCapabilities capabilities() {
        return new ChannelCapabilities(Math.max(1, maxCharacters - MENTION_ROOM),
                ChannelCapabilities.LengthCounting.MASTODON, false, true, true, true,
                ChannelCapabilities.Markup.NONE, false);
    }

    @Override
    public ChannelHealth health() {
        ChannelHealth now = health.get();
        Instant retry = now.since().plus(authRetry);
        if (now.status() == Status.AUTH_EXPIRED && !clock.instant().isBefore(retry)) {
            // core holds an AUTH_EXPIRED door's replies: after authRetrySeconds one is let through to try the token
            return new ChannelHealth(Status.DEGRADED, now.reason() + "; trying again", retry);
        }
        return now;
    }

    private void up() {
        ChannelHealth now = health.get();
        if (now.status() != Status.UP) {
            health.set(new ChannelHealth(Status.UP, null, clock.instant()));
            LOG.info("Mastodon channel instance {} is streaming mentions from {}", instance, api);
        }
    }

    private void degraded(String reason) {
        ChannelHealth now = health.get();
        if (now.status() == Status.AUTH_EXPIRED || now.status() == Status.DOWN) {
            return;
        }
        if (now.status() != Status.DEGRADED || !reason.equals(now.reason())) {
            health.set(new ChannelHealth(Status.DEGRADED, reason, clock.instant()));
            LOG.warn("Mastodon channel instance {}: {}", instance, reason);
        }
    }

    /** Mastodon refused the token: AUTH_EXPIRED, replies wait, until a new cfg (or a later try) works. */
    void authExpired(String why) {
        ChannelHealth now = health.get();
        if (now.status() == Status.AUTH_EXPIRED) {
            return;
        }
        String reason = why + ": the token was revoked or is wrong; create a new one with the scopes "
                + "read:notifications and write:statuses and set 'accessToken' in " + source;
        health.set(new ChannelHealth(Status.AUTH_EXPIRED, reason, clock.instant()));
        LOG.error("Mastodon channel instance {}: {}", instance, reason);
    }

    /** A reply went out: the token works. */
    void succeeded() {
        if (health.get().status() == Status.AUTH_EXPIRED) {
            health.set(new ChannelHealth(Status.DEGRADED, "the token works again; opening the stream again",
                    clock.instant()));
            wake();
        }
    }

    void rateLimited(Instant until) {
        rateLimitedUntil.accumulateAndGet(until, (a, b) -> a.isAfter(b) ? a : b);
    }

    Instant rateLimitedUntil() {
        return rateLimitedUntil.get();
    }

    Instant now() {
        return clock.instant();
    }

    boolean usable() {
        return api != null;
    }

    MastodonApi api() {
        return api;
    }

    String source() {
        return source;
    }

    int maxCharacters() {
        return maxCharacters;
    }

    /** The newest notification id seen and stored, or null before the first. */
    String newestSeen() {
        return mark.get();
    }

    /** Mentions stored (not counting those core already had). */
    long stored() {
        return stored.get();
    }

    @Override
    public String toString() {
        return "mastodon/" + instance;
    }
}
