package org.frontdoor.api.admin;

import java.util.List;
import java.util.Objects;

import org.frontdoor.api.RoutingDecision;

/**
 * The outcome of a dry run of routing.
 *
 * @param door        the door the message was made for, {@code channel/instance}
 * @param rules       every rule, in the order routing asks them, with its answer
 * @param annotations what the classifiers found, which the rules were given
 * @param decision    where such a conversation would go: the first rule's claim, or the default department
 * @param byDefault   true when no rule claimed it and it would go to the default department
 * @param notes       what the dry run did not check or found out of line, one sentence each (a door that is not
 *                    running, whose limits are not checked; a classifier left out)
 */
public record RuleTestResult(String door, List<RuleAnswer> rules, List<FoundAnnotation> annotations,
                             RoutingDecision decision, boolean byDefault, List<String> notes) {

    public RuleTestResult {
        Objects.requireNonNull(door, "door");
        Objects.requireNonNull(decision, "decision");
        rules = List.copyOf(rules);
        annotations = List.copyOf(annotations);
        notes = List.copyOf(notes);
    }
}
