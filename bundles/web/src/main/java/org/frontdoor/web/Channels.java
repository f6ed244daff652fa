package org.frontdoor.web;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.frontdoor.api.Channel;
import org.frontdoor.api.ChannelHealth;
import org.osgi.framework.Constants;

/**
 * {@code GET /api/v1/channels}: every registered channel instance (door) and its health, as {@code frontdoor:channel-list}
 * shows it: what an admin checks when a door's replies wait.
 */
final class Channels {

    /**
     * A door and its health, read once.
     *
     * @param status UP, DEGRADED, AUTH_EXPIRED, DOWN, or UNKNOWN when its health() failed
     * @param reason why, in words an admin can act on; null when UP
     */
    record Row(String channel, String instance, String status, Instant since, String reason) {
    }

    private record Registered(Channel channel, String id, String instance) {
    }

    private final Map<Long, Registered> registered = new ConcurrentHashMap<>();

    void add(Channel channel, Map<String, Object> properties) {
        registered.put(serviceId(properties), new Registered(channel, text(properties.get(Channel.CHANNEL)),
                text(properties.get(Channel.INSTANCE))));
    }

    void remove(Map<String, Object> properties) {
        registered.remove(serviceId(properties));
    }

    /** Every door, by channel then instance; a door whose health() throws shows UNKNOWN with the failure. */
    List<Row> rows() {
        List<Row> rows = new ArrayList<>();
        for (Registered r : registered.values()) {
            String id = r.id() != null ? r.id() : r.channel().id();
            String instance = r.instance() != null ? r.instance() : r.channel().instance();
            try {
                ChannelHealth health = r.channel().health();
                rows.add(new Row(id, instance, health.status().name(), health.since(), health.reason()));
            } catch (RuntimeException e) {
                rows.add(new Row(id, instance, "UNKNOWN", null, "its health() failed: " + e.getClass().getSimpleName()));
            }
        }
        rows.sort(Comparator.comparing(Row::channel, Comparator.nullsFirst(Comparator.<String>naturalOrder()))
                .thenComparing(Row::instance, Comparator.nullsFirst(Comparator.<String>naturalOrder())));
        return rows;
    }

    /** Every door and its health, for the health report (null health: its health() failed). */
    List<org.frontdoor.api.admin.HealthReport.Door> doors() {
        List<org.frontdoor.api.admin.HealthReport.Door> doors = new ArrayList<>();
        for (Registered r : registered.values()) {
            String id = r.id() != null ? r.id() : r.channel().id();
            String instance = r.instance() != null ? r.instance() : r.channel().instance();
            ChannelHealth health;
            try {
                health = r.channel().health();
            } catch (RuntimeException e) {
                health = null;
            }
            doors.add(new org.frontdoor.api.admin.HealthReport.Door(id, instance, health));
        }
        return doors;
    }

    /** The door of that channel and instance, if one is registered. */
    java.util.Optional<Channel> find(String channel, String instance) {
        for (Registered r : registered.values()) {
            String id = r.id() != null ? r.id() : r.channel().id();
            String name = r.instance() != null ? r.instance() : r.channel().instance();
            if (channel.equals(id) && instance.equals(name)) {
                return java.util.Optional.of(r.channel());
            }
        }
        return java.util.Optional.empty();
    }

    private static long serviceId(Map<String, Object> properties) {
        return ((Number) properties.get(Constants.SERVICE_ID)).longValue();
    }

    private static String text(Object value) {
        return value == null ? null : value.toString();
    }
}
