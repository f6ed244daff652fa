package ${package};

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "${ruleName} routing rule",
        description = "Sends a conversation whose latest message holds a word to a department; one file per rule, "
                + "etc/${groupId}.rule.${ruleName}-<name>.cfg")
@interface RuleConfig {

    @AttributeDefinition(description = "Department the matching conversations go to")
    String department();

    @AttributeDefinition(description = "The word looked for, whatever its case")
    String keyword();

    @AttributeDefinition(description = "Order among all rules: the highest is asked first")
    int service_ranking() default 0;
}
