package org.frontdoor.channel.telegram;

import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.Map;

import org.frontdoor.api.Channel;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

/** Real {@link TelegramInstance}s for tests: a config with its metatype defaults unless given. */
final class Instances {

    private Instances() {
    }

    static TelegramChannelConfig config(Map<String, Object> values) {
        return (TelegramChannelConfig) Proxy.newProxyInstance(Instances.class.getClassLoader(),
                new Class<?>[] {TelegramChannelConfig.class}, (proxy, method, args) -> {
                    if (method.getName().equals("annotationType")) {
                        return TelegramChannelConfig.class;
                    }
                    if (values.containsKey(method.getName())) {
                        return values.get(method.getName());
                    }
                    Object fallback = method.getDefaultValue();
                    return fallback != null ? fallback : "";
                });
    }

    static TelegramInstance instance(String name, Map<String, Object> values, Path secrets, Clock clock) {
        return new TelegramInstance(registeringOnly(), config(values),
                Map.of("service.pid", TelegramInstance.FACTORY_PID + "~" + name,
                        "felix.fileinstall.filename", "/opt/frontdoor/etc/" + TelegramInstance.FACTORY_PID + "-"
                                + name + ".cfg"), secrets, clock);
    }

    /** A peer-backed instance with a configured secret token and the bot's username, so no getMe is needed. */
    static TelegramInstance instance(String name, TelegramPeer peer, Path secrets, Map<String, Object> more) {
        Map<String, Object> values = new HashMap<>(Map.of("token", peer.token, "secretToken", "s3cret-Token_1",
                "apiBaseUrl", peer.baseUrl(), "botUsername", "shop_bot", "requestTimeoutSeconds", 5));
        values.putAll(more);
        return instance(name, values, secrets, Clock.systemUTC());
    }

    @SuppressWarnings("unchecked")
    static BundleContext registeringOnly() {
        return (BundleContext) Proxy.newProxyInstance(Instances.class.getClassLoader(),
                new Class<?>[] {BundleContext.class}, (proxy, method, args) -> {
                    if (method.getName().equals("registerService") && args[0] == Channel.class) {
                        Dictionary<String, ?> props = (Dictionary<String, ?>) args[2];
                        if (!"telegram".equals(props.get(Channel.CHANNEL)) || props.get(Channel.INSTANCE) == null) {
                            throw new AssertionError("channel service properties missing: " + props);
                        }
                        return Proxy.newProxyInstance(Instances.class.getClassLoader(),
                                new Class<?>[] {ServiceRegistration.class}, (p, m, a) -> null);
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }
}
