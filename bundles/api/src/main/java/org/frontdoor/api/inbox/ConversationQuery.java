package org.frontdoor.api.inbox;

import java.util.regex.Pattern;

/**
 * A page of the conversation list, in the order {@code sort} says. Null filters match everything; the filters given
 * must all hold.
 *
 * @param status     only conversations in this status, or null
 * @param department only this department, or null
 * @param channel    only this channel (door), or null
 * @param priority   only this priority (0 and up), or null
 * @param tag        only conversations with a message a classifier annotated so, as {@code name=value} (such as
 *                   {@code sentiment=negative}), or null
 * @param sla        only open conversations in this SLA state, or null
 * @param assignee   only conversations assigned to this agent, or null ("mine" is the caller's own name)
 * @param sort       the order: {@link Sort#ACTIVITY} when null
 * @param offset     rows to skip, from 0
 * @param limit      rows to return, 1..{@value #MAX_LIMIT}
 */
public record ConversationQuery(ConversationStatus status, String department, String channel, Integer priority,
                                String tag, SlaState sla, String assignee, Sort sort, int offset, int limit) {

    public static final int MAX_LIMIT = 500;

    /** The longest tag name and value, as the store keeps them. */
    public static final int MAX_TAG_NAME = 64;
    public static final int MAX_TAG_VALUE = 255;

    private static final Pattern TAG = Pattern.compile("[^=\\s][^=]*=.+", Pattern.DOTALL);

    /** The orders of the list. */
    public enum Sort {
        /** Newest activity first (a message or reply in or out). */
        ACTIVITY,
        /**
         * Most urgent first: a breached SLA, then one at risk, then the rest; within each, higher priority first;
         * then the longest waiting (oldest last activity) first.
         */
        URGENCY
    }

    public ConversationQuery {
        if (offset < 0) {
            throw new IllegalArgumentException("offset must not be negative");
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be within 1.." + MAX_LIMIT);
        }
        if (priority != null && priority < 0) {
            throw new IllegalArgumentException("priority must not be negative");
        }
        if (tag != null && (!TAG.matcher(tag).matches() || tagName(tag).length() > MAX_TAG_NAME
                || tagValue(tag).length() > MAX_TAG_VALUE)) {
            throw new IllegalArgumentException("tag must be name=value (such as sentiment=negative), the name up to "
                    + MAX_TAG_NAME + " and the value up to " + MAX_TAG_VALUE + " characters");
        }
        if (sort == null) {
            sort = Sort.ACTIVITY;
        }
    }

    /** The first filters only, newest activity first. */
    public ConversationQuery(ConversationStatus status, String department, String channel, int offset, int limit) {
        this(status, department, channel, null, null, null, null, Sort.ACTIVITY, offset, limit);
    }

    public static ConversationQuery firstPage(int limit) {
        return new ConversationQuery(null, null, null, 0, limit);
    }

    /** The annotation name of a {@code name=value} tag. */
    public static String tagName(String tag) {
        return tag.substring(0, tag.indexOf('='));
    }

    /** The annotation value of a {@code name=value} tag. */
    public static String tagValue(String tag) {
        return tag.substring(tag.indexOf('=') + 1);
    }
}
