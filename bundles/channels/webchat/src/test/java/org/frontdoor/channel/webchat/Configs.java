package org.frontdoor.channel.webchat;

import java.lang.reflect.Proxy;
import java.util.HashMap;
import java.util.Map;

/** A {@link WebchatConfig} with the annotation's defaults, some of them overridden, as DS would give it. */
final class Configs {

    private Configs() {
    }

    static WebchatConfig config(Map<String, Object> overrides) {
        Map<String, Object> values = new HashMap<>(overrides);
        return (WebchatConfig) Proxy.newProxyInstance(WebchatConfig.class.getClassLoader(),
                new Class<?>[] {WebchatConfig.class}, (proxy, method, args) -> {
                    if (method.getName().equals("annotationType")) {
                        return WebchatConfig.class;
                    }
                    if (values.containsKey(method.getName())) {
                        return values.get(method.getName());
                    }
                    Object fallback = method.getDefaultValue();
                    if (fallback == null) {
                        throw new IllegalStateException("no value for " + method.getName());
                    }
                    return fallback;
                });
    }

    static Map<String, Object> pid(String instance) {
        return Map.of("service.pid", WebchatInstance.FACTORY_PID + "~" + instance);
    }
}
