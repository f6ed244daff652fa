package org.frontdoor.integration.support;

import java.lang.reflect.Proxy;
import java.util.Map;

/** A configuration annotation as DS gives it, from a map; what the map leaves out takes the annotation's default. */
public final class Configs {

    private Configs() {
    }

    public static <A> A of(Class<A> type, Map<String, Object> values) {
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (proxy, method, args) -> {
            if (values.containsKey(method.getName())) {
                return values.get(method.getName());
            }
            if (method.getDefaultValue() != null) {
                return method.getDefaultValue();
            }
            throw new IllegalStateException(method.getName() + " has no value and no default");
        }));
    }
}
