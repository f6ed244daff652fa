package org.frontdoor.shell;

import java.time.Instant;
import java.util.List;

import org.frontdoor.api.admin.EventConsumerInfo;
import org.frontdoor.api.admin.PipelineStatus;
import org.frontdoor.api.admin.RuleInfo;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** rule-list and event-consumer-list. */
class PipelineStatusCommandsTest {

    private static PipelineStatus status(List<RuleInfo> rules, List<EventConsumerInfo> consumers) {
        return new PipelineStatus() {
            @Override
            public List<RuleInfo> rules() {
                return rules;
            }

            @Override
            public List<EventConsumerInfo> eventConsumers() {
                return consumers;
            }
        };
    }

    @Test
    void listsTheRulesInTheOrderTheyAreAsked() throws Exception {
        RuleListCommand command = new RuleListCommand();
        command.status = status(List.of(new RuleInfo("vip", 150, 81, "org.frontdoor.rule.keyword"),
                new RuleInfo("refunds", 100, 77, "org.frontdoor.rule.keyword")), List.of());

        Console.Output output = Console.run(command);

        assertThat(output.out()).containsSubsequence("Order", "Rule", "Ranking", "1", "vip", "150", "81",
                "2", "refunds", "100", "77");
        assertThat(output.err()).isEmpty();
    }

    @Test
    void saysWhereConversationsGoWithoutRulesAndWhenCoreIsStopped() throws Exception {
        RuleListCommand command = new RuleListCommand();
        command.status = status(List.of(), List.of());
        assertThat(Console.run(command).out()).contains("every conversation goes to the default department");
        command.status = null;
        assertThat(Console.run(command).err()).contains("core is not running");
    }

    @Test
    void showsEachConsumersPositionLagAndWhyItWaitsOnOneLine() throws Exception {
        EventConsumerListCommand command = new EventConsumerListCommand();
        command.status = status(List.of(), List.of(new EventConsumerInfo("crm", 120, 7, "host/1a2b",
                Instant.parse("2026-12-02T10:00:30Z"), "the CRM answered 500\n\u001b[31mred", Instant.parse(
                        "2026-12-02T10:00:00Z"))));

        Console.Output output = Console.run(command);

        assertThat(output.out()).contains("crm").contains("120").contains("7").contains("host/1a2b")
                .contains("the CRM answered 500").doesNotContain("\u001b");
    }
}
