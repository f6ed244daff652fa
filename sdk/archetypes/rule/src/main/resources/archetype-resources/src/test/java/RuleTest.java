package ${package};

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.frontdoor.api.Identity;
import org.frontdoor.api.Message;
import org.frontdoor.api.RoutingContext;
import org.frontdoor.api.RoutingDecision;
import org.junit.jupiter.api.Test;

class RuleTest {

    private static Message message(String text) {
        return Message.inbound("api", "test").externalId("m-" + text.hashCode()).text(text)
                .author(Identity.of("api", "customer-1")).build();
    }

    private static RoutingContext context(Message latest) {
        return new RoutingContext(1L, 1L, null, false, List.of(latest));
    }

    @Test
    void sendsAMessageWithTheKeywordToTheDepartment() {
        Rule rule = new Rule("billing", "Invoice");
        Message message = message("Where is my INVOICE?");

        assertThat(rule.decide(message, context(message)))
                .get().extracting(RoutingDecision::department, RoutingDecision::rule)
                .containsExactly("billing", "${ruleName}:invoice");
    }

    @Test
    void abstainsOtherwise() {
        Rule rule = new Rule("billing", "invoice");
        Message message = message("hello");

        assertThat(rule.decide(message, context(message))).isEmpty();
    }

    @Test
    void refusesAConfigurationWithoutKeyword() {
        assertThatThrownBy(() -> new Rule("billing", " ")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("keyword");
    }
}
