package org.frontdoor.channel.telegram;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import com.fasterxml.jackson.databind.JsonNode;
import org.frontdoor.api.Channel;
import org.frontdoor.api.ChannelCapabilities;
import org.frontdoor.api.ChannelHealth;
import org.frontdoor.api.FactoryConfigurations;
import org.frontdoor.api.SecretFile;
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
 * One bot (a factory configuration). It registers itself as a {@link Channel} with {@code frontdoor.channel=telegram}
 * and {@code frontdoor.instance=<name>}, and at start tells Telegram where to post its updates ({@code setWebhook}
 * with the secret token and the allowed updates), off the activating thread, trying again with a growing delay
 * while Telegram cannot be reached.
 */
@Component(configurationPid = TelegramInstance.FACTORY_PID, configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = {}, immediate = true)
@Designate(ocd = TelegramChannelConfig.class, factory = true)
public class TelegramInstance implements Channel {

    static final String FACTORY_PID = "org.frontdoor.channel.telegram";
    static final String CHANNEL_ID = "telegram";
    /** Telegram's longest message text, in UTF-16 code units. */
    static final int MAX_MESSAGE = 4096;
    private static final Logger LOG = LoggerFactory.getLogger(TelegramInstance.class);
    private static final ChannelCapabilities CAPABILITIES = new ChannelCapabilities(MAX_MESSAGE,
            ChannelCapabilities.LengthCounting.UTF16_UNITS, true, true, true, true, ChannelCapabilities.Markup.NONE,
            false);

    private final String instance;
    private final String source;
    private final String token;
    private final byte[] secretToken;
    private final String secretOrigin;
    private final URI webhookUrl;
    private final List<String> allowedUpdates;
    private final boolean deleteWebhookOnStop;
    private final int maxBodyBytes;
    private final long maxAttachmentBytes;
    private final Duration rateLimitWait;
    private final Duration authRetry;
    private final Clock clock;
    private final BotApi api;
    private final DoorHealth health;
    private final AtomicReference<Instant> notBefore = new AtomicReference<>(Instant.EPOCH);
    private volatile String botUsername;
    private final ScheduledExecutorService setup;
    private final ServiceRegistration<Channel> registration;

    @Activate
    public TelegramInstance(BundleContext context, TelegramChannelConfig config, Map<String, Object> properties) {
        this(context, config, properties, Path.of(System.getProperty("karaf.data", "data"), "frontdoor", "secrets"),
                Clock.systemUTC());
    }

    TelegramInstance(BundleContext context, TelegramChannelConfig config, Map<String, Object> properties,
                     Path secretsDir, Clock clock) {
        this.clock = clock;
        this.instance = FactoryConfigurations.instanceName(config.instance(), FACTORY_PID, properties, "channel");
        if (!instance.matches("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")) {
            throw new IllegalArgumentException("channel instance name '" + instance + "' (from "
                    + FactoryConfigurations.source(properties) + ") must be letters, digits, '.', '_' or '-'");
        }
        this.source = FactoryConfigurations.source(properties);
        this.maxBodyBytes = config.maxBodyBytes();
        this.maxAttachmentBytes = config.maxAttachmentBytes();
        this.rateLimitWait = Duration.ofSeconds(config.rateLimitWaitSeconds());
        this.authRetry = Duration.ofSeconds(config.authRetrySeconds());
        this.deleteWebhookOnStop = config.deleteWebhookOnStop();
        this.allowedUpdates = Arrays.stream(config.allowedUpdates().split(",")).map(String::trim)
                .filter(s -> !s.isEmpty()).toList();
        this.botUsername = blankToNull(config.botUsername() == null ? null
                : config.botUsername().trim().replaceFirst("^@", ""));
        String problem = null;
        String t = blankToNull(config.token() == null ? null : config.token().trim());
        if (t == null) {
            problem = "no bot token: set 'token' in " + source + " to the token @BotFather gave";
        } else if (!t.matches("[0-9]+:[A-Za-z0-9_-]+")) {
            problem = "'token' in " + source + " is not a bot token (digits, ':', then letters, digits, '_' or '-')";
            t = null;
        }
        this.token = t;
        String[] secret = secret(config, secretsDir);
        if (problem == null && secret[0] == null) {
            problem = secret[2];
        }
        this.secretToken = secret[0] == null ? null : secret[0].getBytes(StandardCharsets.UTF_8);
        this.secretOrigin = secret[1];
        URI hook = null;
        if (problem == null && !config.webhookUrl().isBlank()) {
            try {
                hook = URI.create(config.webhookUrl().trim());
                if (!"https".equals(hook.getScheme()) && !"http".equals(hook.getScheme())) {
                    problem = "webhookUrl in " + source + " must be an https URL (Telegram posts only to https)";
                    hook = null;
                }
            } catch (IllegalArgumentException e) {
                problem = "webhookUrl in " + source + " is not a valid URL";
            }
        }
        this.webhookUrl = hook;
        URI base = null;
        try {
            base = URI.create(config.apiBaseUrl().trim());
            if (base.getHost() == null) {
                base = null;
            }
        } catch (IllegalArgumentException e) {
            base = null;
        }
        if (problem == null && base == null) {
            problem = "apiBaseUrl in " + source + " is not an http or https URL";
        }
        this.api = token == null || base == null ? null
                : new BotApi(base, token, Duration.ofSeconds(config.requestTimeoutSeconds()));
        this.health = new DoorHealth(clock, authRetry, problem);
        if (problem != null) {
            LOG.error("Telegram channel instance {} cannot work: {}", instance, problem);
        } else {
            LOG.info("Telegram channel instance {} ready at /webhooks/telegram/{}", instance, instance);
        }
        Hashtable<String, Object> serviceProperties = new Hashtable<>();
        serviceProperties.put(Channel.CHANNEL, CHANNEL_ID);
        serviceProperties.put(Channel.INSTANCE, instance);
        // Telegram takes about 30 messages a second from a bot, one a second in a chat: a few at once is plenty
        serviceProperties.put(Channel.REPLY_CONCURRENCY, 4);
        this.registration = context.registerService(Channel.class, this, serviceProperties);
        this.setup = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "frontdoor-telegram-" + instance + "-setup");
            thread.setDaemon(true);
            return thread;
        });
        if (problem == null) {
            setup.execute(() -> setUp(1));
        }
    }

    /** {value, origin, problem} */
    private String[] secret(TelegramChannelConfig config, Path secretsDir) {
        String configured = config.secretToken() == null ? "" : config.secretToken().trim();
        if (!configured.isEmpty()) {
            if (!configured.matches("[A-Za-z0-9_-]{1,256}")) {
                return new String[] {null, null, "'secretToken' in " + source + " must be 1 to 256 of A-Z, a-z, 0-9, "
                        + "'_' and '-' (Telegram's rule)"};
            }
            return new String[] {configured, "set in " + source, null};
        }
        if (!config.generateSecret()) {
            return new String[] {null, null, "no secret token: set 'secretToken' in " + source
                    + ", or generateSecret = true to have one generated"};
        }
        Path file = SecretFile.of(secretsDir, CHANNEL_ID, instance).toAbsolutePath();
        try {
            SecretFile.Read read = SecretFile.readOrGenerate(file);
            if (read.generated()) {
                LOG.warn("Telegram channel instance {} generated its webhook secret token into {} (readable by its "
                        + "owner only)", instance, file);
            }
            return new String[] {read.value(), "generated in " + file, null};
        } catch (IOException e) {
            return new String[] {null, null, "no usable secret token: " + e.getMessage() + "; or set 'secretToken' "
                    + "in " + source};
        }
    }

    /** getMe when the username is not configured, then setWebhook; again later while Telegram cannot be reached. */
    private void setUp(int attempt) {
        try {
            if (botUsername == null) {
                JsonNode me = api.call("getMe", Map.of());
                botUsername = blankToNull(me.path("username").asText(null));
            }
            if (webhookUrl != null) {
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("url", webhookUrl.toString());
                body.put("secret_token", new String(secretToken, StandardCharsets.UTF_8));
                body.put("allowed_updates", allowedUpdates);
                api.call("setWebhook", body);
                LOG.info("Telegram channel instance {}: setWebhook done for {}", instance, webhookUrl);
            }
            succeeded();
        } catch (BotApi.Failure f) {
            failed(f);
            if (f.kind() == BotApi.Kind.PASSING || f.kind() == BotApi.Kind.RATE_LIMITED) {
                long delay = f.kind() == BotApi.Kind.RATE_LIMITED ? f.retryAfterSeconds()
                        : Math.min(300, 1L << Math.min(attempt, 8));
                LOG.warn("Telegram channel instance {}: {}; trying again in {} s", instance, f.getMessage(), delay);
                if (!setup.isShutdown()) {
                    setup.schedule(() -> setUp(attempt + 1), delay, TimeUnit.SECONDS);
                }
            } else {
                if (f.kind() == BotApi.Kind.REFUSED) {
                    // replies can still go out, but no update comes in: the admin must fix webhookUrl
                    health.failed(f.getMessage() + ": check webhookUrl in " + source);
                }
                LOG.error("Telegram channel instance {}: {}", instance, f.getMessage());
            }
        } catch (InterruptedException stopping) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.error("Telegram channel instance {} could not be set up: {}", instance, api.mask(e.toString()));
        }
    }

    @Deactivate
    void deactivate() {
        setup.shutdownNow();
        try {
            registration.unregister();
        } catch (IllegalStateException alreadyGone) {
            // the bundle is stopping and took the registration with it
        }
        if (deleteWebhookOnStop && api != null) {
            try {
                api.call("deleteWebhook", Map.of("drop_pending_updates", false));
                LOG.info("Telegram channel instance {}: deleteWebhook done", instance);
            } catch (BotApi.Failure f) {
                LOG.warn("Telegram channel instance {}: {}", instance, f.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        LOG.info("Telegram channel instance {} removed", instance);
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
        return CAPABILITIES;
    }

    @Override
    public ChannelHealth health() {
        return health.current();
    }

    /** Whether the header holds the secret token, compared in constant time. */
    boolean secretMatches(String header) {
        if (secretToken == null || header == null) {
            return false;
        }
        return MessageDigest.isEqual(secretToken, header.getBytes(StandardCharsets.UTF_8));
    }

    boolean usable() {
        return secretToken != null && api != null;
    }

    BotApi api() {
        return api;
    }

    String botUsername() {
        return botUsername;
    }

    int maxBodyBytes() {
        return maxBodyBytes;
    }

    long maxAttachmentBytes() {
        return maxAttachmentBytes;
    }

    Duration rateLimitWait() {
        return rateLimitWait;
    }

    Clock clock() {
        return clock;
    }

    /** Until when Telegram asked this bot to send nothing (429's retry_after). */
    Instant notBefore() {
        return notBefore.get();
    }

    void rateLimited(long retryAfterSeconds) {
        notBefore.set(clock.instant().plusSeconds(retryAfterSeconds));
    }

    /** Telegram took a call: UP again, whatever the earlier failures were. */
    void succeeded() {
        health.succeeded();
    }

    /** What a failed call means for the instance: AUTH_EXPIRED for a refused token, DEGRADED for a passing one. */
    void failed(BotApi.Failure f) {
        if (api == null) {
            return;
        }
        switch (f.kind()) {
            case TOKEN_REFUSED -> health.authExpired(f.getMessage()
                    + ": the token was revoked or is wrong; set a new 'token' in " + source + " (from @BotFather)");
            case PASSING, RATE_LIMITED -> health.failed(f.getMessage());
            case REFUSED -> {
                // the Bot API works and answered: only that request is refused
            }
        }
    }

    String secretOrigin() {
        return secretOrigin;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    @Override
    public String toString() {
        return "telegram/" + instance;
    }
}
