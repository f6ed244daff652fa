package org.frontdoor.channel.email;

import java.lang.reflect.Proxy;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.frontdoor.api.inbox.ConversationDetail;
import org.frontdoor.api.inbox.Inbox;

/** A configuration with the annotation's defaults and the given values; an inbox that answers conversation(). */
final class Fixtures {

    private Fixtures() {
    }

    static EmailChannelConfig config(Map<String, Object> values) {
        Map<String, Object> copy = new HashMap<>(values);
        return (EmailChannelConfig) Proxy.newProxyInstance(Fixtures.class.getClassLoader(),
                new Class<?>[]{EmailChannelConfig.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "annotationType" -> EmailChannelConfig.class;
                    case "toString" -> "config";
                    case "hashCode" -> 0;
                    case "equals" -> proxy == args[0];
                    default -> copy.containsKey(method.getName()) ? copy.get(method.getName())
                            : method.getDefaultValue();
                });
    }

    static Map<String, Object> pid(String instance) {
        return Map.of("service.pid", EmailInstance.FACTORY_PID + "~" + instance, "felix.fileinstall.filename",
                "file:/opt/frontdoor/etc/org.frontdoor.channel.email-" + instance + ".cfg");
    }

    /** The conversations core would answer with, by id. */
    static final class Conversations {
        final Map<Long, ConversationDetail> byId = new ConcurrentHashMap<>();

        Inbox inbox() {
            return (Inbox) Proxy.newProxyInstance(Fixtures.class.getClassLoader(), new Class<?>[]{Inbox.class},
                    (proxy, method, args) -> {
                        if (method.getName().equals("conversation")) {
                            return Optional.ofNullable(byId.get((Long) args[1]));
                        }
                        throw new UnsupportedOperationException(method.getName());
                    });
        }
    }
}
