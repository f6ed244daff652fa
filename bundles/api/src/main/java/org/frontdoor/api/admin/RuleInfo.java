package org.frontdoor.api.admin;

/**
 * A routing rule as registered.
 *
 * @param name      the rule's name
 * @param ranking   its service.ranking
 * @param serviceId its service id: the same while its properties change, new when its bundle comes back
 * @param bundle    the symbolic name of the bundle that registered it, or null when unknown
 */
public record RuleInfo(String name, int ranking, long serviceId, String bundle) {
}
