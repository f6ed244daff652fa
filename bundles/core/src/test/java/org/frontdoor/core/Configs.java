package org.frontdoor.core;

import java.lang.reflect.Proxy;
import java.util.HashMap;
import java.util.Map;

/** Core's configuration for tests: the annotation's defaults, with some values changed. */
final class Configs {

    private Configs() {
    }

    /** Pairs of attribute name and value, such as {@code core("ingestWriters", 1)}. */
    static CoreConfig core(Object... overrides) {
        Map<String, Object> values = new HashMap<>();
        for (int i = 0; i < overrides.length; i += 2) {
            values.put((String) overrides[i], overrides[i + 1]);
        }
        return (CoreConfig) Proxy.newProxyInstance(CoreConfig.class.getClassLoader(), new Class<?>[] {CoreConfig.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "annotationType" -> CoreConfig.class;
                    case "toString" -> "CoreConfig" + values;
                    case "hashCode" -> values.hashCode();
                    case "equals" -> proxy == args[0];
                    default -> values.containsKey(method.getName()) ? values.get(method.getName())
                            : method.getDefaultValue();
                });
    }

    static Settings settings(Object... overrides) {
        return Settings.of(core(overrides));
    }
}
