package org.frontdoor.channel.meta;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

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
import org.frontdoor.plugin.camel.DoorHealth;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Meta app with its Page, Instagram account and WhatsApp number (a factory configuration). It registers itself as
 * a {@link Channel} service with {@code frontdoor.channel=meta} and {@code frontdoor.instance=<name>}; the webhook
 * servlet and the reply route find instances through those services. Secrets and tokens are never logged, never part
 * of a reason.
 */
@Component(configurationPid = MetaInstance.FACTORY_PID, configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = {}, immediate = true)
@Designate(ocd = MetaChannelConfig.class, factory = true)
public class MetaInstance implements Channel, ChannelModeration {

    static final String FACTORY_PID = "org.frontdoor.channel.meta";
    static final String CHANNEL_ID = "meta";
    private static final Logger LOG = LoggerFactory.getLogger(MetaInstance.class);
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss 'UTC'")
            .withZone(ZoneOffset.UTC);

    /** An approved WhatsApp template: its name and language code. */
    record Template(String name, String language) {
        @Override
        public String toString() {
            return name + " (" + language + ")";
        }
    }

    private final String instance;
    private final String source;
    private final String appSecret;
    private final String verifyToken;
    private final String accessToken;
    private final String pageId;
    private final String instagramAccountId;
    private final Map<String, Template> templates;
    private final URI baseUrl;
    private final String graphVersion;
    private final int maxReplyLength;
    private final int maxBodyBytes;
    private final Duration requestTimeout;
    private final long maxAttachmentBytes;
    private final Duration authRetry;
    private final Clock clock;
    private final DoorHealth health;
    private final AtomicReference<Instant> rateLimitedUntil = new AtomicReference<>(Instant.EPOCH);
    private final ServiceRegistration<Channel> registration;
    /** Hides and shows customers' comments (its own client: no reply waits behind it). */
    private final MetaSender moderation = new MetaSender(name -> this, reply -> java.util.Optional.empty());

    @Activate
    public MetaInstance(BundleContext context, MetaChannelConfig config, Map<String, Object> properties) {
        this(context, config, properties, Clock.systemUTC());
    }

    MetaInstance(BundleContext context, MetaChannelConfig config, Map<String, Object> properties, Clock clock) {
        this.clock = clock;
        this.instance = FactoryConfigurations.instanceName(config.instance(), FACTORY_PID, properties, "channel");
        if (!instance.matches("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")) {
            throw new IllegalArgumentException("channel instance name '" + instance + "' (from "
                    + FactoryConfigurations.source(properties) + ") must be letters, digits, '.', '_' or '-'");
        }
        this.source = FactoryConfigurations.source(properties);
        this.authRetry = Duration.ofSeconds(config.authRetrySeconds());
        this.maxReplyLength = config.maxReplyLength();
        this.maxBodyBytes = config.maxBodyBytes();
        this.requestTimeout = Duration.ofSeconds(config.requestTimeoutSeconds());
        this.maxAttachmentBytes = Math.max(0, config.maxAttachmentBytes());
        this.appSecret = blankToNull(config.appSecret());
        this.verifyToken = blankToNull(config.verifyToken());
        this.accessToken = blankToNull(config.accessToken());
        String problem = null;
        String page = blankToNull(config.pageId());
        if (page != null && !page.matches("[0-9]{1,25}")) {
            problem = "pageId must be the Page's numeric id: set it in " + source;
            page = null;
        }
        String ig = blankToNull(config.instagramAccountId());
        if (ig != null && !ig.matches("[0-9]{1,25}")) {
            problem = "instagramAccountId must be the Instagram account's numeric id: set it in " + source;
            ig = null;
        }
        this.pageId = page;
        this.instagramAccountId = ig;
        Map<String, Template> named = new LinkedHashMap<>();
        for (String entry : config.whatsappTemplates() == null ? new String[0] : config.whatsappTemplates()) {
            for (String one : entry.split(",")) {
                String t = one.trim();
                if (t.isEmpty()) {
                    continue;
                }
                String[] parts = t.split(":", 2);
                if (!parts[0].matches("[a-z0-9_]{1,512}") || parts.length < 2 || !parts[1].matches("[A-Za-z_]{2,8}")) {
                    if (problem == null) {
                        problem = "whatsappTemplates must list name:language (order_update:en_US), not '" + t
                                + "': set it in " + source;
                    }
                    continue;
                }
                named.put(parts[0], new Template(parts[0], parts[1]));
            }
        }
        this.templates = java.util.Collections.unmodifiableMap(named);
        String version = config.graphVersion() == null ? "" : config.graphVersion().trim();
        if (!version.matches("v[0-9]{1,3}\\.[0-9]{1,3}") && problem == null) {
            problem = "graphVersion must be a Graph API version such as v21.0: set it in " + source;
        }
        this.graphVersion = version;
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
        if (appSecret == null) {
            problem = "no appSecret: set 'appSecret' (the Meta app's App Secret) in " + source
                    + "; until then Meta's webhooks are answered 503";
        } else if (problem == null && verifyToken == null) {
            problem = "no verifyToken: set 'verifyToken' (the Verify Token of the app's Webhooks product) in "
                    + source + "; until then Meta cannot verify the webhook";
        } else if (problem == null && accessToken == null) {
            problem = "no accessToken: set 'accessToken' (a Page or System User access token) in " + source
                    + "; replies wait until then";
        }
        this.health = new DoorHealth(clock, authRetry, problem);
        if (problem == null) {
            LOG.info("Meta channel instance {} ready at /webhooks/meta/{}", instance, instance);
        } else {
            LOG.error("Meta channel instance {}: {}", instance, problem);
        }
        Hashtable<String, Object> serviceProperties = new Hashtable<>();
        serviceProperties.put(Channel.CHANNEL, CHANNEL_ID);
        serviceProperties.put(Channel.INSTANCE, instance);
        serviceProperties.put(Channel.REPLY_CONCURRENCY, 2);
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
        LOG.info("Meta channel instance {} removed", instance);
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
        // comments answered in public, messages (and private replies to comments) in private; one message a reply
        return new ChannelCapabilities(maxReplyLength, LengthCounting.CODE_POINTS, false, true, true, true,
                Markup.NONE, false);
    }

    /** Page and Instagram comments can be hidden and shown again, with a token. */
    @Override
    public java.util.Set<Action> moderationActions() {
        return accessToken == null ? java.util.Set.of() : java.util.EnumSet.of(Action.HIDE, Action.UNHIDE);
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
            return new ChannelHealth(Status.DOWN, "Meta's rate limit for this app is reached: replies wait until "
                    + TIME.format(until), current.since());
        }
        return current;
    }

    String source() {
        return source;
    }

    /** Null when none is configured: the door then answers webhooks 503. */
    String appSecret() {
        return appSecret;
    }

    String verifyToken() {
        return verifyToken;
    }

    String accessToken() {
        return accessToken;
    }

    String pageId() {
        return pageId;
    }

    String instagramAccountId() {
        return instagramAccountId;
    }

    Map<String, Template> templates() {
        return templates;
    }

    URI baseUrl() {
        return baseUrl;
    }

    String graphVersion() {
        return graphVersion;
    }

    int maxReplyLength() {
        return maxReplyLength;
    }

    int maxBodyBytes() {
        return maxBodyBytes;
    }

    Duration requestTimeout() {
        return requestTimeout;
    }

    long maxAttachmentBytes() {
        return maxAttachmentBytes;
    }

    Instant now() {
        return clock.instant();
    }

    Instant rateLimitedUntil() {
        return rateLimitedUntil.get();
    }

    void rateLimited(Instant until) {
        rateLimitedUntil.accumulateAndGet(until, (a, b) -> a.isAfter(b) ? a : b);
    }

    /** Meta took a reply: UP again, whatever the earlier failures were. */
    void succeeded() {
        health.succeeded();
    }

    /** A passing failure: DEGRADED with the reason, and replies keep going out. */
    void failed(String reason) {
        health.failed(reason);
    }

    /** Meta refused the token: AUTH_EXPIRED, so core holds the replies. */
    void authExpired(String reason) {
        health.authExpired(reason);
    }

    @Override
    public String toString() {
        return "meta/" + instance;
    }
}
