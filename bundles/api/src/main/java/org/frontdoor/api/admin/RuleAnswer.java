package org.frontdoor.api.admin;

import org.frontdoor.api.RoutingDecision;

/**
 * What one rule answered in a dry run.
 *
 * @param name      the rule's name
 * @param ranking   its service.ranking
 * @param serviceId its service id
 * @param bundle    the symbolic name of the bundle that registered it, or null when unknown
 * @param decision  its decision, or null when it did not claim the message (or failed)
 * @param error     why it failed (what it threw, or a decision the store cannot hold), or null
 */
public record RuleAnswer(String name, int ranking, long serviceId, String bundle, RoutingDecision decision,
                         String error) {

    /** True when the rule decided where the message goes. */
    public boolean claimed() {
        return decision != null;
    }
}
