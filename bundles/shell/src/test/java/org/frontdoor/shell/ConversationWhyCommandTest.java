package org.frontdoor.shell;

import static org.assertj.core.api.Assertions.assertThat;
import static org.frontdoor.shell.TestInbox.T;

import java.util.List;
import java.util.Set;

import org.frontdoor.api.Caller;
import org.frontdoor.api.Scope;
import org.junit.jupiter.api.Test;

class ConversationWhyCommandTest {

    private final TestInbox inbox = TestInbox.sample();

    private ConversationWhyCommand command(long id) {
        ConversationWhyCommand command = new ConversationWhyCommand();
        command.inbox = inbox;
        command.id = id;
        return command;
    }

    @Test
    void showsTheRuleItsReasonTheAnnotationsAndTheHistory() throws Exception {
        Console.Output output = Console.run(command(1));

        assertThat(output.err()).isEmpty();
        assertThat(output.out().lines().toList()).containsExactly(
                "Conversation 1: in support, priority 2",
                "  Rule:    refunds: one of its keywords (refund) in the latest message",
                "  Annotations:",
                "    message 1: sentiment=negative 0.92 (org.frontdoor.classifier.sentiment)",
                "    message 1: language=en 1.00 (org.frontdoor.classifier.language)",
                "  History:",
                "    " + Text.time(T) + "  routed by system: to billing by rule refunds, priority 2",
                "    " + Text.time(T.plusSeconds(30)) + "  transferred by jane: from billing to support");
    }

    @Test
    void aConversationOutsideTheCallersScopeOrMissingIsNotThere() throws Exception {
        Caller billing = new Caller("bea", Set.of("agent"), Scope.departments(List.of("billing")));
        Console.Output outside = Console.run(() -> {
            command(1).execute(inbox, billing);
            return null;
        });
        assertThat(outside.out()).isEmpty();
        assertThat(outside.err().strip()).isEqualTo("No conversation 1");
        assertThat(Console.run(command(99)).err().strip()).isEqualTo("No conversation 99");
    }
}
