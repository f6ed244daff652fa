package org.frontdoor.channel.sms;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
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
import org.frontdoor.api.consent.Consents;
import org.frontdoor.api.calls.CallRequest;
import org.frontdoor.api.calls.ChannelCalls;
import org.frontdoor.api.calls.PlacedCall;
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
 * One number or account (a factory configuration), registered as a {@link Channel} with {@code frontdoor.channel=sms}
 * and {@code frontdoor.instance=<name>}. Nothing to set up at start: the webhooks are set in the provider's console.
 * With a {@code fromNumber} it also places the calls of callback tasks ({@link SmsCalls}).
 */
@Component(configurationPid = SmsInstance.FACTORY_PID, configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = {}, immediate = true)
@Designate(ocd = SmsChannelConfig.class, factory = true)
public class SmsInstance implements Channel, ChannelCalls {

    static final String FACTORY_PID = "org.frontdoor.channel.sms";
    static final String CHANNEL_ID = "sms";
    private static final Logger LOG = LoggerFactory.getLogger(SmsInstance.class);

    private final String instance;
    private final String source;
    private final String accountSid;
    private final byte[] authToken;
    private final String from;
    private final String messagingServiceSid;
    private final String publicUrl;
    private final String defaultCountryCode;
    private final int maxSegments;
    private final int maxBodyBytes;
    private final long maxAttachmentBytes;
    private final Duration rateLimitWait;
    private final Duration authRetry;
    private final Clock clock;
    private final TwilioApi api;
    private final Consent consent;
    private final boolean oldListMoved;
    private final Map<String, String> agentPhones;
    private final ChannelCapabilities capabilities;
    private final DoorHealth health;
    private final AtomicReference<Instant> notBefore = new AtomicReference<>(Instant.EPOCH);
    private final ServiceRegistration<Channel> registration;

    /** {@code consents}: core's consent, where STOP and START are kept (an older door's file is moved there). */
    @Activate
    public SmsInstance(BundleContext context, SmsChannelConfig config, Map<String, Object> properties,
                       @Reference Consents consents) {
        this(context, config, properties, Path.of(System.getProperty("karaf.data", "data"), "frontdoor", "sms"),
                Clock.systemUTC(), consents);
    }

    SmsInstance(BundleContext context, SmsChannelConfig config, Map<String, Object> properties, Path dataDir,
                Clock clock, Consents consents) {
        this.clock = clock;
        this.instance = instanceName(config.instance(), properties);
        if (!instance.matches("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")) {
            throw new IllegalArgumentException("channel instance name '" + instance + "' (from "
                    + FactoryConfigurations.source(properties) + ") must be letters, digits, '.', '_' or '-'");
        }
        this.source = FactoryConfigurations.source(properties);
        this.maxBodyBytes = config.maxBodyBytes();
        this.maxAttachmentBytes = Math.max(0, config.maxAttachmentBytes());
        this.maxSegments = Math.max(1, Math.min(10, config.maxSegments()));
        this.rateLimitWait = Duration.ofSeconds(config.rateLimitWaitSeconds());
        this.authRetry = Duration.ofSeconds(config.authRetrySeconds());
        this.defaultCountryCode = trim(config.defaultCountryCode());
        this.capabilities = new ChannelCapabilities(160, ChannelCapabilities.LengthCounting.SMS_SEGMENTS,
                maxSegments > 1, false, true, false, ChannelCapabilities.Markup.NONE, false);
        String problem = null;
        String sid = trim(config.accountSid());
        if (sid == null) {
            problem = "no account: set 'accountSid' in " + source + " to the Account SID (AC...) of the console";
        } else if (!sid.matches("AC[0-9a-fA-F]{32}")) {
            problem = "'accountSid' in " + source + " is not an Account SID (AC and 32 hexadecimal digits)";
        }
        this.accountSid = sid;
        String token = trim(config.authToken());
        if (problem == null && token == null) {
            problem = "no auth token: set 'authToken' in " + source + " to the account's Auth Token";
        }
        this.authToken = token == null ? null : token.getBytes(StandardCharsets.UTF_8);
        String f = PhoneNumbers.normalize(config.fromNumber(), defaultCountryCode);
        this.from = f;
        this.messagingServiceSid = trim(config.messagingServiceSid());
        if (problem == null && f == null && messagingServiceSid == null) {
            problem = "no sender: set 'fromNumber' (E.164) or 'messagingServiceSid' in " + source;
        }
        if (problem == null && defaultCountryCode != null && !defaultCountryCode.matches("[1-9][0-9]{0,2}")) {
            problem = "'defaultCountryCode' in " + source + " must be a country calling code (1 to 3 digits)";
        }
        String url = trim(config.publicUrl());
        if (problem == null && url != null) {
            try {
                URI u = URI.create(url);
                if (u.getHost() == null || !("https".equals(u.getScheme()) || "http".equals(u.getScheme()))) {
                    problem = "publicUrl in " + source + " must be the http(s) address set in the provider's console";
                }
            } catch (IllegalArgumentException e) {
                problem = "publicUrl in " + source + " is not a valid URL";
            }
        }
        this.publicUrl = url;
        Map<String, String> phones = new java.util.TreeMap<>();
        for (String entry : config.agentPhones() == null ? new String[0] : config.agentPhones()) {
            if (entry == null || entry.isBlank()) {
                continue;
            }
            int eq = entry.indexOf('=');
            String number = eq < 1 ? null : PhoneNumbers.normalize(entry.substring(eq + 1), defaultCountryCode);
            if (problem == null && !PhoneNumbers.isE164(number)) {
                problem = "agentPhones in " + source + " takes login=+E.164 entries (jane=+14155552671); '"
                        + (eq < 1 ? entry.strip() : entry.substring(0, eq).strip() + "=...") + "' is not one";
            } else if (number != null) {
                phones.put(entry.substring(0, eq).strip(), number);
            }
        }
        this.agentPhones = Map.copyOf(phones);
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
        this.api = problem != null ? null
                : new TwilioApi(base, accountSid, token, Duration.ofSeconds(config.requestTimeoutSeconds()));
        Path oldList = dataDir.resolve(instance + ".opted-out");
        boolean moved = false;
        try {
            int numbers = Consent.importFile(consents, oldList);
            if (numbers > 0) {
                LOG.info("SMS channel instance {}: moved {} number(s) that texted STOP from {} into the database",
                        instance, numbers, oldList);
            }
            moved = true;
        } catch (IOException | RuntimeException e) {
            if (problem == null) {
                problem = "the numbers that texted STOP in " + oldList + " could not be moved into the database ("
                        + e.getMessage() + "); the file stays and is read at the next start";
            }
        }
        this.consent = new Consent(consents);
        this.oldListMoved = moved;
        this.health = new DoorHealth(clock, authRetry, problem);
        if (problem != null) {
            LOG.error("SMS channel instance {} cannot work: {}", instance, problem);
        } else {
            LOG.info("SMS channel instance {} ready at /webhooks/sms/{}", instance, instance);
        }
        Hashtable<String, Object> serviceProperties = new Hashtable<>();
        serviceProperties.put(Channel.CHANNEL, CHANNEL_ID);
        serviceProperties.put(Channel.INSTANCE, instance);
        serviceProperties.put(Channel.REPLY_CONCURRENCY, 4);
        // core refuses a longer reply before it is queued, with how much to cut
        serviceProperties.put(Channel.REPLY_MAX_SEGMENTS, maxSegments);
        this.registration = context.registerService(Channel.class, this, serviceProperties);
    }

    static String instanceName(String explicit, Map<String, Object> properties) {
        return FactoryConfigurations.instanceName(explicit, FACTORY_PID, properties, "channel");
    }

    @Deactivate
    void deactivate() {
        try {
            registration.unregister();
        } catch (IllegalStateException alreadyGone) {
            // the bundle is stopping and took the registration with it
        }
        LOG.info("SMS channel instance {} removed", instance);
    }

    @Override
    public String id() {
        return CHANNEL_ID;
    }

    @Override
    public String instance() {
        return instance;
    }

    /** SMS segments, private only; segmentation when more than one segment is allowed. */
    @Override
    public ChannelCapabilities capabilities() {
        return capabilities;
    }

    @Override
    public ChannelHealth health() {
        return health.current();
    }

    boolean usable() {
        return api != null && oldListMoved;
    }

    /** Calls go from {@code fromNumber}: a Messaging Service cannot place them. */
    @Override
    public boolean canCall() {
        return usable() && from != null;
    }

    @Override
    public PlacedCall call(CallRequest request) throws InterruptedException {
        return SmsCalls.call(this, request);
    }

    /** The phone configured for an agent's login name, or null. */
    String agentPhone(String agent) {
        return agentPhones.get(agent);
    }

    /** The file this instance comes from, for sentences that tell an admin what to set. */
    String source() {
        return source;
    }

    byte[] authToken() {
        return authToken;
    }

    TwilioApi api() {
        return api;
    }

    Consent consent() {
        return consent;
    }

    String from() {
        return from;
    }

    String messagingServiceSid() {
        return messagingServiceSid;
    }

    String publicUrl() {
        return publicUrl;
    }

    String defaultCountryCode() {
        return defaultCountryCode;
    }

    int maxSegments() {
        return maxSegments;
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

    Instant notBefore() {
        return notBefore.get();
    }

    void rateLimited(long retryAfterSeconds) {
        notBefore.set(clock.instant().plusSeconds(retryAfterSeconds));
    }

    /** The API took a call: UP again, whatever the earlier failures were. */
    void succeeded() {
        health.succeeded();
    }

    /** What a failed call means for the instance: AUTH_EXPIRED for refused credentials, DEGRADED for passing ones. */
    void failed(TwilioApi.Failure f) {
        if (api == null) {
            return;
        }
        switch (f.kind()) {
            case AUTH_REFUSED -> health.authExpired(f.getMessage()
                    + ": the Auth Token was rotated or is wrong; set the current 'authToken' (and 'accountSid') in "
                    + source);
            case PASSING, RATE_LIMITED -> health.failed(f.getMessage());
            case REFUSED -> {
                // the API works and answered: only that request is refused
            }
        }
    }

    private static String trim(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }

    @Override
    public String toString() {
        return "sms/" + instance;
    }
}
