package org.frontdoor.core;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.frontdoor.api.RoutingRule;
import org.osgi.framework.Constants;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The routing rules, tracked by service id: a rule whose properties change keeps its place under its id with the new
 * ranking, and a rule whose service goes is gone, whatever its ranking was. Ordered when read.
 */
final class RuleRegistry {

    private static final Logger LOG = LoggerFactory.getLogger(RuleRegistry.class);

    /** A rule as registered, and the bundle that registered it (null when unknown). */
    record Entry(long serviceId, int ranking, RoutingRule rule, String bundle) {
    }

    /** Highest ranking first, then the older service (the lower id), as OSGi orders services. */
    // not comparingInt(e -> -e.ranking()): -Integer.MIN_VALUE overflows and would put the lowest rule first
    static final Comparator<Entry> ORDER = Comparator.comparingInt(Entry::ranking).reversed()
            .thenComparingLong(Entry::serviceId);

    private final Map<Long, Entry> rules = new ConcurrentHashMap<>();

    /** @param bundle the symbolic name of the bundle that registered the rule, null when unknown */
    void add(RoutingRule rule, Map<String, Object> properties, String bundle) {
        Entry entry = entry(rule, properties, bundle);
        rules.put(entry.serviceId(), entry);
        LOG.info("Routing rule {} added (ranking {})", name(rule), entry.ranking());
    }

    void update(RoutingRule rule, Map<String, Object> properties, String bundle) {
        Entry entry = entry(rule, properties, bundle);
        Entry before = rules.put(entry.serviceId(), entry);
        if (before == null || before.ranking() != entry.ranking()) {
            LOG.info("Routing rule {} now has ranking {}", name(rule), entry.ranking());
        }
    }

    void remove(RoutingRule rule, Map<String, Object> properties) {
        if (rules.remove(serviceId(properties)) != null) {
            LOG.info("Routing rule {} removed", name(rule));
        }
    }

    /** The rules in the order they are asked. */
    List<Entry> ordered() {
        return rules.values().stream().sorted(ORDER).toList();
    }

    private static Entry entry(RoutingRule rule, Map<String, Object> properties, String bundle) {
        return new Entry(serviceId(properties), ranking(properties.get(Constants.SERVICE_RANKING), rule), rule, bundle);
    }

    private static long serviceId(Map<String, Object> properties) {
        return ((Number) properties.get(Constants.SERVICE_ID)).longValue();
    }

    /** A ranking as a cfg file gives it (a String) or as code does (an Integer); anything else counts as 0. */
    static int ranking(Object value, RoutingRule rule) {
        if (value == null) {
            return 0;
        }
        if (value instanceof Integer i) {
            return i;
        }
        if (value instanceof Number n) {
            return (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, n.longValue()));
        }
        try {
            return Integer.parseInt(value.toString().trim());
        } catch (NumberFormatException e) {
            LOG.warn("Routing rule {} has service.ranking '{}', which is not a whole number: it counts as 0",
                    name(rule), value);
            return 0;
        }
    }

    static String name(RoutingRule rule) {
        try {
            return rule.name();
        } catch (RuntimeException e) {
            return rule.getClass().getName();
        }
    }
}
