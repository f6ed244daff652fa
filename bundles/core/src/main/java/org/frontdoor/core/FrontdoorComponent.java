package org.frontdoor.core;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.apache.camel.Endpoint;
import org.apache.camel.support.DefaultComponent;
import org.frontdoor.api.ConversationEvent;
import org.frontdoor.api.EventFilter;

/**
 * The {@code frontdoor:} component (see {@link org.frontdoor.api.Frontdoor}): every CamelContext that resolves it
 * gets its own instance, all backed by the one pipeline.
 */
final class FrontdoorComponent extends DefaultComponent {

    private final Pipeline pipeline;

    FrontdoorComponent(Pipeline pipeline) {
        this.pipeline = pipeline;
    }

    /** Event types named by their ids, comma separated; none named: all. */
    static Set<ConversationEvent.Type> types(String ids, String uri) {
        Set<ConversationEvent.Type> wanted = EnumSet.noneOf(ConversationEvent.Type.class);
        if (ids == null || ids.isBlank()) {
            return wanted;
        }
        for (String id : ids.split(",")) {
            try {
                wanted.add(ConversationEvent.Type.fromId(id));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("unknown event type " + id.trim() + " in " + uri + "; known: "
                        + Arrays.stream(ConversationEvent.Type.values()).map(ConversationEvent.Type::id).toList(), e);
            }
        }
        return wanted;
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
                String consumer = getAndRemoveParameter(parameters, "consumer", String.class);
                if (consumer == null || !consumer.matches("[A-Za-z0-9][A-Za-z0-9_.-]{0,99}")) {
                    throw new IllegalArgumentException("frontdoor:events needs a consumer name of letters, digits, "
                            + "'.', '_' or '-' (its position in the event log is kept under it): "
                            + "frontdoor:events?consumer=NAME");
                }
                String types = getAndRemoveParameter(parameters, "types", String.class);
                String type = getAndRemoveParameter(parameters, "type", String.class);
                String department = getAndRemoveParameter(parameters, "department", String.class);
                String start = getAndRemoveParameter(parameters, "start", String.class, "end");
                // every node its own copy: for what each node must see, such as pushes to the visitors connected to it
                Boolean everyNode = getAndRemoveParameter(parameters, "everyNode", Boolean.class, Boolean.FALSE);
                if (Boolean.TRUE.equals(everyNode)) {
                    consumer = pipeline.eventConsumers().perNode(consumer);
                }
                Set<ConversationEvent.Type> wanted = types(types != null ? types : type, uri);
                EventConsumers.Start from;
                try {
                    from = EventConsumers.Start.valueOf(start.trim().toUpperCase(Locale.ROOT));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("start=" + start + " in " + uri + ": use start=end (what "
                            + "happens from now on) or start=beginning (what the log still holds)", e);
                }
                // a department hears of a conversation transferred out of it as well (EventFilter)
                return new FrontdoorEndpoints.Events(uri, this, pipeline.eventConsumers(), consumer,
                        new EventFilter(wanted, department), from);
            }
            default:
                throw new IllegalArgumentException("unknown endpoint frontdoor:" + remaining
                        + "; use frontdoor:inbound, frontdoor:outbound?channel=ID or frontdoor:events?consumer=NAME");
        }
    }
}
