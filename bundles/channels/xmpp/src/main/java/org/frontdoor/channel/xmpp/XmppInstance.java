package org.frontdoor.channel.xmpp;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Hashtable;
import java.util.Map;

import org.frontdoor.api.Channel;
import org.frontdoor.api.ChannelCapabilities;
import org.frontdoor.api.ChannelHealth;
import org.frontdoor.api.FactoryConfigurations;
import org.frontdoor.api.OutboundReply;
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
 * One configured XMPP door (a factory configuration): one account on the company's XMPP server. It registers a
 * {@link Channel} service ({@code frontdoor.channel=xmpp}, {@code frontdoor.instance=<name>}) even when its
 * configuration is unusable, DOWN with the reason, so its replies wait and the console shows what to fix.
 */
@Component(configurationPid = XmppInstance.FACTORY_PID, configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = {}, immediate = true)
@Designate(ocd = XmppChannelConfig.class, factory = true)
public class XmppInstance implements Channel, org.frontdoor.api.ChannelCheck {

    static final String FACTORY_PID = "org.frontdoor.channel.xmpp";
    private static final Logger LOG = LoggerFactory.getLogger(XmppInstance.class);

    private final String instance;
    private final XmppChannelRuntime runtime;
    private final XmppDoor door;
    private final ServiceRegistration<Channel> registration;

    @Activate
    public XmppInstance(BundleContext context, XmppChannelConfig config, Map<String, Object> properties,
                        @Reference XmppChannelRuntime runtime) {
        this.instance = instanceName(config.instance(), properties);
        this.runtime = runtime;
        XmppSettings settings = XmppSettings.of(instance, FactoryConfigurations.source(properties), config);
        this.door = new XmppDoor(settings, runtime::ingest, Clock.systemUTC(), spoolFile(instance));
        runtime.add(this);
        door.start();
        Hashtable<String, Object> serviceProperties = new Hashtable<>();
        serviceProperties.put(Channel.CHANNEL, Stanzas.CHANNEL);
        serviceProperties.put(Channel.INSTANCE, instance);
        serviceProperties.put(Channel.REPLY_CONCURRENCY, Math.max(1, config.replyConcurrency()));
        serviceProperties.put(Channel.REPLY_MAX_ATTEMPTS, Math.max(1, config.replyMaxAttempts()));
        this.registration = context.registerService(Channel.class, this, serviceProperties);
        LOG.info("XMPP channel instance {} configured: {}", instance, settings);
    }

    /**
     * {@code ${karaf.data}/frontdoor/xmpp/<instance>.spool}: the journal of the messages received and not stored yet
     * ({@link #instanceName} lets only letters, digits, '.', '_' and '-' into a name, so it is a file name as it is).
     */
    static Path spoolFile(String instance) {
        return Path.of(System.getProperty("karaf.data", "data"), "frontdoor", "xmpp", instance + ".spool");
    }

    static String instanceName(String explicit, Map<String, Object> properties) {
        String name = FactoryConfigurations.instanceName(explicit, FACTORY_PID, properties, "channel");
        if (!name.matches("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")) {
            throw new IllegalArgumentException("channel instance name '" + name + "' (from "
                    + FactoryConfigurations.source(properties) + ") must be letters, digits, '.', '_' or '-'");
        }
        return name;
    }

    @Deactivate
    void deactivate() {
        try {
            registration.unregister();
        } catch (IllegalStateException alreadyGone) {
            // the bundle is stopping and took the registration with it
        }
        runtime.remove(this);
        door.close();
    }

    void send(OutboundReply reply) throws Exception {
        door.send(reply);
    }

    @Override
    public String id() {
        return Stanzas.CHANNEL;
    }

    @Override
    public String instance() {
        return instance;
    }

    /** Private chats of any length, plain text, threaded (XMPP's thread id). */
    @Override
    public ChannelCapabilities capabilities() {
        return ChannelCapabilities.plainPrivate();
    }

    @Override
    public ChannelHealth health() {
        return door.health();
    }

    @Override
    public String toString() {
        return "xmpp/" + instance;
    }

    /** Logs in on a connection of its own (the door's session stays) and says what works and what to fix. */
    @Override
    public org.frontdoor.api.CheckReport check() {
        org.frontdoor.api.CheckReport report = new org.frontdoor.api.CheckReport(java.util.List.of(door.check()));
        report.steps().forEach(s -> LOG.info("XMPP channel instance {} check: {}: {}", instance(), s.what(),
                s.detail()));
        return report;
    }

    @Override
    public void reconnect() {
        LOG.info("XMPP channel instance {}: reconnecting now", instance());
        door.reconnect();
    }
}
