package org.frontdoor.metrics;

import java.util.Dictionary;
import java.util.Hashtable;
import java.util.function.Supplier;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Frontdoor's metrics registry: a Micrometer {@link PrometheusMeterRegistry}, registered as a {@link MeterRegistry}
 * service that core publishes its meters to, with the JVM's own (memory, threads, GC, CPU, uptime). Its Prometheus
 * text is offered as a {@code Supplier<String>} service with {@value #PROPERTY}={@value #FORMAT}, which web serves at
 * {@code GET /api/v1/metrics}: web depends on no metrics library, and without this bundle the route answers 503.
 */
@Component(service = Supplier.class, property = PrometheusMetrics.PROPERTY + "=" + PrometheusMetrics.FORMAT,
        immediate = true)
public class PrometheusMetrics implements Supplier<String> {

    /** The service property that marks the scrape text's supplier. */
    public static final String PROPERTY = "frontdoor.metrics";
    /** Its value: Prometheus' text exposition format 0.0.4. */
    public static final String FORMAT = "prometheus-text";

    private static final Logger LOG = LoggerFactory.getLogger(PrometheusMetrics.class);

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final JvmGcMetrics gc = new JvmGcMetrics();
    private ServiceRegistration<MeterRegistry> registration;

    @Activate
    void activate(BundleContext context) {
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        gc.bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        Dictionary<String, Object> properties = new Hashtable<>();
        properties.put(PROPERTY, FORMAT);
        registration = context.registerService(MeterRegistry.class, registry, properties);
        LOG.info("Metrics are recorded; admins scrape them at /api/v1/metrics (docs/metrics.md)");
    }

    @Deactivate
    void deactivate() {
        if (registration != null) {
            registration.unregister();
        }
        gc.close();
        registry.close();
    }

    /** The registry (tests record into it). */
    PrometheusMeterRegistry registry() {
        return registry;
    }

    /** Every meter in Prometheus' text format. */
    @Override
    public String get() {
        return registry.scrape();
    }
}
