package org.frontdoor.api.inbox;

import java.time.Instant;
import java.util.List;

/**
 * Why a conversation is where it is ({@code GET /api/v1/conversations/{id}/why}, {@code frontdoor:conversation-why}):
 * the rule that routed it last and its reason, what the classifiers found on its messages, and its history of
 * department changes and assignments, with who and when.
 *
 * @param summary     the conversation as listed: its department, priority, skill and agent now
 * @param rule        the rule that routed it last ({@code default} when no rule claimed it), or null when it was
 *                    routed before rules were recorded on the conversation (the history still names it) or not yet
 * @param reason      the rule's reason, or null when it gave none
 * @param annotations what the classifiers (and the channel) found, by message, oldest message first
 * @param history     what moved it, oldest first: created, routed, transferred, assigned, resolved, reopened; and
 *                    what admins hid or showed on its network (message-hidden, message-unhidden, and the attempts the
 *                    network refused: message-hide-failed, message-unhide-failed)
 */
public record ConversationWhy(ConversationSummary summary, String rule, String reason, List<Found> annotations,
                              List<Step> history) {

    public ConversationWhy {
        annotations = List.copyOf(annotations);
        history = List.copyOf(history);
    }

    /**
     * One annotation on one message.
     *
     * @param messageId  the message
     * @param name       {@code language}, {@code sentiment}, ...
     * @param value      {@code fr}, {@code negative}, ...
     * @param confidence 0 to 1
     * @param source     who found it: a classifier's component name, or the channel
     */
    public record Found(long messageId, String name, String value, double confidence, String source) {
    }

    /**
     * One step of the conversation's history, from the audit trail.
     *
     * @param at     when
     * @param actor  who: an agent's name, or {@code system} for routing
     * @param action {@code created}, {@code routed}, {@code transferred}, {@code assigned}, {@code resolved},
     *               {@code reopened}, {@code message-hidden}, {@code message-unhidden}, {@code message-hide-failed},
     *               {@code message-unhide-failed}
     * @param detail what changed, such as {@code from support to billing}
     */
    public record Step(Instant at, String actor, String action, String detail) {
    }
}
