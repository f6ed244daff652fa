package org.frontdoor.channel.x;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;

import org.frontdoor.api.Channel;
import org.frontdoor.plugin.media.MediaFetches;
import org.frontdoor.testkit.MemoryBlobs;
import org.frontdoor.testkit.MemoryDoorStates;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

/** Builds real {@link XInstance}s for tests, with a bundle context that only takes registrations. */
final class Instances {

    static final String CONSUMER_SECRET = "z3ZX4v7mAAUGykl3EcmkqbartmuW8VFOOzCloLx9Q45P0hLrFu";
    static final String ACCOUNT = "2244994945";

    private Instances() {
    }

    static XInstance instance(String name, Map<String, Object> settings) {
        return instance(name, settings, Clock.systemUTC());
    }

    static XInstance instance(String name, Map<String, Object> settings, Clock clock) {
        try {
            return instance(name, settings, clock, Files.createTempDirectory("frontdoor-x-state"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * An instance keeping its rotated tokens in {@code stateDir}, and the threads of its posts in that node's database
     * ({@link #database}): a second one there is a restart.
     */
    static XInstance instance(String name, Map<String, Object> settings, Clock clock, Path stateDir) {
        return new XInstance(registeringOnly(), config(settings),
                Map.of("service.pid", XInstance.FACTORY_PID + "~" + name), clock, stateDir, database(stateDir));
    }

    private static final Map<Path, MemoryDoorStates> DATABASES = new HashMap<>();

    /** The door state of the node whose state directory is {@code stateDir}: one database per test. */
    static synchronized MemoryDoorStates database(Path stateDir) {
        return DATABASES.computeIfAbsent(stateDir, d -> new MemoryDoorStates());
    }

    /** A handler whose media fetches would fail the test: the instances here fetch from no host. */
    static XWebhookHandler handler(Function<String, XInstance> instances, Predicate<String> configured,
                                   XWebhookHandler.Ingest ingest) {
        return new XWebhookHandler(instances, configured, ingest, (instance, media) -> {
            throw new AssertionError("no media may be fetched from " + media.url());
        }, new MediaFetches("x", new MemoryBlobs(), text -> text));
    }

    /** A configuration with the metatype defaults, the consumer secret and account above, and {@code settings}. */
    static XChannelConfig config(Map<String, Object> settings) {
        Map<String, Object> all = new HashMap<>();
        all.put("consumerSecret", CONSUMER_SECRET);
        all.put("accountId", ACCOUNT);
        all.put("accessToken", "access-1");
        all.put("refreshToken", "");
        all.put("clientSecret", "");
        // no media host but the API's own: nothing is fetched from X's real hosts in a test
        all.put("mediaHosts", "");
        all.putAll(settings);
        return (XChannelConfig) Proxy.newProxyInstance(Instances.class.getClassLoader(),
                new Class<?>[] {XChannelConfig.class}, (proxy, method, args) -> {
                    if (method.getName().equals("annotationType")) {
                        return XChannelConfig.class;
                    }
                    if (all.containsKey(method.getName())) {
                        return all.get(method.getName());
                    }
                    Object fallback = method.getDefaultValue();
                    if (fallback == null) {
                        throw new AssertionError("no value for " + method.getName());
                    }
                    return fallback;
                });
    }

    /** A BundleContext whose only working method is registerService(Class, S, Dictionary). */
    @SuppressWarnings("unchecked")
    static BundleContext registeringOnly() {
        return (BundleContext) Proxy.newProxyInstance(Instances.class.getClassLoader(),
                new Class<?>[] {BundleContext.class}, (proxy, method, args) -> {
                    if (method.getName().equals("registerService") && args[0] == Channel.class) {
                        Dictionary<String, ?> props = (Dictionary<String, ?>) args[2];
                        if (!"x".equals(props.get(Channel.CHANNEL)) || props.get(Channel.INSTANCE) == null) {
                            throw new AssertionError("channel service properties missing: " + props);
                        }
                        return Proxy.newProxyInstance(Instances.class.getClassLoader(),
                                new Class<?>[] {ServiceRegistration.class}, (p, m, a) -> null);
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }
}
