package org.frontdoor.store;

import java.time.Instant;
import java.util.List;

/** Routing's side: conversations claimed, decided and queued. */
public interface RoutingStore {

    /** The longest department id (and skill) the store holds. */
    int MAX_DEPARTMENT = 64;

    /** The longest rule name the store holds. */
    int MAX_RULE_NAME = 255;

    /**
     * Claims conversations waiting to be routed (status NEW, not claimed by another pipeline, or its claim ran out),
     * oldest first, until {@code until}. Rows other transactions hold are skipped, not waited for.
     */
    List<PendingRoute> claimConversationsToRoute(String node, Instant until, int limit);

    /**
     * Records the decisions for conversations this node claimed, with their annotations, events and audit, in one
     * transaction. A conversation that is no longer NEW or no longer claimed by this node is left alone (another
     * pipeline routed it after the claim ran out, or an agent resolved it).
     *
     * @return the ids of the conversations routed
     */
    List<Long> routed(String node, List<RouteResult> results);
}
