package org.frontdoor.shell;

import java.util.List;
import java.util.Set;

import org.frontdoor.api.Caller;
import org.frontdoor.api.Scope;
import org.frontdoor.api.inbox.ReplyStatus;
import org.frontdoor.api.inbox.ReplyView;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ReplyRetryCommandTest {

    private final TestInbox inbox = TestInbox.sample();

    private ReplyRetryCommand retry(long replyId) {
        ReplyRetryCommand command = new ReplyRetryCommand();
        command.inbox = inbox;
        command.replyId = replyId;
        return command;
    }

    private ReplyView reply(long conversationId) {
        return inbox.detail(conversationId).replies().get(0);
    }

    @Test
    void queuesAFailedReplyAgainAsTheSessionsUser() throws Exception {
        Console.Output output = Console.runAs("jane", Set.of("admin"), retry(8));

        assertThat(output.err()).isEmpty();
        assertThat(output.out().strip()).isEqualTo("Reply 8 queued again for conversation 4");
        assertThat(reply(4)).extracting(ReplyView::status, ReplyView::attempts, ReplyView::lastError)
                .containsExactly(ReplyStatus.QUEUED, 0, null);
        assertThat(inbox.callers()).containsExactly(new Caller("jane", Set.of("admin"), Scope.ALL));
    }

    @Test
    void aReplyThatHasNotFailedIsRefusedWithTheReason() throws Exception {
        Console.Output output = Console.run(retry(2));

        assertThat(output.out()).isEmpty();
        assertThat(output.err().strip()).isEqualTo("Cannot retry reply 2: it has not failed, it is RETRYING");
        assertThat(reply(1).status()).isEqualTo(ReplyStatus.RETRYING);
    }

    @Test
    void anUnknownReplyOrOneOutsideTheCallersScopeIsNotThere() throws Exception {
        Caller support = new Caller("sue", Set.of("agent"), Scope.departments(List.of("support")));

        Console.Output unknown = Console.run(retry(77));
        Console.Output outside = Console.run(() -> {
            retry(8).execute(inbox, support);
            return null;
        });

        assertThat(unknown.err().strip()).isEqualTo("No reply 77");
        assertThat(outside.err().strip()).isEqualTo("No reply 8");
        assertThat(reply(4).status()).isEqualTo(ReplyStatus.FAILED);
    }
}
