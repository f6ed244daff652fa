package org.frontdoor.shell;

import java.nio.file.Path;
import java.util.Hashtable;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.function.Supplier;

import org.frontdoor.api.Channel;
import org.frontdoor.api.ChannelCapabilities;
import org.frontdoor.api.ChannelHealth;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceRegistration;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.launch.FrameworkFactory;

/** A real OSGi framework (Felix, as in Karaf) whose registry holds the channels a test registers. */
public final class Osgi implements AutoCloseable {

    private final Framework framework;

    public Osgi(Path storage) throws BundleException {
        framework = ServiceLoader.load(FrameworkFactory.class).findFirst().orElseThrow().newFramework(Map.of(
                Constants.FRAMEWORK_STORAGE, storage.toString(),
                Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT,
                "felix.service.urlhandlers", "false"));
        framework.start();
    }

    public BundleContext context() {
        return framework.getBundleContext();
    }

    /** Registers a channel as channel bundles do: with its id and instance as service properties. */
    public ServiceRegistration<Channel> register(String id, String instance, Supplier<ChannelHealth> health) {
        Hashtable<String, Object> properties = new Hashtable<>();
        properties.put(Channel.CHANNEL, id);
        properties.put(Channel.INSTANCE, instance);
        return context().registerService(Channel.class, new Channel() {
            @Override
            public String id() {
                return id;
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
                return health.get();
            }
        }, properties);
    }

    /** A door that can be checked ({@link org.frontdoor.api.ChannelCheck}): its check answers {@code report}. */
    public ServiceRegistration<Channel> registerCheckable(String id, String instance,
                                                          org.frontdoor.api.CheckReport report,
                                                          java.util.concurrent.atomic.AtomicInteger reconnects) {
        Hashtable<String, Object> properties = new Hashtable<>();
        properties.put(Channel.CHANNEL, id);
        properties.put(Channel.INSTANCE, instance);
        final class Door implements Channel, org.frontdoor.api.ChannelCheck {
            @Override
            public String id() {
                return id;
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
                return ChannelHealth.up();
            }

            @Override
            public org.frontdoor.api.CheckReport check() {
                return report;
            }

            @Override
            public void reconnect() {
                reconnects.incrementAndGet();
            }
        }
        return context().registerService(Channel.class, new Door(), properties);
    }

    @Override
    public void close() throws Exception {
        framework.stop();
        framework.waitForStop(60_000);
    }
}
