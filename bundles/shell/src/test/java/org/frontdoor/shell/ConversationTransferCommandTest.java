package org.frontdoor.shell;

import java.util.Set;

import org.frontdoor.api.Caller;
import org.frontdoor.api.Scope;
import org.frontdoor.api.inbox.ConversationStatus;
import org.frontdoor.api.inbox.ConversationSummary;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ConversationTransferCommandTest {

    private final TestInbox inbox = TestInbox.sample();

    private ConversationTransferCommand transfer(long id, String department) {
        ConversationTransferCommand command = new ConversationTransferCommand();
        command.inbox = inbox;
        command.id = id;
        command.department = department;
        return command;
    }

    private ConversationSummary summary(long id) {
        return inbox.detail(id).summary();
    }

    @Test
    void movesItToTheOtherDepartmentsQueueUnassigned() throws Exception {
        Console.Output output = Console.runAs("jane", Set.of("admin"), transfer(4, "sales"));

        assertThat(output.err()).isEmpty();
        assertThat(output.out().strip()).isEqualTo("Conversation 4 is now in the queue of sales");
        assertThat(summary(4)).extracting(ConversationSummary::department, ConversationSummary::status,
                ConversationSummary::assignee).containsExactly("sales", ConversationStatus.QUEUED, null);
        assertThat(inbox.callers()).containsExactly(new Caller("jane", Set.of("admin"), Scope.ALL));
    }

    @Test
    void aTransferThatDoesNotApplyIsRefusedWithTheReason() throws Exception {
        Console.Output same = Console.run(transfer(1, "support"));
        Console.Output notRouted = Console.run(transfer(2, "sales"));

        assertThat(same.out() + notRouted.out()).isEmpty();
        assertThat(same.err().strip()).isEqualTo("Cannot transfer conversation 1: it is in support already");
        assertThat(notRouted.err().strip()).isEqualTo("Cannot transfer conversation 2: it is not routed yet");
    }

    @Test
    void aBlankDepartmentOrAnUnknownConversationIsAnError() throws Exception {
        Console.Output blank = Console.run(transfer(1, "  "));
        Console.Output unknown = Console.run(transfer(99, "sales"));

        assertThat(blank.err().strip()).isEqualTo("Name the department to move conversation 1 to");
        assertThat(unknown.err().strip()).isEqualTo("No conversation 99");
        assertThat(summary(1).department()).isEqualTo("support");
    }
}
