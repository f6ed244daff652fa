package org.frontdoor.channel.xmpp;

import java.lang.reflect.Proxy;
import java.util.Map;

/** An {@link XmppChannelConfig} as Config Admin would give it: the defaults, with some values set. */
final class Configs {

    private Configs() {
    }

    static XmppChannelConfig config(Map<String, Object> values) {
        return (XmppChannelConfig) Proxy.newProxyInstance(Configs.class.getClassLoader(),
                new Class<?>[] {XmppChannelConfig.class}, (proxy, method, args) -> {
                    if (method.getName().equals("annotationType")) {
                        return XmppChannelConfig.class;
                    }
                    if (values.containsKey(method.getName())) {
                        return values.get(method.getName());
                    }
                    Object value = method.getDefaultValue();
                    if (value == null) {
                        throw new UnsupportedOperationException(method.getName());
                    }
                    return value;
                });
    }

    static XmppSettings settings(String instance, Map<String, Object> values) {
        return XmppSettings.of(instance, "etc/org.frontdoor.channel.xmpp-" + instance + ".cfg", config(values));
    }
}
