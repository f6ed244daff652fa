package org.frontdoor.core;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.frontdoor.api.Channel;
import org.frontdoor.api.ChannelHealth;
import org.frontdoor.store.Door;

/**
 * The doors whose {@link Channel} service is registered, with the per-door settings of their service properties. A
 * door without a service is not configured: its replies wait.
 */
final class Doors {

    /** A registered door. */
    record Registered(Channel channel, Integer concurrency, Integer maxAttempts, Integer deadlineSeconds,
                      Integer maxSegments) {

        Registered(Channel channel, Integer concurrency, Integer maxAttempts, Integer deadlineSeconds) {
            this(channel, concurrency, maxAttempts, deadlineSeconds, null);
        }

        /** The most messages one reply of the door may become ({@link Channel#REPLY_MAX_SEGMENTS}, else core's). */
        int mostSegments() {
            return maxSegments == null ? ReplyLength.MAX_SEGMENTS : maxSegments;
        }
    }

    private final Map<Door, Registered> doors = new ConcurrentHashMap<>();

    void add(Channel channel, Map<String, Object> properties) {
        Door door = door(channel, properties);
        if (door != null) {
            doors.put(door, new Registered(channel, number(properties.get(Channel.REPLY_CONCURRENCY)),
                    number(properties.get(Channel.REPLY_MAX_ATTEMPTS)),
                    number(properties.get(Channel.REPLY_DEADLINE_SECONDS)),
                    number(properties.get(Channel.REPLY_MAX_SEGMENTS))));
        }
    }

    void remove(Channel channel, Map<String, Object> properties) {
        Door door = door(channel, properties);
        if (door != null) {
            doors.computeIfPresent(door, (d, r) -> r.channel() == channel ? null : r);
        }
    }

    /** The registered instances of a channel, by name. */
    java.util.List<String> instances(String channel) {
        return doors.keySet().stream().filter(d -> d.channel().equals(channel)).map(Door::instance).sorted().toList();
    }

    /** Each registered door with its health now (DOWN when it cannot tell), for the metrics. */
    Map<Door, ChannelHealth.Status> health() {
        Map<Door, ChannelHealth.Status> health = new java.util.HashMap<>();
        doors.forEach((door, r) -> {
            ChannelHealth.Status status;
            try {
                ChannelHealth h = r.channel().health();
                status = h == null ? ChannelHealth.Status.DOWN : h.status();
            } catch (RuntimeException e) {
                status = ChannelHealth.Status.DOWN;
            }
            health.put(door, status);
        });
        return health;
    }

    /** The registered doors that can place phone calls now, by door. */
    Map<Door, org.frontdoor.api.calls.ChannelCalls> calling() {
        Map<Door, org.frontdoor.api.calls.ChannelCalls> out = new java.util.TreeMap<>(
                java.util.Comparator.comparing(Door::toString));
        doors.forEach((door, r) -> {
            if (r.channel() instanceof org.frontdoor.api.calls.ChannelCalls calls) {
                try {
                    if (calls.canCall()) {
                        out.put(door, calls);
                    }
                } catch (RuntimeException e) {
                    // a door that cannot tell is not offered
                }
            }
        });
        return out;
    }

    Optional<Registered> get(Door door) {
        return Optional.ofNullable(doors.get(door));
    }

    /**
     * Why replies to a door wait, or null when they may go: it is not configured, its health() failed, or it is
     * DOWN or AUTH_EXPIRED.
     */
    String holdReason(Door door) {
        Registered r = doors.get(door);
        if (r == null) {
            return "door " + door + " is not configured (no such channel instance is running)";
        }
        ChannelHealth health;
        try {
            health = r.channel().health();
        } catch (RuntimeException e) {
            return "door " + door + " cannot tell its health: " + e;
        }
        if (health == null) {
            return "door " + door + " tells no health";
        }
        return switch (health.status()) {
            case UP, DEGRADED -> null;
            case DOWN, AUTH_EXPIRED -> "door " + door + " is " + health.status()
                    + (health.reason() == null ? "" : ": " + health.reason());
        };
    }

    private static Door door(Channel channel, Map<String, Object> properties) {
        Object id = properties.get(Channel.CHANNEL);
        Object instance = properties.get(Channel.INSTANCE);
        try {
            return new Door(id != null ? id.toString() : channel.id(),
                    instance != null ? instance.toString() : channel.instance());
        } catch (RuntimeException e) {
            return null; // a service that cannot say which door it is
        }
    }

    private static Integer number(Object value) {
        if (value == null) {
            return null;
        }
        try {
            int n = value instanceof Number number ? number.intValue() : Integer.parseInt(value.toString().trim());
            return n > 0 ? n : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
