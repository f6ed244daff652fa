package org.frontdoor.rule.keyword;

import java.lang.reflect.Array;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.frontdoor.api.Annotation;
import org.frontdoor.api.Identity;
import org.frontdoor.api.Message;
import org.frontdoor.api.RoutingContext;

/** Configurations as DS hands them to the rule, and messages in their conversation. */
final class Rules {

    private static int messages;

    private Rules() {
    }

    /** The properties of factory configuration {@code org.frontdoor.rule.keyword~<name>}: key, value, key, value... */
    static Map<String, Object> cfg(String name, Object... keysAndValues) {
        Map<String, Object> properties = new HashMap<>();
        properties.put("service.pid", KeywordRule.FACTORY_PID + "~" + name);
        properties.put("service.factoryPid", KeywordRule.FACTORY_PID);
        for (int i = 0; i < keysAndValues.length; i += 2) {
            properties.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return properties;
    }

    /** The configuration read from these properties as DS does: converted to each element's type, else its default. */
    static KeywordRuleConfig config(Map<String, Object> properties) {
        return (KeywordRuleConfig) Proxy.newProxyInstance(Rules.class.getClassLoader(),
                new Class<?>[] {KeywordRuleConfig.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "annotationType" -> KeywordRuleConfig.class;
                    case "toString" -> "KeywordRuleConfig" + properties;
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    default -> value(method, properties.get(method.getName().replace('_', '.')));
                });
    }

    private static Object value(Method element, Object value) {
        Class<?> type = element.getReturnType();
        if (value == null) {
            return element.getDefaultValue();
        }
        if (type == int.class) {
            return value instanceof Number n ? n.intValue() : Integer.parseInt(value.toString().strip());
        }
        if (type == String[].class) {
            if (value instanceof String[]) {
                return value;
            }
            Collection<?> values = value instanceof Collection<?> c ? c : List.of(value);
            return values.stream().map(String::valueOf).toArray(String[]::new);
        }
        return value.getClass().isArray() ? String.valueOf(Array.get(value, 0)) : String.valueOf(value);
    }

    /** The settings of configuration {@code <name>}, or the refusal. */
    static RuleSettings settings(String name, Object... keysAndValues) {
        Map<String, Object> properties = cfg(name, keysAndValues);
        return RuleSettings.from(config(properties), properties);
    }

    static Message message(String channel, String text, Annotation... annotations) {
        return Message.inbound(channel, "main").externalId("m-" + ++messages)
                .author(Identity.of(channel, "cust-42")).text(text).annotations(List.of(annotations)).build();
    }

    /** The conversation of these messages, oldest first: the last is the one being routed. */
    static RoutingContext conversation(Message... messages) {
        return new RoutingContext(7, 42, null, false, List.of(messages));
    }

    static Annotation annotation(String name, String value) {
        return new Annotation(name, value, 0.9);
    }
}
