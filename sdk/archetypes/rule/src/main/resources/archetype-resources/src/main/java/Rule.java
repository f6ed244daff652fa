package ${package};

import java.util.Locale;
import java.util.Optional;

import org.frontdoor.api.Message;
import org.frontdoor.api.RoutingContext;
import org.frontdoor.api.RoutingDecision;
import org.frontdoor.api.RoutingRule;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One rule per factory configuration {@code etc/${groupId}.rule.${ruleName}-<name>.cfg}: a conversation whose latest
 * customer message holds the keyword goes to the department. Core asks the rules in order of {@code service.ranking}
 * (a cfg file's String is read as its number), highest first; the first decision wins.
 */
@Component(configurationPid = Rule.FACTORY_PID, configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = RoutingRule.class)
@Designate(ocd = RuleConfig.class, factory = true)
public class Rule implements RoutingRule {

    /** Third-party convention: {@code <groupId>.<kind>.<name>}, never org.frontdoor.*. */
    public static final String FACTORY_PID = "${groupId}.rule.${ruleName}";
    private static final Logger LOG = LoggerFactory.getLogger(Rule.class);

    private final String department;
    private final String keyword;

    @Activate
    public Rule(RuleConfig config) {
        this(config.department(), config.keyword());
    }

    Rule(String department, String keyword) {
        if (department == null || department.isBlank() || keyword == null || keyword.isBlank()) {
            throw new IllegalArgumentException(FACTORY_PID + ": department and keyword must be set");
        }
        this.department = department.strip();
        this.keyword = keyword.strip().toLowerCase(Locale.ROOT);
        LOG.info("Rule {}: '{}' goes to {}", FACTORY_PID, this.keyword, this.department);
    }

    @Override
    public String name() {
        return "${ruleName}:" + keyword;
    }

    @Override
    public Optional<RoutingDecision> decide(Message message, RoutingContext context) {
        String text = message.text();
        if (text == null || !text.toLowerCase(Locale.ROOT).contains(keyword)) {
            return Optional.empty();
        }
        return Optional.of(new RoutingDecision(department, 0, null, name(), "the message says " + keyword));
    }
}
