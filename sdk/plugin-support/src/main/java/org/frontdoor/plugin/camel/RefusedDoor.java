package org.frontdoor.plugin.camel;

import java.net.URI;
import java.time.Instant;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.frontdoor.api.Channel;
import org.frontdoor.api.ChannelCapabilities;
import org.frontdoor.api.ChannelCheck;
import org.frontdoor.api.ChannelHealth;
import org.frontdoor.api.CheckReport;
import org.frontdoor.api.FactoryConfigurations;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

/**
 * A stand-in {@link Channel}, always {@code DOWN}, for a door's cfg that the door refuses outright (today: an instance
 * name that is not letters, digits, '.', '_' or '-', such as {@code org.frontdoor.channel.email-Bad Name!.cfg}), so
 * that {@code frontdoor:channel-list}, {@code GET /api/v1/channels} and the health report show the file, the key and
 * the fix instead of the log alone.
 *
 * <p>A door gives it a second DS component on its instances' factory PID ({@code configurationPolicy = REQUIRE},
 * no service of its own) whose activate calls {@link #forConfiguration} and whose deactivate calls {@link #close}:
 * Config Admin activates it for every cfg of the door, it registers a stand-in only for a refused one, and it goes
 * away when the cfg is deleted or changed (a fixed cfg brings the real instance up instead).
 */
public final class RefusedDoor implements Channel, ChannelCheck, AutoCloseable {

    /** What an instance name must be: 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit. */
    public static final String NAME = "[A-Za-z0-9][A-Za-z0-9_.-]{0,63}";

    private static final String RULE = "is not 1-64 letters, digits, '.', '_', '-' led by a letter or digit";

    private final String channel;
    private final String instance;
    private final ChannelHealth health;
    private final ServiceRegistration<Channel> registration;

    private RefusedDoor(BundleContext context, String channel, String instance, String reason) {
        this.channel = channel;
        this.instance = instance;
        this.health = new ChannelHealth(ChannelHealth.Status.DOWN, reason, Instant.now());
        Hashtable<String, Object> properties = new Hashtable<>();
        properties.put(Channel.CHANNEL, channel);
        properties.put(Channel.INSTANCE, instance);
        this.registration = context.registerService(Channel.class, this, properties);
    }

    /**
     * Why the door refuses the cfg, in words that name the file, the key and the fix; empty when the door takes it.
     *
     * @param factoryPid the door's instances' factory PID ({@code org.frontdoor.channel.email})
     * @param properties the configuration's properties, as DS gives them to the component
     */
    public static Optional<String> refusal(String factoryPid, Map<String, ?> properties) {
        String file = file(properties);
        Object explicit = properties.get("instance");
        if (explicit != null && !explicit.toString().isBlank()) {
            String name = explicit.toString().trim();
            return name.matches(NAME) ? Optional.empty() : Optional.of(file + " refused: 'instance' = '" + name + "' "
                    + RULE + ": fix 'instance' in it");
        }
        Optional<String> named = FactoryConfigurations.instanceName(factoryPid, properties);
        if (named.isEmpty()) {
            return Optional.of(file + " refused: it names no instance: set 'instance' in it, or name the file "
                    + factoryPid + "-<instance>.cfg");
        }
        String name = named.get();
        return name.matches(NAME) ? Optional.empty() : Optional.of(file + " refused: instance name '" + name + "' "
                + RULE + ": rename the file or set 'instance' in it");
    }

    /** The cfg file as an admin names it ({@code etc/<file>.cfg}), else where the configuration came from. */
    static String file(Map<String, ?> properties) {
        String source = FactoryConfigurations.source(properties);
        if (source.startsWith("file:")) {
            // file install gives a URL: etc/x-Bad%20Name!.cfg is etc/x-Bad Name!.cfg to the admin
            try {
                String path = URI.create(source).getPath();
                source = path != null ? path : source;
            } catch (IllegalArgumentException notAUri) {
                // shown as given
            }
        }
        int slash = source.lastIndexOf('/');
        return source.endsWith(".cfg") && slash >= 0 ? "etc/" + source.substring(slash + 1) : source;
    }

    /**
     * Registers a stand-in for the cfg when the door refuses it.
     *
     * @param channel    the door's channel id ({@code email})
     * @param factoryPid the door's instances' factory PID
     * @return the stand-in, to {@link #close} on deactivate; empty when the door takes the cfg
     */
    public static Optional<RefusedDoor> forConfiguration(BundleContext context, String channel, String factoryPid,
                                                         Map<String, ?> properties) {
        return refusal(factoryPid, properties)
                .map(reason -> new RefusedDoor(context, channel, listedName(factoryPid, properties), reason));
    }

    /** The name listed for a refused cfg: the refused name as written, else the cfg's file name or PID. */
    static String listedName(String factoryPid, Map<String, ?> properties) {
        Object explicit = properties.get("instance");
        if (explicit != null && !explicit.toString().isBlank()) {
            return explicit.toString().trim();
        }
        String named = FactoryConfigurations.instanceName(factoryPid, properties).orElse("");
        if (!named.isBlank()) {
            return named;
        }
        String file = file(properties);
        return file.substring(file.lastIndexOf('/') + 1);
    }

    @Override
    public String id() {
        return channel;
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
        return health;
    }

    /** Nothing to try: the cfg itself is refused, and the report says what to fix. */
    @Override
    public CheckReport check() {
        return new CheckReport(List.of(CheckReport.Step.failed("cfg", health.reason())));
    }

    @Override
    public void reconnect() {
        // nothing runs: the door waits for its cfg to be fixed
    }

    /** Unregisters the stand-in (the cfg was deleted or changed). */
    @Override
    public void close() {
        try {
            registration.unregister();
        } catch (IllegalStateException alreadyGone) {
            // the bundle is stopping and took the registration with it
        }
    }

    @Override
    public String toString() {
        return channel + "/" + instance + " (refused cfg)";
    }
}
