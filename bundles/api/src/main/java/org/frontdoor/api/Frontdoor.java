package org.frontdoor.api;

/**
 * The documented {@code frontdoor:} Camel endpoint, published by core as a {@code ComponentResolver} service
 * with {@code component=frontdoor}, so every bundle's CamelContext can use it.
 *
 * <ul>
 * <li>{@code to("frontdoor:inbound")}: the body is a {@link Message}. Returns only when the message is durably
 * stored (idempotent on channel instance + external id); the out body is then an {@link IngestReceipt}.
 * Acknowledge the source after this, never before. The producer is asynchronous: through an
 * {@code AsyncProducer} the callback comes when the group is durable and no thread waits for it.</li>
 * <li>{@code from("frontdoor:outbound?channel=ID")}: the body is an {@link OutboundReply} already rendered for
 * this channel. Completing the exchange marks the reply sent; an exception schedules a retry with backoff and
 * shows its message to the agent. Replies wait in the store while no consumer exists.</li>
 * <li>{@code from("frontdoor:events?type=routed&department=sales")}: {@link ConversationEvent}s, both
 * parameters optional.</li>
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

    private Frontdoor() {
    }

    public static String outbound(String channel) {
        return SCHEME + ":outbound?channel=" + channel;
    }
}
