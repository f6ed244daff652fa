package org.frontdoor.channel.api;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Hashtable;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import org.frontdoor.api.Channel;
import org.frontdoor.api.ChannelCapabilities;
import org.frontdoor.api.ChannelHealth;
import org.frontdoor.api.FactoryConfigurations;
import org.frontdoor.api.SecretFile;
import org.frontdoor.api.ChannelHealth.Status;
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
 * One configured instance of the HTTP channel (a factory configuration). It registers itself as a
 * {@link Channel} service with {@code frontdoor.channel=api} and {@code frontdoor.instance=<name>}; the webhook
 * servlet and the callback route find instances through those services.
 */
@Component(configurationPid = ApiInstance.FACTORY_PID, configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = {}, immediate = true)
@Designate(ocd = ApiChannelConfig.class, factory = true)
public class ApiInstance implements Channel, org.frontdoor.api.ChannelCheck {

    static final String FACTORY_PID = "org.frontdoor.channel.api";
    static final String CHANNEL_ID = "api";
    private static final Logger LOG = LoggerFactory.getLogger(ApiInstance.class);

    private final String instance;
    private final String secret;
    private final String secretOrigin;
    private final URI callbackUrl;
    private final long maxSkewSeconds;
    private final int maxBodyBytes;
    private final Duration callbackTimeout;
    private final Duration authRetry;
    private final Clock clock;
    /** The cfg file, as an admin names it ({@code etc/<file>.cfg}), or the configuration's PID. */
    private final String file;
    private final AtomicReference<ChannelHealth> health = new AtomicReference<>();
    private final ServiceRegistration<Channel> registration;

    @Activate
    public ApiInstance(BundleContext context, ApiChannelConfig config, Map<String, Object> properties) {
        this(context, config, properties, Path.of(System.getProperty("karaf.data", "data"), "frontdoor", "secrets"),
                Clock.systemUTC());
    }

    /**
     * @param secretsDir where generated secrets are kept (tests give a temporary directory)
     * @param clock      when health changes (tests move it)
     */
    ApiInstance(BundleContext context, ApiChannelConfig config, Map<String, Object> properties, Path secretsDir,
                Clock clock) {
        this.clock = clock;
        this.authRetry = Duration.ofSeconds(config.authRetrySeconds());
        this.instance = instanceName(config.instance(), properties);
        if (!instance.matches("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")) {
            throw new IllegalArgumentException("channel instance name '" + instance + "' (from " + source(properties)
                    + ") must be letters, digits, '.', '_' or '-'");
        }
        this.maxSkewSeconds = config.maxSkewSeconds();
        this.maxBodyBytes = config.maxBodyBytes();
        this.callbackTimeout = Duration.ofSeconds(config.callbackTimeoutSeconds());
        InstanceSecret resolved = secret(instance, config, properties, secretsDir);
        String problem = resolved.problem();
        this.file = file(properties);
        URI url = null;
        if (problem == null) {
            try {
                url = config.callbackUrl().isBlank() ? null : URI.create(config.callbackUrl().trim());
                if (url == null) {
                    problem = "no callbackUrl configured: replies wait until one is set (set 'callbackUrl' in "
                            + file + ")";
                } else if (!"http".equals(url.getScheme()) && !"https".equals(url.getScheme())
                        || url.getHost() == null) {
                    problem = "callbackUrl must be an http or https URL with a host: fix 'callbackUrl' in " + file;
                    url = null;
                }
            } catch (IllegalArgumentException e) {
                problem = "callbackUrl is not a valid URL: fix 'callbackUrl' in " + file;
            }
        }
        this.secret = resolved.value();
        this.secretOrigin = resolved.origin();
        this.callbackUrl = url;
        // without a secret it is still registered, DOWN with the reason: the console shows what to fix, and
        // webhooks answer 503
        health.set(problem == null ? new ChannelHealth(Status.UP, null, clock.instant())
                : new ChannelHealth(Status.DOWN, problem, clock.instant()));
        if (secret == null) {
            LOG.error("HTTP channel instance {} cannot take webhooks: {}", instance, problem);
        } else {
            LOG.info("HTTP channel instance {} ready at /webhooks/api/{}{}", instance, instance,
                    problem == null ? "" : " (" + problem + ")");
        }
        Hashtable<String, Object> serviceProperties = new Hashtable<>();
        serviceProperties.put(Channel.CHANNEL, CHANNEL_ID);
        serviceProperties.put(Channel.INSTANCE, instance);
        this.registration = context.registerService(Channel.class, this, serviceProperties);
    }

    /**
     * The instance's secret and where it comes from, or why it has none.
     *
     * @param value   the secret, null when there is none; never logged
     * @param origin  "set in <cfg file>" or "generated in <secret file>", null when there is none
     * @param problem why there is none, in words an admin acts on; null when there is one
     */
    private record InstanceSecret(String value, String origin, String problem) {
        InstanceSecret {
            if ((value == null) == (problem == null) || (value == null) != (origin == null)) {
                throw new IllegalArgumentException("a secret has a value and an origin, or a problem");
            }
        }

        @Override
        public String toString() {
            return value != null ? "secret " + origin : problem;
        }
    }

    private static InstanceSecret secret(String instance, ApiChannelConfig config, Map<String, Object> properties,
                                         Path secretsDir) {
        if (config.secret() != null && !config.secret().isBlank()) {
            return new InstanceSecret(config.secret(), "set in " + source(properties), null);
        }
        if (!config.generateSecret()) {
            return new InstanceSecret(null, null, "no secret: set 'secret' in " + source(properties)
                    + ", or generateSecret = true to have one generated");
        }
        Path file = SecretFile.of(secretsDir, "api", instance).toAbsolutePath();
        SecretFile.Read read;
        try {
            read = SecretFile.readOrGenerate(file);
        } catch (IOException e) {
            return new InstanceSecret(null, null, "no usable secret: " + e.getMessage() + "; or set 'secret' in "
                    + source(properties));
        }
        if (read.generated()) {
            LOG.warn("HTTP channel instance {} generated its secret into {} (readable by its owner only): give it to "
                    + "the sender and the callback peer", instance, file);
            // also on the terminal that started Karaf, where whoever sets up the demo looks
            System.out.println("Frontdoor: HTTP channel instance " + instance + " generated its secret into " + file);
        } else {
            LOG.info("HTTP channel instance {} reads its secret from {}", instance, file);
        }
        return new InstanceSecret(read.value(), "generated in " + file, null);
    }

    @Deactivate
    void deactivate() {
        try {
            registration.unregister();
        } catch (IllegalStateException alreadyGone) {
            // the bundle is stopping and took the registration with it
        }
        LOG.info("HTTP channel instance {} removed", instance);
    }

    /** The instance name: explicit, else from the factory configuration's name or its file name. */
    static String instanceName(String explicit, Map<String, Object> properties) {
        return FactoryConfigurations.instanceName(explicit, FACTORY_PID, properties, "channel");
    }

    private static String source(Map<String, Object> properties) {
        return FactoryConfigurations.source(properties);
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
        return ChannelCapabilities.plainPrivate();
    }

    @Override
    public ChannelHealth health() {
        ChannelHealth current = health.get();
        Instant retry = current.since().plus(authRetry);
        if (current.status() == Status.AUTH_EXPIRED && !clock.instant().isBefore(retry)) {
            // core holds an AUTH_EXPIRED door's replies, so only a reply let through can tell the peer was fixed
            return new ChannelHealth(Status.DEGRADED, current.reason() + "; trying replies again", retry);
        }
        return current;
    }

    /** The shared secret, or null when none is configured (the instance is then DOWN). */
    String secret() {
        return secret;
    }

    /** Where the secret comes from, for reasons an admin acts on: "set in <file>" or "generated in <file>". */
    String secretOrigin() {
        return secretOrigin;
    }

    URI callbackUrl() {
        return callbackUrl;
    }

    long maxSkewSeconds() {
        return maxSkewSeconds;
    }

    int maxBodyBytes() {
        return maxBodyBytes;
    }

    Duration callbackTimeout() {
        return callbackTimeout;
    }

    /** The callback peer took a reply: UP again, whatever the earlier failures were. */
    void callbackSucceeded() {
        if (callbackUrl != null && health.get().status() != Status.UP) {
            health.set(new ChannelHealth(Status.UP, null, clock.instant()));
        }
    }

    /** A passing failure: DEGRADED with the reason, and replies keep going out. */
    void callbackFailed(String reason) {
        if (callbackUrl == null) {
            return;
        }
        ChannelHealth current = health.get();
        if (current.status() != Status.DEGRADED || !reason.equals(current.reason())) {
            health.set(new ChannelHealth(Status.DEGRADED, reason, clock.instant()));
        }
    }

    /**
     * The callback peer refused our signature: AUTH_EXPIRED, so core holds the replies, until a success or until
     * {@code authRetrySeconds} have passed.
     */
    void signatureRefused(int status) {
        if (callbackUrl == null) {
            return;
        }
        health.set(new ChannelHealth(Status.AUTH_EXPIRED, "the callback peer refused our signature (" + status
                + "): check that it verifies callbacks with the secret of channel instance " + instance + " ("
                + secretOrigin + ")", clock.instant()));
    }

    /** Where the configuration came from, as an admin names it: etc/<file>.cfg, else the configuration's PID. */
    static String file(Map<String, Object> properties) {
        String source = FactoryConfigurations.source(properties);
        int slash = source.lastIndexOf('/');
        return source.endsWith(".cfg") && slash >= 0 ? "etc/" + source.substring(slash + 1) : source;
    }

    /**
     * The secret, and the callback peer's address: its host resolved, a TCP connection made and, for https, the TLS
     * handshake with its certificate checked; no request is sent.
     */
    @Override
    public org.frontdoor.api.CheckReport check() {
        java.util.List<org.frontdoor.api.CheckReport.Step> steps = new java.util.ArrayList<>();
        steps.add(secret == null ? org.frontdoor.api.CheckReport.Step.failed("webhook secret", secretOrigin == null
                ? health.get().reason() : secretOrigin)
                : org.frontdoor.api.CheckReport.Step.ok("webhook secret", "secret " + secretOrigin));
        steps.add(checkCallbackPeer());
        org.frontdoor.api.CheckReport report = new org.frontdoor.api.CheckReport(steps);
        report.steps().forEach(step -> LOG.info("HTTP channel instance {} check: {}: {}", instance, step.what(),
                step.detail()));
        return report;
    }

    private org.frontdoor.api.CheckReport.Step checkCallbackPeer() {
        String what = "callback peer";
        if (callbackUrl == null) {
            return org.frontdoor.api.CheckReport.Step.failed(what, secret == null ? "not tried: no secret"
                    : health.get().reason());
        }
        boolean https = "https".equals(callbackUrl.getScheme());
        String host = callbackUrl.getHost();
        int port = callbackUrl.getPort() > 0 ? callbackUrl.getPort() : https ? 443 : 80;
        int timeout = (int) Math.min(Integer.MAX_VALUE, callbackTimeout.toMillis());
        try (java.net.Socket socket = new java.net.Socket()) {
            socket.connect(new java.net.InetSocketAddress(host, port), timeout);
            if (https) {
                socket.setSoTimeout(timeout);
                javax.net.ssl.SSLSocketFactory factory = (javax.net.ssl.SSLSocketFactory)
                        javax.net.ssl.SSLSocketFactory.getDefault();
                try (javax.net.ssl.SSLSocket tls = (javax.net.ssl.SSLSocket) factory.createSocket(socket, host, port,
                        false)) {
                    javax.net.ssl.SSLParameters parameters = tls.getSSLParameters();
                    parameters.setEndpointIdentificationAlgorithm("HTTPS");
                    tls.setSSLParameters(parameters);
                    tls.startHandshake();
                }
            }
            return org.frontdoor.api.CheckReport.Step.ok(what, "connected to " + host + ":" + port
                    + (https ? " and its certificate is trusted" : "") + "; no request sent");
        } catch (java.io.IOException | RuntimeException e) {
            org.frontdoor.api.ConnectionTrouble.Kind kind = org.frontdoor.api.ConnectionTrouble.kind(e, https, false);
            String sentence = kind == org.frontdoor.api.ConnectionTrouble.Kind.TLS_TO_PLAIN_PORT
                    ? "the callback peer at " + host + ":" + port + " does not speak TLS: fix 'callbackUrl' in "
                    + file + " (http://, or the peer's https port)"
                    : org.frontdoor.api.ConnectionTrouble.explain(kind, new org.frontdoor.api.ConnectionTrouble.Settings(
                    "the callback peer", host, port, "callbackUrl", "callbackUrl", "callbackUrl", "https",
                    "http", file));
            return org.frontdoor.api.CheckReport.Step.failed(what, sentence != null ? sentence
                    : "cannot connect to the callback peer at " + host + ":" + port + ": "
                    + org.frontdoor.api.ConnectionTrouble.what(e));
        }
    }

    /**
     * Replies are tried again now: a door held AUTH_EXPIRED or DEGRADED by a failed callback is UP until the next
     * reply tells otherwise (each callback is its own HTTP request: there is no connection to make again).
     */
    @Override
    public void reconnect() {
        if (callbackUrl != null && health.get().status() != Status.UP) {
            LOG.info("HTTP channel instance {}: replies are tried again now", instance);
            health.set(new ChannelHealth(Status.UP, null, clock.instant()));
        }
    }

    @Override
    public String toString() {
        return "api/" + instance;
    }
}
