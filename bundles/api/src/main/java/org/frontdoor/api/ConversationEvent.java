package org.frontdoor.api;

import java.time.Instant;
import java.util.Locale;
import java.util.Objects;

/**
 * Something that happened to a conversation, delivered to {@code frontdoor:events} consumers.
 *
 * @param type           what happened
 * @param conversationId the conversation
 * @param channel        the conversation's channel
 * @param department     its department, null before routing
 * @param at             when
 * @param detail         a short human-readable detail, may be null
 */
public record ConversationEvent(Type type, long conversationId, String channel, String department, Instant at,
                                String detail) {

    /** Event types; {@link #id()} is the value used in {@code frontdoor:events?type=}. */
    public enum Type {
        CREATED, ROUTED, ASSIGNED, REPLIED, ESCALATED, SLA_BREACHED, RESOLVED, MENTION_SPIKE;

        public String id() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        public static Type fromId(String id) {
            return valueOf(id.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
        }
    }

    public ConversationEvent {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(at, "at");
    }
}
