package org.frontdoor.core;

import java.util.Map;

import org.apache.camel.Endpoint;
import org.apache.camel.support.DefaultComponent;
import org.frontdoor.api.ConversationEvent;

/**
 * The {@code frontdoor:} component (see {@link org.frontdoor.api.Frontdoor}): every CamelContext that resolves it
 * gets its own instance, all backed by the one pipeline.
 */
final class FrontdoorComponent extends DefaultComponent {

    private final Pipeline pipeline;

    FrontdoorComponent(Pipeline pipeline) {
        this.pipeline = pipeline;
    }

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        switch (remaining) {
            case "inbound":
                return new FrontdoorEndpoints.Inbound(uri, this, pipeline);
            case "outbound": {
                String channel = getAndRemoveParameter(parameters, "channel", String.class);
                if (channel == null || channel.isBlank()) {
                    throw new IllegalArgumentException("frontdoor:outbound needs the channel it sends for: "
                            + "frontdoor:outbound?channel=ID");
                }
                return new FrontdoorEndpoints.Outbound(uri, this, pipeline.outbox(), channel);
            }
            case "events": {
                String type = getAndRemoveParameter(parameters, "type", String.class);
                String department = getAndRemoveParameter(parameters, "department", String.class);
                ConversationEvent.Type eventType;
                try {
                    eventType = type == null ? null : ConversationEvent.Type.fromId(type);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("unknown event type " + type + " in " + uri, e);
                }
                return new FrontdoorEndpoints.Events(uri, this, pipeline.events(), eventType, department);
            }
            default:
                throw new IllegalArgumentException("unknown endpoint frontdoor:" + remaining
                        + "; use frontdoor:inbound, frontdoor:outbound?channel=ID or frontdoor:events");
        }
    }
}
