package org.frontdoor.channel.sms;

import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.Map;

import org.frontdoor.api.Channel;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

/** Real {@link SmsInstance}s for tests: a config with its metatype defaults unless given. */
final class Instances {

    static final String ACCOUNT = "ACXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX".replace('X', 'a');
    static final String TOKEN = "12345";

    private Instances() {
    }

    static SmsChannelConfig config(Map<String, Object> values) {
        return (SmsChannelConfig) Proxy.newProxyInstance(Instances.class.getClassLoader(),
                new Class<?>[] {SmsChannelConfig.class}, (proxy, method, args) -> {
                    if (method.getName().equals("annotationType")) {
                        return SmsChannelConfig.class;
                    }
                    if (values.containsKey(method.getName())) {
                        return values.get(method.getName());
                    }
                    Object fallback = method.getDefaultValue();
                    return fallback != null ? fallback : "";
                });
    }

    /** The consent of the node whose Karaf data directory is {@code data}: one database per test. */
    static synchronized MemoryConsents consents(Path data) {
        return DATABASES.computeIfAbsent(data, d -> new MemoryConsents());
    }

    private static final Map<Path, MemoryConsents> DATABASES = new HashMap<>();

    static SmsInstance instance(String name, Map<String, Object> values, Path data, Clock clock) {
        return new SmsInstance(registeringOnly(), config(values),
                Map.of("service.pid", SmsInstance.FACTORY_PID + "~" + name,
                        "felix.fileinstall.filename", "/opt/frontdoor/etc/" + SmsInstance.FACTORY_PID + "-"
                                + name + ".cfg"), data, clock, consents(data));
    }

    /** An instance of account {@link #ACCOUNT} with token {@link #TOKEN}, sending from +15005550006. */
    static SmsInstance instance(String name, String apiBaseUrl, Path data, Map<String, Object> more) {
        Map<String, Object> values = new HashMap<>(Map.of("accountSid", ACCOUNT, "authToken", TOKEN,
                "fromNumber", "+15005550006", "apiBaseUrl", apiBaseUrl, "requestTimeoutSeconds", 5));
        values.putAll(more);
        return instance(name, values, data, Clock.systemUTC());
    }

    @SuppressWarnings("unchecked")
    static BundleContext registeringOnly() {
        return (BundleContext) Proxy.newProxyInstance(Instances.class.getClassLoader(),
                new Class<?>[] {BundleContext.class}, (proxy, method, args) -> {
                    if (method.getName().equals("registerService") && args[0] == Channel.class) {
                        Dictionary<String, ?> props = (Dictionary<String, ?>) args[2];
                        if (!"sms".equals(props.get(Channel.CHANNEL)) || props.get(Channel.INSTANCE) == null) {
                            throw new AssertionError("channel service properties missing: " + props);
                        }
                        return Proxy.newProxyInstance(Instances.class.getClassLoader(),
                                new Class<?>[] {ServiceRegistration.class}, (p, m, a) -> null);
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }
}
