package org.frontdoor.testkit;

import java.lang.reflect.Proxy;
import java.util.Map;

/**
 * A component's configuration annotation (a {@code @ObjectClassDefinition} / DS component property type) as DS gives it
 * to an {@code @Activate} constructor, from a map: for unit tests that construct the component themselves. What the
 * map leaves out takes the annotation's default; a member with neither throws when called.
 *
 * <pre>{@code
 * AcmeConfig config = Configs.of(AcmeConfig.class, Map.of("url", peer.url("/leads").toString()));
 * }</pre>
 */
public final class Configs {

    private Configs() {
    }

    /** The annotation {@code type} with the values of {@code values} (by member name). */
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
