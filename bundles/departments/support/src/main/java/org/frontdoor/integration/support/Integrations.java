package org.frontdoor.integration.support;

import java.util.Hashtable;
import java.util.Map;

import org.apache.camel.CamelContext;
import org.apache.camel.Processor;
import org.apache.camel.builder.RouteBuilder;
import org.frontdoor.api.FactoryConfigurations;
import org.frontdoor.api.Frontdoor;
import org.frontdoor.api.admin.IntegrationStatus;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

/** Names, the events route and the status service every integration instance has. */
public final class Integrations {

    /** The factory PID prefix: {@code org.frontdoor.integration.<kind>}, files {@code ...<kind>-<name>.cfg}. */
    public static final String PID_PREFIX = "org.frontdoor.integration.";
    private static final String NAME = "[A-Za-z0-9][A-Za-z0-9_.-]{0,63}";

    private Integrations() {
    }

    /**
     * The instance's name: {@code explicit} when set, else the part of its cfg file after {@code <kind>-}.
     *
     * @throws IllegalArgumentException when neither names it, or the name has other characters than letters,
     *                                  digits, '.', '_', '-'
     */
    public static String instanceName(String kind, String explicit, Map<String, ?> properties) {
        String name = FactoryConfigurations.instanceName(explicit, PID_PREFIX + kind, properties, kind + " integration");
        if (!name.matches(NAME)) {
            throw new IllegalArgumentException(kind + " integration name '" + name + "' (from "
                    + FactoryConfigurations.source(properties) + ") must be letters, digits, '.', '_' or '-'");
        }
        return name;
    }

    /**
     * The events consumer of an instance: {@code integration.<kind>-<name>}. It stays the same across an uninstall
     * and a reinstall, so the instance goes on where it stopped, and its delivery ids stay the same too.
     */
    public static String consumerName(String kind, String instance) {
        return "integration." + kind + "-" + instance;
    }

    /** A department filter as configured: null for every department. */
    public static String department(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String d = value.trim();
        if (!d.matches(NAME)) {
            throw new IllegalArgumentException("department '" + d + "' must be letters, digits, '.', '_' or '-'");
        }
        return d;
    }

    /** The events endpoint of a consumer: types comma separated (blank for all), department null for all. */
    public static String eventsUri(String consumer, String types, String department, String start) {
        StringBuilder uri = new StringBuilder(Frontdoor.events(consumer));
        if (types != null && !types.isBlank()) {
            uri.append("&types=").append(types.replace(" ", ""));
        }
        if (department != null) {
            uri.append("&department=").append(department);
        }
        if (start != null && !start.isBlank()) {
            uri.append("&start=").append(start.trim());
        }
        return uri.toString();
    }

    /**
     * Adds the instance's route and starts the context. A failure of the processor goes back to core as it is (no
     * Camel error handler, no stack trace per attempt): core keeps the position, shows the reason and delivers the
     * same event again later.
     */
    public static void start(CamelContext camel, String name, String uri, Processor processor) throws Exception {
        camel.getCamelContextExtension().setName("frontdoor-" + name);
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                errorHandler(noErrorHandler());
                from(uri).routeId(name).process(processor);
            }
        });
        camel.start();
    }

    /** Registers the instance's status for the console and the REST API. */
    public static ServiceRegistration<IntegrationStatus> register(BundleContext context, String name,
                                                                 IntegrationStatus status) {
        Hashtable<String, Object> properties = new Hashtable<>();
        properties.put(IntegrationStatus.NAME, name);
        return context.registerService(IntegrationStatus.class, status, properties);
    }

    /** Unregisters, quietly when the bundle's stop already did. */
    public static void unregister(ServiceRegistration<?> registration) {
        if (registration == null) {
            return;
        }
        try {
            registration.unregister();
        } catch (IllegalStateException alreadyGone) {
            // the bundle is stopping and took the registration with it
        }
    }
}
