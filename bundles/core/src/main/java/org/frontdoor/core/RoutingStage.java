package org.frontdoor.core;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.function.ToIntFunction;

import org.frontdoor.api.Annotation;
import org.frontdoor.api.Message;
import org.frontdoor.api.RoutingContext;
import org.frontdoor.api.RoutingDecision;
import org.frontdoor.store.PendingRoute;
import org.frontdoor.store.RouteResult;
import org.frontdoor.store.RouteResult.SourcedAnnotation;
import org.frontdoor.store.RoutingStore;
import org.frontdoor.store.StoredMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes new and reopened conversations: claims a batch (another pipeline on the same database takes others),
 * classifies the messages the classifiers have not seen, then asks the rules, highest ranking first; the first claim
 * wins, and what no rule claims goes to the default department. State is in the database (status NEW, and a claim
 * that runs out), so a crash resumes here.
 */
final class RoutingStage {

    private static final Logger LOG = LoggerFactory.getLogger(RoutingStage.class);

    private final RoutingStore store;
    private final RuleRegistry rules;
    private final Classifiers classifiers;
    private final Supplier<Settings> settings;
    private final String node;
    private final Runnable routed;
    private final ToIntFunction<String> defaultPriority;
    private final Throttled failing = new Throttled(LOG, 10_000);
    private final CoreMetrics metrics;

    RoutingStage(RoutingStore store, RuleRegistry rules, Classifiers classifiers, Supplier<Settings> settings,
                 String node, Runnable routed) {
        this(store, rules, classifiers, settings, node, routed, department -> 0);
    }

    /**
     * @param defaultPriority a department's {@code defaultPriority} (0 for one without a configuration), given to the
     *                        conversations a rule sends there without a priority (0)
     */
    RoutingStage(RoutingStore store, RuleRegistry rules, Classifiers classifiers, Supplier<Settings> settings,
                 String node, Runnable routed, ToIntFunction<String> defaultPriority) {
        this(store, rules, classifiers, settings, node, routed, defaultPriority, null);
    }

    /** @param metrics where routed conversations and batch times are counted; null for none */
    RoutingStage(RoutingStore store, RuleRegistry rules, Classifiers classifiers, Supplier<Settings> settings,
                 String node, Runnable routed, ToIntFunction<String> defaultPriority, CoreMetrics metrics) {
        this.metrics = metrics;
        this.defaultPriority = defaultPriority;
        this.store = store;
        this.rules = rules;
        this.classifiers = classifiers;
        this.settings = settings;
        this.node = node;
        this.routed = routed;
    }

    /** Routes until nothing is left; returns how many were routed. */
    int routeAll() {
        int total = 0;
        while (true) {
            long start = System.nanoTime();
            Settings s = settings.get();
            List<PendingRoute> claimed = store.claimConversationsToRoute(node, Instant.now().plus(s.routingClaim()),
                    s.routingBatchSize());
            if (claimed.isEmpty()) {
                return total;
            }
            List<StoredMessage> unseen = new ArrayList<>();
            for (PendingRoute p : claimed) {
                // by the conversation's commit order (seq): a message committed later with a smaller id is not skipped
                p.messages().stream().filter(m -> m.seq() > p.classifiedThrough()).forEach(unseen::add);
            }
            Map<Long, List<SourcedAnnotation>> found = classifiers.classify(unseen, s.classifierTimeout());
            List<RuleRegistry.Entry> ordered = rules.ordered();
            List<RouteResult> results = new ArrayList<>(claimed.size());
            for (PendingRoute p : claimed) {
                long classifiedThrough = p.messages().stream().mapToLong(StoredMessage::seq).max()
                        .orElse(p.classifiedThrough());
                Map<Long, List<SourcedAnnotation>> mine = new HashMap<>();
                p.messages().forEach(m -> {
                    if (found.containsKey(m.id())) {
                        mine.put(m.id(), found.get(m.id()));
                    }
                });
                results.add(new RouteResult(p.conversationId(), decide(ordered, p, mine, s.defaultDepartment()), mine,
                        Math.max(classifiedThrough, p.classifiedThrough())));
            }
            List<Long> stored = store.routed(node, results);
            total += stored.size();
            record(results, stored, System.nanoTime() - start);
            routed.run();
            if (claimed.size() < s.routingBatchSize()) {
                return total;
            }
        }
    }

    /** Counts the conversations this batch routed, per department and by rule or by default. */
    private void record(List<RouteResult> results, List<Long> stored, long nanos) {
        if (metrics == null) {
            return;
        }
        try {
            java.util.Set<Long> ids = new java.util.HashSet<>(stored);
            Map<List<Object>, Long> counts = new HashMap<>();
            for (RouteResult r : results) {
                if (ids.contains(r.conversationId())) {
                    counts.merge(List.of(r.decision().department(), "default".equals(r.decision().rule())), 1L,
                            Long::sum);
                }
            }
            counts.forEach((k, n) -> metrics.routed((String) k.get(0), (Boolean) k.get(1), n));
            metrics.routingBatch(nanos);
        } catch (RuntimeException e) {
            LOG.debug("Could not record routing in the metrics", e);
        }
    }

    RoutingDecision decide(List<RuleRegistry.Entry> ordered, PendingRoute p, Map<Long, List<SourcedAnnotation>> found,
                           String defaultDepartment) {
        RoutingContext context = context(p, found);
        for (RuleRegistry.Entry entry : ordered) {
            Answer answer = ask(entry, context);
            if (answer.claimed()) {
                return prioritised(answer.decision());
            }
            if (answer.error() != null) {
                failing.warn("Routing rule {} failed on conversation {}, skipping it: {}",
                        RuleRegistry.name(entry.rule()), p.conversationId(), answer.error().toString());
            }
        }
        return prioritised(byDefault(defaultDepartment));
    }

    /** A decision without a priority (0) takes its department's {@code defaultPriority}. */
    RoutingDecision prioritised(RoutingDecision d) {
        if (d.priority() != 0) {
            return d;
        }
        int priority = Math.max(0, defaultPriority.applyAsInt(d.department()));
        return priority == 0 ? d : new RoutingDecision(d.department(), priority, d.skill(), d.rule(), d.reason());
    }

    /** What one rule answered: a decision, nothing (not its conversation), or what it threw. */
    record Answer(RuleRegistry.Entry entry, RoutingDecision decision, RuntimeException error) {
        boolean claimed() {
            return decision != null;
        }
    }

    /** The rules' view of a conversation: its messages, each with the annotations the classifiers just found. */
    static RoutingContext context(PendingRoute p, Map<Long, List<SourcedAnnotation>> found) {
        List<Message> messages = new ArrayList<>(p.messages().size());
        for (StoredMessage m : p.messages()) {
            List<SourcedAnnotation> fresh = found.get(m.id());
            if (fresh == null) {
                messages.add(m.message());
            } else {
                List<Annotation> all = new ArrayList<>(m.message().annotations());
                fresh.forEach(a -> all.add(a.annotation()));
                messages.add(m.message().toBuilder().annotations(all).build());
            }
        }
        return new RoutingContext(p.conversationId(), p.customerId(), p.department(), p.reopened(), messages);
    }

    /** Asks one rule, as routing does: a decision the store cannot hold counts as the rule failing. */
    static Answer ask(RuleRegistry.Entry entry, RoutingContext context) {
        try {
            Optional<RoutingDecision> decision = entry.rule().decide(context.latest(), context);
            if (decision != null && decision.isPresent()) {
                return new Answer(entry, storable(decision.get()), null);
            }
            return new Answer(entry, null, null);
        } catch (RuntimeException e) {
            return new Answer(entry, null, e);
        }
    }

    /** Where what no rule claims goes. */
    static RoutingDecision byDefault(String defaultDepartment) {
        return new RoutingDecision(defaultDepartment, 0, null, "default", "no rule claimed it");
    }

    /**
     * A dry run of routing one conversation of one message ({@code frontdoor:rule-test}): the classifiers are asked as
     * for a claimed conversation (without counting a late answer against them), then every rule, in order, even after
     * the first claim. Nothing is stored.
     */
    Trial trial(Message message) {
        Settings s = settings.get();
        StoredMessage stored = new StoredMessage(0, 0, message, 1);
        PendingRoute p = new PendingRoute(0, 0, null, false, List.of(stored), 0);
        List<String> leftOut = new ArrayList<>();
        Map<Long, List<SourcedAnnotation>> found = classifiers.classify(List.of(stored), s.classifierTimeout(),
                leftOut::add);
        RoutingContext context = context(p, found);
        List<Answer> answers = new ArrayList<>();
        for (RuleRegistry.Entry entry : rules.ordered()) {
            answers.add(ask(entry, context));
        }
        RoutingDecision decision = answers.stream().filter(Answer::claimed).map(Answer::decision).findFirst()
                .orElse(null);
        return new Trial(answers, found.getOrDefault(0L, List.of()), leftOut,
                prioritised(decision != null ? decision : byDefault(s.defaultDepartment())), decision == null);
    }

    /** The outcome of {@link #trial}. */
    record Trial(List<Answer> answers, List<SourcedAnnotation> annotations, List<String> classifiersLeftOut,
                 RoutingDecision decision, boolean byDefault) {
    }

    /** A decision the store cannot hold would fail the whole batch on every run, so it counts as a failing rule. */
    private static RoutingDecision storable(RoutingDecision d) {
        if (d.department().length() > RoutingStore.MAX_DEPARTMENT || (d.skill() != null && d.skill().length() > RoutingStore.MAX_DEPARTMENT)
                || d.rule().length() > RoutingStore.MAX_RULE_NAME) {
            throw new IllegalArgumentException("decision does not fit the store: department and skill take at most "
                    + RoutingStore.MAX_DEPARTMENT + " characters, the rule name " + RoutingStore.MAX_RULE_NAME);
        }
        return d;
    }
}
