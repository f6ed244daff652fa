package org.frontdoor.core;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

import org.frontdoor.api.ConversationEvent;
import org.frontdoor.api.RoutingContext;
import org.frontdoor.api.RoutingDecision;
import org.frontdoor.api.RoutingRule;
import org.frontdoor.store.PendingRoute;
import org.frontdoor.store.RouteResult;
import org.frontdoor.store.Store;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes new conversations: the rules, highest service.ranking first, each may claim the conversation; the first
 * claim wins, and what no rule claims goes to the default department. State is in the database (status NEW), so a
 * crash resumes here.
 */
final class RoutingStage {

    private static final Logger LOG = LoggerFactory.getLogger(RoutingStage.class);
    static final int MAX_DEPARTMENT = 64;
    static final int MAX_RULE_NAME = 255;

    private final Store store;
    private final Supplier<List<RoutingRule>> rules;
    private final String defaultDepartment;
    private final int batchSize;
    private final EventBus events;

    RoutingStage(Store store, Supplier<List<RoutingRule>> rules, String defaultDepartment, int batchSize,
                 EventBus events) {
        this.store = store;
        this.rules = rules;
        this.defaultDepartment = defaultDepartment;
        this.batchSize = batchSize;
        this.events = events;
    }

    /** Routes until nothing is left; returns how many were routed. */
    int routeAll() {
        int total = 0;
        while (true) {
            List<PendingRoute> pending = store.conversationsToRoute(batchSize);
            if (pending.isEmpty()) {
                return total;
            }
            List<RoutingRule> ordered = rules.get();
            List<RouteResult> results = new ArrayList<>(pending.size());
            for (PendingRoute p : pending) {
                results.add(new RouteResult(p.conversationId(), decide(ordered, p)));
            }
            store.routed(results);
            Instant now = Instant.now();
            List<ConversationEvent> routed = new ArrayList<>(results.size());
            for (int i = 0; i < results.size(); i++) {
                RoutingDecision d = results.get(i).decision();
                routed.add(new ConversationEvent(ConversationEvent.Type.ROUTED, results.get(i).conversationId(),
                        pending.get(i).message().channel(), d.department(), now, "rule " + d.rule()));
            }
            events.publish(routed);
            total += results.size();
            if (pending.size() < batchSize) {
                return total;
            }
        }
    }

    RoutingDecision decide(List<RoutingRule> ordered, PendingRoute p) {
        RoutingContext context = new RoutingContext(p.conversationId(), p.customerId(), p.department(), List.of());
        for (RoutingRule rule : ordered) {
            try {
                Optional<RoutingDecision> decision = rule.decide(p.message(), context);
                if (decision != null && decision.isPresent()) {
                    return storable(decision.get());
                }
            } catch (RuntimeException e) {
                LOG.warn("Routing rule {} failed on conversation {}, skipping it: {}", rule.name(),
                        p.conversationId(), e.toString());
            }
        }
        return new RoutingDecision(defaultDepartment, 0, null, "default");
    }

    /** A decision the store cannot hold would fail the whole batch on every run, so it counts as a failing rule. */
    private static RoutingDecision storable(RoutingDecision d) {
        if (d.department().length() > MAX_DEPARTMENT || (d.skill() != null && d.skill().length() > MAX_DEPARTMENT)
                || d.rule().length() > MAX_RULE_NAME) {
            throw new IllegalArgumentException("decision does not fit the store: department and skill take at most "
                    + MAX_DEPARTMENT + " characters, the rule name " + MAX_RULE_NAME);
        }
        return d;
    }
}
