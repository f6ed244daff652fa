package org.frontdoor.shell;

import java.util.List;
import java.util.Set;

import org.frontdoor.api.Caller;
import org.frontdoor.api.Scope;
import org.frontdoor.api.inbox.ConversationStatus;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ConversationReopenCommandTest {

    private final TestInbox inbox = TestInbox.sample();

    private ConversationReopenCommand reopen(long id) {
        ConversationReopenCommand command = new ConversationReopenCommand();
        command.inbox = inbox;
        command.id = id;
        return command;
    }

    private ConversationStatus status(long id) {
        return inbox.detail(id).summary().status();
    }

    @Test
    void bringsAResolvedConversationBackAsTheSessionsUser() throws Exception {
        Console.Output output = Console.runAs("jane", Set.of("admin"), reopen(3));

        assertThat(output.err()).isEmpty();
        assertThat(output.out().strip()).startsWith("Conversation 3 reopened: ");
        assertThat(status(3)).isIn(ConversationStatus.QUEUED, ConversationStatus.ASSIGNED);
        assertThat(inbox.callers()).containsExactly(new Caller("jane", Set.of("admin"), Scope.ALL));
    }

    @Test
    void anOpenConversationIsRefusedWithTheReason() throws Exception {
        Console.Output output = Console.run(reopen(1));

        assertThat(output.out()).isEmpty();
        assertThat(output.err().strip()).isEqualTo("Cannot reopen conversation 1: it is open already");
        assertThat(status(1)).isEqualTo(ConversationStatus.QUEUED);
    }

    @Test
    void anUnknownConversationOrOneOutsideTheCallersScopeIsNotThere() throws Exception {
        Caller billing = new Caller("bea", Set.of("agent"), Scope.departments(List.of("billing")));

        Console.Output unknown = Console.run(reopen(99));
        Console.Output outside = Console.run(() -> {
            reopen(3).execute(inbox, billing);
            return null;
        });

        assertThat(unknown.err().strip()).isEqualTo("No conversation 99");
        assertThat(outside.err().strip()).isEqualTo("No conversation 3");
        assertThat(status(3)).isEqualTo(ConversationStatus.RESOLVED);
    }
}
