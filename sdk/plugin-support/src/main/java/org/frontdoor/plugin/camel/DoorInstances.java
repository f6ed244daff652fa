package org.frontdoor.plugin.camel;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import org.frontdoor.api.Channel;

/**
 * A door's configured instances by name, as its runtime gets them through a dynamic, multiple {@code @Reference} to
 * {@link Channel} services of its channel: {@link #add} and {@link #remove} are the bind and unbind methods' bodies
 * (other doors' channels are ignored, and an instance replaced by a newer one of the same name stays replaced).
 */
public final class DoorInstances<T extends Channel> {

    private final Class<T> type;
    private final Map<String, T> instances = new ConcurrentHashMap<>();

    /** Instances of the door's own {@link Channel} class. */
    public DoorInstances(Class<T> type) {
        this.type = type;
    }

    /** Keeps {@code channel} under its instance name when it is one of this door's. */
    public void add(Channel channel) {
        if (type.isInstance(channel)) {
            instances.put(channel.instance(), type.cast(channel));
        }
    }

    /** Forgets {@code channel} (only if it is still the one kept under its name). */
    public void remove(Channel channel) {
        if (type.isInstance(channel)) {
            instances.remove(channel.instance(), type.cast(channel));
        }
    }

    /** The instance of that name, or {@code null}. */
    public T get(String name) {
        return instances.get(name);
    }

    /** The instance of that name, or an {@link IllegalStateException} with {@code whenMissing}'s message. */
    public T require(String name, Supplier<String> whenMissing) {
        T instance = instances.get(name);
        if (instance == null) {
            throw new IllegalStateException(whenMissing.get());
        }
        return instance;
    }
}
