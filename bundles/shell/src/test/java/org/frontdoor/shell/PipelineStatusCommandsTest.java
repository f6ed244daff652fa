package org.frontdoor.shell;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;

import org.frontdoor.api.admin.EventConsumerInfo;
import org.frontdoor.api.admin.PipelineStatus;
import org.frontdoor.api.admin.RuleInfo;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** rule-list and event-consumer-list. */
class PipelineStatusCommandsTest {

    private PipelineStatus status(List<RuleInfo> rules, List<EventConsumerInfo> consumers) {
        return new PipelineStatus() {
            @Override
            public String databaseProblem() {
                return null;
            }

            @Override
            public List<RuleInfo> rules() {
                return rules;
            }

            @Override
            public List<EventConsumerInfo> eventConsumers() {
                return consumers;
            }

            @Override
            public EventConsumerInfo resetEventConsumer(String name, long position) {
                resets.add(name + "@" + position);
                return consumers.stream().filter(c -> c.name().equals(name)).findFirst()
                        .map(c -> new EventConsumerInfo(c.name(), position < 0 ? 130 : position, 3, null, null, null,
                                c.movedAt()))
                        .orElseThrow(() -> new NoSuchElementException("No events consumer " + name));
            }
        };
    }

    private final List<String> resets = new ArrayList<>();

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
        command.callers = () -> new org.frontdoor.api.Caller("root", java.util.Set.of("admin"), org.frontdoor.api.Scope.ALL);
        command.status = status(List.of(), List.of(new EventConsumerInfo("crm", 120, 7, "host/1a2b",
                Instant.parse("2026-12-02T10:00:30Z"), "the CRM answered 500\n\u001b[31mred", Instant.parse(
                        "2026-12-02T10:00:00Z"))));

        Console.Output output = Console.run(command);

        assertThat(output.out()).contains("crm").contains("120").contains("7").contains("host/1a2b")
                .contains("the CRM answered 500").doesNotContain("\u001b");
    }

    @Test
    void showsTheEventsAConsumerMissedAndHowToResetIt() throws Exception {
        EventConsumerListCommand command = new EventConsumerListCommand();
        command.callers = () -> new org.frontdoor.api.Caller("root", java.util.Set.of("admin"), org.frontdoor.api.Scope.ALL);
        command.status = status(List.of(), List.of(new EventConsumerInfo("tickets", 900, 2, "host/1a2b",
                Instant.parse("2026-12-02T10:00:30Z"), null, Instant.parse("2026-12-02T10:00:00Z"), 7, 401, 900,
                "transferred,resolved", "billing")));

        Console.Output output = Console.run(command);

        assertThat(output.table().get(0)).contains("Generation", "Missed");
        assertThat(output.out()).contains("missed events 401 to 900")
                .contains("frontdoor:event-consumer-reset tickets --to end");
    }

    @Test
    void resetsAConsumerToAPositionTheBeginningOrTheEnd() throws Exception {
        PipelineStatus status = status(List.of(), List.of(new EventConsumerInfo("crm", 120, 7, null, null, null,
                Instant.parse("2026-12-02T10:00:00Z"))));
        for (String to : List.of("15", "beginning", "END")) {
            EventConsumerResetCommand command = new EventConsumerResetCommand();
            command.callers = () -> new org.frontdoor.api.Caller("root", java.util.Set.of("admin"), org.frontdoor.api.Scope.ALL);
            command.status = status;
            command.name = "crm";
            command.to = to;
            assertThat(Console.run(command).err()).isEmpty();
        }
        assertThat(resets).containsExactly("crm@15", "crm@0", "crm@-1");

        EventConsumerResetCommand bad = new EventConsumerResetCommand();

        bad.callers = () -> new org.frontdoor.api.Caller("root", java.util.Set.of("admin"), org.frontdoor.api.Scope.ALL);
        bad.status = status;
        bad.name = "crm";
        bad.to = "yesterday";
        assertThat(Console.run(bad).err()).contains("--to takes a position");
        bad.to = "-3";
        assertThat(Console.run(bad).err()).contains("--to takes a position");
        EventConsumerResetCommand unknown = new EventConsumerResetCommand();
        unknown.callers = () -> new org.frontdoor.api.Caller("root", java.util.Set.of("admin"), org.frontdoor.api.Scope.ALL);
        unknown.status = status;
        unknown.name = "nobody";
        unknown.to = "end";
        assertThat(Console.run(unknown).err()).contains("No events consumer nobody");
        assertThat(resets).hasSize(4);

        // as typed: Karaf hands options after the name over as arguments
        EventConsumerResetCommand typed = new EventConsumerResetCommand();
        typed.callers = () -> new org.frontdoor.api.Caller("root", java.util.Set.of("admin"), org.frontdoor.api.Scope.ALL);
        typed.status = status;
        typed.name = "crm";
        typed.after = List.of("--to", "beginning");
        assertThat(Console.run(typed).err()).isEmpty();
        typed.to = null;
        typed.after = List.of("--to=42");
        assertThat(Console.run(typed).err()).isEmpty();
        typed.to = null;
        typed.after = List.of("--from", "3");
        assertThat(Console.run(typed).err()).contains("Usage: frontdoor:event-consumer-reset NAME --to");
        assertThat(resets).hasSize(6).endsWith("crm@0", "crm@42");
    }
}
