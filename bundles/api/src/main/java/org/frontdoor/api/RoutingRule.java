package org.frontdoor.api;

import java.util.Optional;

/**
 * A pure decision: given a message in its context, name the department (or abstain). Rules are OSGi services
 * consulted in order of {@code service.ranking}, highest first; the first decision wins, and a conversation
 * no rule claims goes to the default department.
 */
public interface RoutingRule {

    /** Short name shown in rule-list and the audit trail. */
    String name();

    Optional<RoutingDecision> decide(Message message, RoutingContext context);
}
