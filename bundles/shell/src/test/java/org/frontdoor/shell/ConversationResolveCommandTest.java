package org.frontdoor.shell;

import java.util.List;
import java.util.Set;

import org.frontdoor.api.Caller;
import org.frontdoor.api.Scope;
import org.frontdoor.api.inbox.ConversationStatus;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ConversationResolveCommandTest {

    private final TestInbox inbox = TestInbox.sample();

    private ConversationResolveCommand resolve(long id) {
        ConversationResolveCommand command = new ConversationResolveCommand();
        command.inbox = inbox;
        command.id = id;
        return command;
    }

    private ConversationStatus status(long id) {
        return inbox.detail(id).summary().status();
    }

    @Test
    void marksItDoneAsTheSessionsUser() throws Exception {
        Console.Output output = Console.runAs("jane", Set.of("admin"), resolve(1));

        assertThat(output.err()).isEmpty();
        assertThat(output.out().strip()).isEqualTo("Conversation 1 resolved");
        assertThat(status(1)).isEqualTo(ConversationStatus.RESOLVED);
        assertThat(inbox.callers()).containsExactly(new Caller("jane", Set.of("admin"), Scope.ALL));
    }

    @Test
    void aResolvedConversationIsRefusedWithTheReason() throws Exception {
        Console.Output output = Console.run(resolve(3));

        assertThat(output.out()).isEmpty();
        assertThat(output.err().strip()).isEqualTo("Cannot resolve conversation 3: it is resolved already");
    }

    @Test
    void anUnknownConversationOrOneOutsideTheCallersScopeIsNotThere() throws Exception {
        Caller billing = new Caller("bea", Set.of("agent"), Scope.departments(List.of("billing")));

        Console.Output unknown = Console.run(resolve(99));
        Console.Output outside = Console.run(() -> {
            resolve(1).execute(inbox, billing);
            return null;
        });

        assertThat(unknown.err().strip()).isEqualTo("No conversation 99");
        assertThat(outside.err().strip()).isEqualTo("No conversation 1");
        assertThat(status(1)).isEqualTo(ConversationStatus.QUEUED);
    }
}
