package org.frontdoor.core;

import org.apache.camel.CamelContext;
import org.apache.camel.Component;
import org.apache.camel.spi.ComponentResolver;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Reference;

/**
 * Publishes the {@code frontdoor:} component to every bundle's CamelContext (camel-core-osgi looks components up
 * as ComponentResolver services with {@code component=<scheme>}). It comes and goes with the pipeline, so the
 * contexts that use it restart with it.
 */
@org.osgi.service.component.annotations.Component(service = ComponentResolver.class, property = "component=frontdoor")
public class FrontdoorComponentResolver implements ComponentResolver {

    private final Pipeline pipeline;

    @Activate
    public FrontdoorComponentResolver(@Reference Pipeline pipeline) {
        this.pipeline = pipeline;
    }

    @Override
    public Component resolveComponent(String name, CamelContext context) {
        return "frontdoor".equals(name) ? new FrontdoorComponent(pipeline) : null;
    }
}
