package org.frontdoor.rule.keyword;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

@ObjectClassDefinition(name = "Frontdoor keyword routing rule",
        description = "Sends a conversation to a department when its customer's words (or the classifiers' findings) "
                + "match; one file per rule, etc/org.frontdoor.rule.keyword-<name>.cfg")
@interface KeywordRuleConfig {

    @AttributeDefinition(description = "Department the matching conversations go to, such as billing (at most 64 "
            + "characters)")
    String department();

    @AttributeDefinition(required = false, description = "Words or phrases to look for, comma separated; matched "
            + "whole-word and whatever their case or width (Refund, REFUND, ＲＥＦＵＮＤ). May be left out when "
            + "'annotation' is set")
    String[] keywords() default {};

    @AttributeDefinition(required = false, description = "Channel ids this rule looks at, comma separated, such as "
            + "email, api; all channels when empty")
    String[] channels() default {};

    @AttributeDefinition(description = "Which messages are searched: the latest one, or any of the conversation's "
            + "latest messages that rules are given", options = {
            @Option(label = "the latest message", value = "latest"),
            @Option(label = "any message of the conversation", value = "conversation")})
    String match() default "latest";

    @AttributeDefinition(required = false, description = "Only when a classifier found this about the messages "
            + "searched, written name=value, such as sentiment=negative; no filter when empty")
    String annotation() default "";

    @AttributeDefinition(description = "Priority of the matching conversations: 0 is normal, higher is served first",
            min = "0")
    int priority() default 0;

    @AttributeDefinition(required = false, description = "Skill an agent needs for the matching conversations, such "
            + "as german; none when empty")
    String skill() default "";

    @AttributeDefinition(required = false, description = "Rule name shown in rule-list and the audit trail; by "
            + "default the part of the file name after 'keyword-'")
    String name() default "";

    @AttributeDefinition(description = "Order among all rules: the highest is asked first, and the first rule that "
            + "decides wins. A change takes effect on the next conversation routed")
    int service_ranking() default 0;
}
