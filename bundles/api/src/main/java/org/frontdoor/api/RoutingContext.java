package org.frontdoor.api;

import java.util.List;
import java.util.Objects;

/**
 * What a {@link RoutingRule} may look at besides the latest message.
 *
 * @param conversationId the conversation the message belongs to
 * @param customerId     the customer whose conversation it is (the thread's first author)
 * @param department     the conversation's department: null when it was never routed, the department it had when it
 *                       is routed again after a customer wrote on it once resolved
 * @param reopened       true when the conversation was resolved and a customer wrote again
 * @param messages       the conversation's latest customer messages, oldest first, each with its own author and the
 *                       classifiers' annotations; the last one is the message being routed (at most
 *                       {@value #MAX_MESSAGES})
 */
public record RoutingContext(long conversationId, long customerId, String department, boolean reopened,
                             List<Message> messages) {

    /** The most messages of a conversation given to rules. */
    public static final int MAX_MESSAGES = 20;

    public RoutingContext {
        messages = List.copyOf(Objects.requireNonNull(messages, "messages"));
        if (messages.isEmpty()) {
            throw new IllegalArgumentException("a conversation is routed for a message");
        }
    }

    /** The message being routed: the conversation's latest. */
    public Message latest() {
        return messages.get(messages.size() - 1);
    }

    /** What the classifiers found about the latest message. */
    public List<Annotation> annotations() {
        return latest().annotations();
    }
}
