package org.frontdoor.api;

import java.time.Instant;
import java.util.Objects;

/**
 * A reply to send, already rendered for its channel: the body of {@code frontdoor:outbound} exchanges.
 *
 * @param replyId        stable id of this reply, the same on every retry
 * @param conversationId the conversation it answers
 * @param channel        channel id
 * @param instance       channel instance to send through
 * @param recipient      who receives it
 * @param threadRef      the channel's thread reference to reply in, or null
 * @param inReplyTo      external id of the customer message answered, or null
 * @param visibility     public or private
 * @param text           the rendered text
 * @param author         the agent who wrote it
 * @param createdAt      when the agent sent it
 * @param attempt        1 for the first try
 * @param seq            its place in the conversation among its messages and replies, in the order they were
 *                       committed (ids do not say it: nodes take ids in blocks); 0 when not known
 */
public record OutboundReply(long replyId, long conversationId, String channel, String instance, Identity recipient,
                            String threadRef, String inReplyTo, Visibility visibility, String text, String author,
                            Instant createdAt, int attempt, long seq) {

    public OutboundReply {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(instance, "instance");
        Objects.requireNonNull(recipient, "recipient");
        Objects.requireNonNull(visibility, "visibility");
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(createdAt, "createdAt");
    }

    /** A reply whose place in the conversation is not known. */
    public OutboundReply(long replyId, long conversationId, String channel, String instance, Identity recipient,
                         String threadRef, String inReplyTo, Visibility visibility, String text, String author,
                         Instant createdAt, int attempt) {
        this(replyId, conversationId, channel, instance, recipient, threadRef, inReplyTo, visibility, text, author,
                createdAt, attempt, 0);
    }
}
