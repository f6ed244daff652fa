package org.frontdoor.api;

/**
 * The documented {@code frontdoor:} Camel endpoint, published by core as a {@code ComponentResolver} service
 * with {@code component=frontdoor}, so every bundle's CamelContext can use it.
 *
 * <ul>
 * <li>{@code to("frontdoor:inbound")}: the body is a {@link Message}. Returns only when the message is durably
 * stored (idempotent on channel instance + external id); the out body is then an {@link IngestReceipt}.
 * Acknowledge the source after this, never before. The producer is asynchronous: through an
 * {@code AsyncProducer} the callback comes when the group is durable and no thread waits for it. An
 * {@link IllegalArgumentException} means the message is refused for good (answer 400); any other exception means
 * "not now" (answer 503: ingest is full, the database is unreachable, the message was not stored in time).</li>
 * <li>{@code from("frontdoor:outbound?channel=ID")}: the body is an {@link OutboundReply} already rendered for
 * this channel. Completing the exchange marks the reply sent; a {@link ReplyRefusedException} marks it failed for
 * good with its reason; any other exception schedules a retry with backoff and shows its message to the agent.
 * Replies wait in the store while no consumer exists, and while the door's {@link Channel#health()} is down.</li>
 * <li>{@code from("frontdoor:events?consumer=NAME&types=routed,resolved&department=sales")}: the
 * {@link ConversationEvent}s of core's durable event log, in the order they were committed, at least once, on one
 * thread per consumer. The consumer's position is kept in the database under its name, so a consumer that was away
 * (its bundle stopped, the node down) goes on from where it stopped; a new name starts at the end of the log
 * ({@code start=beginning} to read what the log still holds). An exception from the route delivers the same event
 * again after a growing delay: a failing consumer holds up only itself. {@code types} and {@code department} are
 * optional filters. One node at a time delivers to a name; with {@code everyNode=true} every node keeps a copy of its
 * own ({@code NAME@node}) and gets every event, for work each node must do itself (pushing to the browsers connected
 * to it).</li>
 * </ul>
 */
public final class Frontdoor {

    /** The component's scheme. */
    public static final String SCHEME = "frontdoor";

    public static final String INBOUND = "frontdoor:inbound";

    /** Header set on inbound results: the stored message id. */
    public static final String HEADER_MESSAGE_ID = "FrontdoorMessageId";
    /** Header set on inbound results and outbound replies: the conversation id. */
    public static final String HEADER_CONVERSATION_ID = "FrontdoorConversationId";
    /** Header on outbound replies: the reply id (stable across retries: use it as an idempotency key). */
    public static final String HEADER_REPLY_ID = "FrontdoorReplyId";
    /** Header on outbound replies: the channel instance to send through. */
    public static final String HEADER_INSTANCE = "FrontdoorInstance";
    /** Header on outbound replies: the attempt number, 1 for the first try. */
    public static final String HEADER_ATTEMPT = "FrontdoorAttempt";
    /** Header on events: the event's position in the log. */
    public static final String HEADER_EVENT_POSITION = "FrontdoorEventPosition";
    /** Header on events: the event type's id, such as {@code routed}. */
    public static final String HEADER_EVENT_TYPE = "FrontdoorEventType";
    /**
     * Header on events: the lease generation the delivering node holds the consumer under (a {@code Long}), a fencing
     * token. Each takeover (another node, a reset, a gap) takes a larger one; a peer that has seen a generation refuses
     * writes carrying a smaller one, so a node that lost its lease cannot overwrite what its successor did.
     */
    public static final String HEADER_LEASE_GENERATION = "FrontdoorLeaseGeneration";
    /**
     * Header on the first event delivered after retention deleted events the consumer had not read (past core's
     * {@code eventRetentionMaxHours}): the positions missed, {@code N-M}. Absent otherwise.
     */
    public static final String HEADER_EVENTS_MISSED = "FrontdoorEventsMissed";

    /** The property of the web layer's readiness service (see {@link #WEB_READY}). */
    public static final String WEB_PROPERTY = "frontdoor.web";

    /**
     * The target of the service the web layer ({@code frontdoor-web}) registers, as an {@code Object}, once Pax Web's
     * default context ({@code /}) runs. A bundle's servlet or WebSocket endpoint references it, mandatory and static
     * ({@code @Reference(service = Object.class, target = Frontdoor.WEB_READY)}), so that it is registered only into a
     * running context (a servlet registered while that context is being set up at boot may never be served, as in
     * ops4j/org.ops4j.pax.web#1798). It is registered on a thread of its own: a component bound to Pax Web's own
     * {@code ServletContext} service instead would register its servlet on Pax Web's configuration thread, which can
     * deadlock Pax Web at boot.
     */
    public static final String WEB_READY = "(" + WEB_PROPERTY + "=ready)";

    private Frontdoor() {
    }

    public static String outbound(String channel) {
        return SCHEME + ":outbound?channel=" + channel;
    }

    /** The endpoint of the named events consumer. */
    public static String events(String consumer) {
        return SCHEME + ":events?consumer=" + consumer;
    }
}
