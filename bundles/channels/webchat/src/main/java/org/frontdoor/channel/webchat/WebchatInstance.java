package org.frontdoor.channel.webchat;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Hashtable;
import java.util.Map;

import org.frontdoor.api.Channel;
import org.frontdoor.api.ChannelCapabilities;
import org.frontdoor.api.ChannelHealth;
import org.frontdoor.api.ChannelHealth.Status;
import org.frontdoor.api.FactoryConfigurations;
import org.frontdoor.api.SecretFile;
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
 * One chat widget (a factory configuration): a {@link Channel} service with {@code frontdoor.channel=webchat} and
 * {@code frontdoor.instance=<name>}, registered even when its configuration is unusable, DOWN with the reason, so that
 * replies wait and the console says what to fix.
 */
@Component(configurationPid = WebchatInstance.FACTORY_PID, configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = {}, immediate = true)
@Designate(ocd = WebchatConfig.class, factory = true)
public class WebchatInstance implements Channel {

    static final String FACTORY_PID = "org.frontdoor.channel.webchat";
    static final String CHANNEL_ID = "webchat";
    private static final Logger LOG = LoggerFactory.getLogger(WebchatInstance.class);

    private final String instance;
    private final WebchatConfig config;
    private final Origins origins;
    private final VisitorTokens tokens;
    private final RateLimits visitorRate;
    private final RateLimits addressRate;
    private final RateLimits newVisitors;
    private final ConnectionLimits connections;
    private final ChannelHealth health;
    private final ServiceRegistration<Channel> registration;

    @Activate
    public WebchatInstance(BundleContext context, WebchatConfig config, Map<String, Object> properties) {
        this(context, config, properties, Path.of(System.getProperty("karaf.data", "data"), "frontdoor", "secrets"),
                Clock.systemUTC());
    }

    WebchatInstance(BundleContext context, WebchatConfig config, Map<String, Object> properties, Path secretsDir,
                    Clock clock) {
        this.config = config;
        this.instance = instanceName(config.instance(), properties);
        if (!instance.matches("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")) {
            throw new IllegalArgumentException("web chat instance name '" + instance + "' (from "
                    + FactoryConfigurations.source(properties) + ") must be letters, digits, '.', '_' or '-'");
        }
        String source = FactoryConfigurations.source(properties);
        this.origins = Origins.parse(config.allowedOrigins());
        String problem = null;
        String secret = config.tokenSecret() == null || config.tokenSecret().isBlank() ? null : config.tokenSecret();
        if (secret == null) {
            Path file = SecretFile.of(secretsDir, CHANNEL_ID, instance).toAbsolutePath();
            try {
                SecretFile.Read read = SecretFile.readOrGenerate(file);
                secret = read.value();
                if (read.generated()) {
                    LOG.info("Web chat instance {} generated its token key into {} (readable by its owner only)",
                            instance, file);
                }
            } catch (IOException e) {
                problem = "no usable token key: " + SecretFile.describe(e) + "; or set 'tokenSecret' in " + source;
            }
        }
        if (problem == null && !origins.malformed().isEmpty()) {
            problem = "malformed allowedOrigins " + String.join(", ", origins.malformed().stream()
                    .map(Origins::forLog).toList()) + " in " + source + ": an origin is scheme://host[:port] as the "
                    + "browser sends it, such as https://www.example.com, without a path";
        }
        if (problem == null && origins.isEmpty()) {
            problem = "no allowed origins: set 'allowedOrigins' in " + source
                    + " to the sites that embed the widget, such as https://www.example.com";
        }
        this.tokens = secret == null ? null
                : new VisitorTokens(instance, secret, Duration.ofDays(config.tokenMaxAgeDays()), clock);
        this.visitorRate = new RateLimits(config.messagesPerMinute(), clock);
        this.addressRate = new RateLimits(config.addressMessagesPerMinute(), clock);
        this.newVisitors = new RateLimits(config.visitorsPerAddressPerMinute(), clock);
        this.connections = new ConnectionLimits(config.connectionsPerAddress());
        this.health = problem == null ? new ChannelHealth(Status.UP, null, clock.instant())
                : new ChannelHealth(Status.DOWN, problem, clock.instant());
        if (problem == null) {
            LOG.info("Web chat instance {} ready at /webchat/{}/widget.js for {}", instance, instance, origins.all());
        } else {
            LOG.warn("Web chat instance {} refuses visitors: {}", instance, problem);
        }
        Hashtable<String, Object> serviceProperties = new Hashtable<>();
        serviceProperties.put(Channel.CHANNEL, CHANNEL_ID);
        serviceProperties.put(Channel.INSTANCE, instance);
        this.registration = context == null ? null : context.registerService(Channel.class, this, serviceProperties);
    }

    @Deactivate
    void deactivate() {
        try {
            if (registration != null) {
                registration.unregister();
            }
        } catch (IllegalStateException alreadyGone) {
            // the bundle is stopping and took the registration with it
        }
        LOG.info("Web chat instance {} removed", instance);
    }

    static String instanceName(String explicit, Map<String, Object> properties) {
        return FactoryConfigurations.instanceName(explicit, FACTORY_PID, properties, "web chat");
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
        // private replies, plain text, in the visitor's one thread
        return ChannelCapabilities.plainPrivate();
    }

    @Override
    public ChannelHealth health() {
        return health;
    }

    /** Whether visitors can use it: a token key and at least one allowed origin. */
    boolean usable() {
        return health.status() == Status.UP;
    }

    /** Why visitors are refused, for the widget: never the admin's reason, which names files. */
    String refusalForVisitors() {
        return "this chat is not available right now";
    }

    WebchatConfig config() {
        return config;
    }

    Origins origins() {
        return origins;
    }

    /** Null when the instance has no usable key (it is DOWN). */
    VisitorTokens tokens() {
        return tokens;
    }

    RateLimits visitorRate() {
        return visitorRate;
    }

    RateLimits addressRate() {
        return addressRate;
    }

    RateLimits newVisitors() {
        return newVisitors;
    }

    ConnectionLimits connections() {
        return connections;
    }

    @Override
    public String toString() {
        return "webchat/" + instance;
    }
}
