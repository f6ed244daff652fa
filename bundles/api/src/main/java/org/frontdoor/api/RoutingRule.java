package org.frontdoor.api;

import java.util.Optional;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A pure decision: given a message in its conversation, name the department (or abstain). Rules are OSGi services
 * consulted in order of {@code service.ranking}, highest first (an Integer, or a String holding one, as a cfg file
 * gives it; ties go to the older service); the first decision wins, and a conversation no rule claims goes to the
 * default department. A rule's service properties may change while it is registered: the next conversation routed
 * sees the change, and a rule whose bundle goes is never asked again.
 *
 * <p>Rules run when a conversation is opened and again when a customer writes on it after it was resolved. A rule
 * that throws is skipped for that conversation, with a warning in the log.
 */
@ConsumerType
public interface RoutingRule {

    /** Short name shown in rule-list and the audit trail. */
    String name();

    /**
     * @param message the conversation's latest customer message, with its annotations
     * @param context the conversation: its department so far and its latest messages
     */
    Optional<RoutingDecision> decide(Message message, RoutingContext context);
}
