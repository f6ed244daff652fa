package org.frontdoor.channel.meta;

import java.lang.reflect.Proxy;
import java.time.Clock;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.Map;

import org.frontdoor.api.Channel;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

/** Builds real {@link MetaInstance}s for tests, with a bundle context that only takes registrations. */
final class Instances {

    static final String APP_SECRET = "4b1d6a58b2c0b5f6a3e0d4c2f9a7e1b3";
    static final String VERIFY_TOKEN = "meatball-7f3a";
    static final String TOKEN = "EAAGm0PX4ZCpsBA-page-token";

    private Instances() {
    }

    static MetaInstance instance(String name, Map<String, Object> settings) {
        return instance(name, settings, Clock.systemUTC());
    }

    static MetaInstance instance(String name, Map<String, Object> settings, Clock clock) {
        return new MetaInstance(registeringOnly(), config(settings),
                Map.of("service.pid", MetaInstance.FACTORY_PID + "~" + name), clock);
    }

    /** A configuration with the metatype defaults, the app secret, verify token, access token and templates above, and {@code settings}. */
    static MetaChannelConfig config(Map<String, Object> settings) {
        Map<String, Object> all = new HashMap<>();
        all.put("appSecret", APP_SECRET);
        all.put("verifyToken", VERIFY_TOKEN);
        all.put("accessToken", TOKEN);
        all.put("whatsappTemplates", new String[] {"order_update:en_US", "hello_world:en_US"});
        all.putAll(settings);
        return (MetaChannelConfig) Proxy.newProxyInstance(Instances.class.getClassLoader(),
                new Class<?>[] {MetaChannelConfig.class}, (proxy, method, args) -> {
                    if (method.getName().equals("annotationType")) {
                        return MetaChannelConfig.class;
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
                        if (!"meta".equals(props.get(Channel.CHANNEL)) || props.get(Channel.INSTANCE) == null) {
                            throw new AssertionError("channel service properties missing: " + props);
                        }
                        return Proxy.newProxyInstance(Instances.class.getClassLoader(),
                                new Class<?>[] {ServiceRegistration.class}, (p, m, a) -> null);
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }
}
