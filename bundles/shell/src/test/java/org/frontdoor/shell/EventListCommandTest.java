package org.frontdoor.shell;

import java.util.List;
import java.util.Set;

import org.frontdoor.api.Caller;
import org.frontdoor.api.Scope;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.frontdoor.shell.TestInbox.T;

class EventListCommandTest {

    private final TestInbox inbox = TestInbox.sample();

    private EventListCommand events(long after, int limit) {
        EventListCommand command = new EventListCommand();
        command.inbox = inbox;
        command.after = after;
        command.limit = limit;
        return command;
    }

    private static List<String> positions(Console.Output output) {
        return output.table().stream().skip(1).map(row -> row.get(0)).toList();
    }

    @Test
    void listsTheLogOldestFirstWithTypeIdsAndWhereToGoOn() throws Exception {
        EventListCommand defaults = new EventListCommand();
        defaults.inbox = inbox;

        Console.Output output = Console.runAs("jane", Set.of("admin"), defaults);

        assertThat(output.err()).isEmpty();
        assertThat(output.table()).containsExactly(
                List.of("Position", "Time", "Type", "Conversation", "Department", "Actor", "Detail"),
                List.of("1", Text.time(T.plusSeconds(300)), "created", "2", "", "system", ""),
                List.of("2", Text.time(T.plusSeconds(301)), "routed", "1", "support", "system", "rule default"),
                List.of("3", Text.time(T.plusSeconds(602)), "assigned", "4", "billing", "jane", "joe"),
                List.of("4", Text.time(T.plusSeconds(611)), "reply-failed", "4", "billing", "system",
                        "the customer\uFFFD[2J blocked this account"));
        assertThat(output.out().strip()).endsWith("Next: frontdoor:event-list --after 4");
        assertThat(output.out()).doesNotContain("\u001b");
        assertThat(inbox.callers()).containsExactly(new Caller("jane", Set.of("admin"), Scope.ALL));
    }

    @Test
    void pagesWithAfterAndLimit() throws Exception {
        Console.Output page = Console.run(events(2, 1));
        Console.Output end = Console.run(events(4, 20));

        assertThat(positions(page)).containsExactly("3");
        assertThat(page.out().strip()).endsWith("Next: frontdoor:event-list --after 3");
        assertThat(end.out()).contains("No event after position 4")
                .contains("Nothing after position 4 yet; ask again with --after 4");
    }

    @Test
    void aCallerLimitedToADepartmentSeesItsEventsAndGoesOnPastTheOthers() throws Exception {
        Caller billing = new Caller("bea", Set.of("agent"), Scope.departments(List.of("billing")));

        Console.Output output = Console.run(() -> {
            events(0, 20).execute(inbox, billing);
            return null;
        });

        assertThat(positions(output)).containsExactly("3", "4");
        assertThat(output.out().strip()).endsWith("--after 4");
    }

    @Test
    void optionsOutOfRangeAreErrorsNamingTheOption() throws Exception {
        assertThat(Console.run(events(-1, 20)).err().strip()).isEqualTo("--after must not be negative");
        assertThat(Console.run(events(0, 0)).err().strip()).isEqualTo("--limit must be between 1 and 500");
        assertThat(Console.run(events(0, 501)).err().strip()).isEqualTo("--limit must be between 1 and 500");
        assertThat(inbox.callers()).isEmpty();
    }

    @Test
    void aStoppedCoreIsReportedAsSuch() throws Exception {
        assertThat(Console.run(new EventListCommand()).err()).contains("Frontdoor core is not running");
    }

    @Test
    void filtersByTypesAndDepartmentAndKeepsTheFilterInWhereToGoOn() throws Exception {
        EventListCommand command = events(0, 20);
        command.types = "assigned,reply-failed";
        command.department = "billing";

        Console.Output output = Console.run(command);

        assertThat(positions(output)).containsExactly("3", "4");
        assertThat(output.out().strip()).endsWith("Next: frontdoor:event-list --after 4 --types assigned,reply-failed "
                + "--department billing");

        command.types = "shouted";
        assertThat(Console.run(command).err()).contains("unknown event type: shouted");
    }
}
