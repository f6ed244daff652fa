package org.frontdoor.api.inbox;

/**
 * A page of the conversation list, newest activity first. Null filters match everything.
 *
 * @param status     only conversations in this status, or null
 * @param department only this department, or null
 * @param channel    only this channel, or null
 * @param offset     rows to skip, from 0
 * @param limit      rows to return, 1..{@value #MAX_LIMIT}
 */
public record ConversationQuery(ConversationStatus status, String department, String channel, int offset, int limit) {

    public static final int MAX_LIMIT = 500;

    public ConversationQuery {
        if (offset < 0) {
            throw new IllegalArgumentException("offset must not be negative");
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be within 1.." + MAX_LIMIT);
        }
    }

    public static ConversationQuery firstPage(int limit) {
        return new ConversationQuery(null, null, null, 0, limit);
    }
}
