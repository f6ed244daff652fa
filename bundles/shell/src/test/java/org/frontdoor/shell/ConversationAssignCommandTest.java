package org.frontdoor.shell;

import java.util.List;
import java.util.Set;

import org.frontdoor.api.Caller;
import org.frontdoor.api.Scope;
import org.frontdoor.api.inbox.ConversationStatus;
import org.frontdoor.api.inbox.ConversationSummary;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ConversationAssignCommandTest {

    private final TestInbox inbox = TestInbox.sample();

    private ConversationAssignCommand assign(long id, String agent) {
        ConversationAssignCommand command = new ConversationAssignCommand();
        command.inbox = inbox;
        command.id = id;
        command.agent = agent;
        return command;
    }

    private ConversationSummary summary(long id) {
        return inbox.detail(id).summary();
    }

    @Test
    void withoutAnAgentTheSessionsUserTakesIt() throws Exception {
        Console.Output output = Console.runAs("jane", Set.of("admin"), assign(1, null));

        assertThat(output.err()).isEmpty();
        assertThat(output.out().strip()).isEqualTo("Conversation 1 assigned to jane");
        assertThat(summary(1).status()).isEqualTo(ConversationStatus.ASSIGNED);
        assertThat(summary(1).assignee()).isEqualTo("jane");
        assertThat(inbox.callers()).containsExactly(new Caller("jane", Set.of("admin"), Scope.ALL));
    }

    @Test
    void givesItToTheAgentNamed() throws Exception {
        Console.Output output = Console.runAs("jane", Set.of("admin"), assign(4, " kim "));

        assertThat(output.out().strip()).isEqualTo("Conversation 4 assigned to kim");
        assertThat(summary(4).assignee()).isEqualTo("kim");
    }

    @Test
    void aConversationNotRoutedYetOrResolvedIsRefusedWithTheReason() throws Exception {
        Console.Output notRouted = Console.run(assign(2, "joe"));
        Console.Output resolved = Console.run(assign(3, "joe"));

        assertThat(notRouted.out() + resolved.out()).isEmpty();
        assertThat(notRouted.err().strip()).isEqualTo("Cannot assign conversation 2: it is not routed yet");
        assertThat(resolved.err().strip()).isEqualTo("Cannot assign conversation 3: it is resolved");
        assertThat(summary(2).assignee()).isNull();
    }

    @Test
    void anUnknownConversationOrOneOutsideTheCallersScopeIsNotThere() throws Exception {
        Caller billing = new Caller("bea", Set.of("agent"), Scope.departments(List.of("billing")));

        Console.Output unknown = Console.run(assign(99, "joe"));
        Console.Output outside = Console.run(() -> {
            assign(1, "bea").execute(inbox, billing);
            return null;
        });

        assertThat(unknown.err().strip()).isEqualTo("No conversation 99");
        assertThat(outside.err().strip()).isEqualTo("No conversation 1");
        assertThat(summary(1).assignee()).isNull();
    }

    @Test
    void aStoppedCoreIsReportedAsSuch() throws Exception {
        ConversationAssignCommand command = assign(1, null);
        command.inbox = null;

        assertThat(Console.run(command).err()).contains("Frontdoor core is not running");
    }
}
