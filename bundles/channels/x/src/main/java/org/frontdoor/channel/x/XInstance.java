package org.frontdoor.channel.x;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Hashtable;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

import org.frontdoor.api.Channel;
import org.frontdoor.api.ChannelCapabilities;
import org.frontdoor.api.ChannelCapabilities.LengthCounting;
import org.frontdoor.api.ChannelCapabilities.Markup;
import org.frontdoor.api.ChannelHealth;
import org.frontdoor.api.ChannelHealth.Status;
import org.frontdoor.api.ChannelModeration;
import org.frontdoor.api.ModerationRefusedException;
import org.frontdoor.api.ModerationUnavailableException;
import org.frontdoor.api.FactoryConfigurations;
import org.frontdoor.api.doorstate.DoorStates;
import org.frontdoor.api.SecretFile;
import org.frontdoor.plugin.camel.DoorHealth;
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
 * One X account (a factory configuration). It registers itself as a {@link Channel} service with
 * {@code frontdoor.channel=x} and {@code frontdoor.instance=<name>}; the webhook servlet and the reply route find
 * instances through those services. Secrets and tokens are never logged, never part of a reason.
 */
@Component(configurationPid = XInstance.FACTORY_PID, configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = {}, immediate = true)
@Designate(ocd = XChannelConfig.class, factory = true)
public class XInstance implements Channel, ChannelModeration {

    static final String FACTORY_PID = "org.frontdoor.channel.x";
    static final String CHANNEL_ID = "x";
    private static final Logger LOG = LoggerFactory.getLogger(XInstance.class);
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss 'UTC'")
            .withZone(ZoneOffset.UTC);

    /** The OAuth 2.0 tokens in use: the configured ones, or the last refresh's. Never logged. */
    record Tokens(String access, String refresh) {
        @Override
        public String toString() {
            return "Tokens[hidden]";
        }
    }

    private final String instance;
    private final String source;
    private final String accountId;
    private final String consumerSecret;
    private final String clientId;
    private final String clientSecret;
    private final URI baseUrl;
    private final int maxPostLength;
    private final int maxBodyBytes;
    private final Duration requestTimeout;
    private final Duration authRetry;
    private final Clock clock;
    private final AtomicReference<Tokens> tokens = new AtomicReference<>();
    private String configuredRefresh;
    private final DoorHealth health;
    private final AtomicReference<Instant> rateLimitedUntil = new AtomicReference<>(Instant.EPOCH);
    /** The posts of a thread already on X, by reply id: a retry goes on where the last attempt stopped. */
    private final Map<Long, List<String>> postedParts = new ConcurrentHashMap<>();
    private final ServiceRegistration<Channel> registration;
    private final long maxAttachmentBytes;
    private final Set<String> mediaHosts;
    /** The last refresh's tokens, with the configured refresh token they descend from. */
    private final Path tokensFile;
    private final XThreads threads;
    /** Hides and shows replies to the account's posts (its own client: no reply waits behind it). */
    private final XSender moderation = new XSender(name -> this);

    @Activate
    public XInstance(BundleContext context, XChannelConfig config, Map<String, Object> properties,
                     @Reference DoorStates states) {
        this(context, config, properties, Clock.systemUTC(),
                Path.of(System.getProperty("karaf.data", "data"), "frontdoor", "secrets"), states);
    }

    /**
     * @param stateDir where the rotated tokens are kept (owner-only files), and where an older door kept the threads of
     *                 our posts (moved into {@code states} once)
     * @param states   core's door state: the threads of our posts
     */
    XInstance(BundleContext context, XChannelConfig config, Map<String, Object> properties, Clock clock,
              Path stateDir, DoorStates states) {
        this.clock = clock;
        this.instance = FactoryConfigurations.instanceName(config.instance(), FACTORY_PID, properties, "channel");
        if (!instance.matches("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")) {
            throw new IllegalArgumentException("channel instance name '" + instance + "' (from "
                    + FactoryConfigurations.source(properties) + ") must be letters, digits, '.', '_' or '-'");
        }
        this.source = FactoryConfigurations.source(properties);
        this.authRetry = Duration.ofSeconds(config.authRetrySeconds());
        this.maxPostLength = config.maxPostLength();
        this.maxBodyBytes = config.maxBodyBytes();
        this.requestTimeout = Duration.ofSeconds(config.requestTimeoutSeconds());
        this.consumerSecret = blankToNull(config.consumerSecret());
        this.clientId = blankToNull(config.clientId());
        this.clientSecret = blankToNull(config.clientSecret());
        String account = blankToNull(config.accountId());
        String problem = null;
        if (account != null && !account.matches("[0-9]{1,20}")) {
            problem = "accountId must be the account's numeric X user id, not its @name: set it in " + source;
            account = null;
        }
        this.accountId = account;
        URI url = null;
        try {
            url = URI.create(config.baseUrl().trim().replaceAll("/+$", ""));
            if (!"http".equals(url.getScheme()) && !"https".equals(url.getScheme()) || url.getHost() == null) {
                url = null;
            }
        } catch (IllegalArgumentException e) {
            url = null;
        }
        if (url == null && problem == null) {
            problem = "baseUrl must be an http or https URL: set it in " + source;
        }
        this.baseUrl = url;
        if (consumerSecret == null) {
            problem = "no consumerSecret: set 'consumerSecret' (the X app's API key secret) in " + source
                    + "; until then X's webhooks and CRC are answered 503";
        } else if (problem == null && blankToNull(config.accessToken()) == null) {
            problem = "no accessToken: set 'accessToken' (an OAuth 2.0 user-context token of the account) in "
                    + source + "; replies wait until then";
        }
        this.maxAttachmentBytes = config.maxAttachmentBytes();
        this.mediaHosts = Arrays.stream(config.mediaHosts().split(",")).map(String::trim)
                .filter(h -> !h.isEmpty()).map(h -> h.toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
        this.tokensFile = stateDir.resolve("channel-x-" + instance + ".tokens").toAbsolutePath();
        this.threads = new XThreads(states, instance);
        Path oldThreads = stateDir.resolve("channel-x-" + instance + ".threads").toAbsolutePath();
        try {
            int moved = threads.importFile(oldThreads);
            if (moved > 0) {
                LOG.info("X channel instance {}: moved the threads of {} post(s) from {} into the database", instance,
                        moved, oldThreads);
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("X channel instance {}: {} could not be moved into the database ({}); it stays and is read at "
                    + "the next start", instance, oldThreads, e.getMessage());
        }
        Tokens configured = new Tokens(blankToNull(config.accessToken()), blankToNull(config.refreshToken()));
        tokens.set(configured.refresh() == null ? configured : rotated(configured));
        this.health = new DoorHealth(clock, authRetry, problem);
        if (problem == null) {
            LOG.info("X channel instance {} ready at /webhooks/x/{}", instance, instance);
        } else {
            LOG.error("X channel instance {}: {}", instance, problem);
        }
        Hashtable<String, Object> serviceProperties = new Hashtable<>();
        serviceProperties.put(Channel.CHANNEL, CHANNEL_ID);
        serviceProperties.put(Channel.INSTANCE, instance);
        // one reply at a time per account: the posts of a thread go out in order, and X's per-user limits are small
        serviceProperties.put(Channel.REPLY_CONCURRENCY, 1);
        this.registration = context.registerService(Channel.class, this, serviceProperties);
    }

    /** The instance name: explicit, else from the factory configuration's name or its file name. */
    static String instanceName(String explicit, Map<String, Object> properties) {
        return FactoryConfigurations.instanceName(explicit, FACTORY_PID, properties, "channel");
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }

    @Deactivate
    void deactivate() {
        try {
            registration.unregister();
        } catch (IllegalStateException alreadyGone) {
            // the bundle is stopping and took the registration with it
        }
        LOG.info("X channel instance {} removed", instance);
    }

    @Override
    public String id() {
        return CHANNEL_ID;
    }

    @Override
    public String instance() {
        return instance;
    }

    @Override
    public ChannelCapabilities capabilities() {
        // public posts (threaded to the customer's post, cut into a thread when long) and direct messages
        return new ChannelCapabilities(maxPostLength, LengthCounting.X_WEIGHTED, true, true, true, true, Markup.NONE,
                false);
    }

    /** X hides replies to the account's posts and shows them again (hide replies, {@code tweet.moderate.write}). */
    @Override
    public java.util.Set<Action> moderationActions() {
        return java.util.Set.of(Action.HIDE, Action.UNHIDE);
    }

    @Override
    public void setHidden(String externalId, boolean hidden) throws ModerationRefusedException,
            ModerationUnavailableException, InterruptedException {
        moderation.setHidden(this, externalId, hidden);
    }

    @Override
    public ChannelHealth health() {
        ChannelHealth current = health.current();
        if (health.recorded().status() == Status.AUTH_EXPIRED) {
            return current; // DEGRADED once authRetry has passed: a reply is let through to try the token
        }
        Instant now = clock.instant();
        Instant until = rateLimitedUntil.get();
        if (current.status() != Status.DOWN && now.isBefore(until)) {
            // replies wait without using up their attempts until X's window resets
            return new ChannelHealth(Status.DOWN, "X's rate limit for this account is reached: replies wait until "
                    + TIME.format(until), current.since());
        }
        return current;
    }

    String source() {
        return source;
    }

    String accountId() {
        return accountId;
    }

    /** Null when none is configured: the door then answers webhooks 503. */
    String consumerSecret() {
        return consumerSecret;
    }

    Tokens tokens() {
        return tokens.get();
    }

    boolean canRefresh() {
        Tokens t = tokens.get();
        return t.refresh() != null && clientId != null;
    }

    String clientId() {
        return clientId;
    }

    String clientSecret() {
        return clientSecret;
    }

    URI baseUrl() {
        return baseUrl;
    }

    int maxPostLength() {
        return maxPostLength;
    }

    int maxBodyBytes() {
        return maxBodyBytes;
    }

    Duration requestTimeout() {
        return requestTimeout;
    }

    Instant now() {
        return clock.instant();
    }

    Map<Long, List<String>> postedParts() {
        return postedParts;
    }

    /**
     * A refresh gave new tokens: X revokes the refresh token it rotated, so they are kept in the tokens file (owner
     * only, written whole) for the next start, as long as the configured refresh token stays the one they descend
     * from.
     */
    void refreshed(Tokens fresh) {
        tokens.set(fresh);
        if (configuredRefresh == null) {
            return;
        }
        try {
            SecretFile.writeOwnerOnly(tokensFile, "from " + sha256(configuredRefresh) + "\naccess " + fresh.access()
                    + "\nrefresh " + fresh.refresh());
        } catch (IOException e) {
            LOG.error("X channel instance {}: the refreshed tokens cannot be kept in {} ({}): after a restart the "
                    + "configured refresh token, now revoked by X, is used", instance, tokensFile,
                    SecretFile.describe(e));
        }
    }

    /** The tokens of the last refresh when they descend from the configured refresh token, else the configured. */
    private Tokens rotated(Tokens configured) {
        configuredRefresh = configured.refresh();
        if (!Files.exists(tokensFile)) {
            return configured;
        }
        try {
            Map<String, String> kept = new HashMap<>();
            for (String line : Files.readAllLines(tokensFile, StandardCharsets.UTF_8)) {
                int space = line.indexOf(' ');
                if (space > 0) {
                    kept.put(line.substring(0, space), line.substring(space + 1).trim());
                }
            }
            if (!sha256(configured.refresh()).equals(kept.get("from"))) {
                // an admin authorized again and set new tokens: they win over what the old ones were rotated to
                Files.deleteIfExists(tokensFile);
                LOG.info("X channel instance {} takes the newly configured tokens", instance);
                return configured;
            }
            String access = blankToNull(kept.get("access"));
            String refresh = blankToNull(kept.get("refresh"));
            if (access == null || refresh == null) {
                return configured;
            }
            LOG.info("X channel instance {} uses the tokens of its last refresh (from {})", instance, tokensFile);
            return new Tokens(access, refresh);
        } catch (IOException e) {
            LOG.error("X channel instance {}: {} cannot be read ({}): using the configured tokens", instance,
                    tokensFile, SecretFile.describe(e));
            return configured;
        }
    }

    private static String sha256(String value) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(value.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this Java has no SHA-256", e);
        }
    }

    XThreads threads() {
        return threads;
    }

    long maxAttachmentBytes() {
        return maxAttachmentBytes;
    }

    /** Whether media may be fetched from this URL with the account's token: https (or the API's own host). */
    boolean mediaFrom(URI url) {
        if (url == null || url.getHost() == null) {
            return false;
        }
        String host = url.getHost().toLowerCase(Locale.ROOT);
        if (baseUrl != null && host.equalsIgnoreCase(baseUrl.getHost()) && url.getScheme().equals(baseUrl.getScheme())
                && url.getPort() == baseUrl.getPort()) {
            return true;
        }
        return "https".equals(url.getScheme()) && mediaHosts.contains(host);
    }

    Instant rateLimitedUntil() {
        return rateLimitedUntil.get();
    }

    void rateLimited(Instant until) {
        rateLimitedUntil.accumulateAndGet(until, (a, b) -> a.isAfter(b) ? a : b);
    }

    /** X took a reply: UP again, whatever the earlier failures were. */
    void succeeded() {
        health.succeeded();
    }

    /** A passing failure: DEGRADED with the reason, and replies keep going out. */
    void failed(String reason) {
        health.failed(reason);
    }

    /** X refused the token and no refresh helped: AUTH_EXPIRED, so core holds the replies. */
    void authExpired(String reason) {
        health.authExpired(reason);
    }

    @Override
    public String toString() {
        return "x/" + instance;
    }
}
