package org.frontdoor.shell;

import java.security.PrivilegedExceptionAction;
import java.util.List;
import java.util.Set;

import javax.security.auth.Subject;

import org.apache.karaf.jaas.boot.principal.RolePrincipal;
import org.apache.karaf.jaas.boot.principal.UserPrincipal;
import org.frontdoor.api.inbox.ReplyStatus;
import org.frontdoor.api.inbox.ReplyView;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

class ReplyCommandTest {

    private final TestInbox inbox = TestInbox.sample();

    private ReplyCommand reply(long id, String... words) {
        ReplyCommand command = new ReplyCommand();
        command.inbox = inbox;
        command.id = id;
        command.text = List.of(words);
        return command;
    }

    /** Runs as Karaf runs a command of a logged-in session: inside Subject.doAs with the user's principals. */
    @SuppressWarnings("removal")
    private static Console.Output as(String user, ReplyCommand command) throws Exception {
        Subject subject = new Subject(true, Set.of(new UserPrincipal(user), new RolePrincipal("agent")), Set.of(),
                Set.of());
        return Subject.doAs(subject, (PrivilegedExceptionAction<Console.Output>) () -> Console.run(command));
    }

    @Test
    void queuesTheWordsJoinedWithSpacesInTheNameOfTheSessionsUser() throws Exception {
        Console.Output output = as("jane", reply(1, "We", "are", "on", "it"));

        assertThat(output.err()).isEmpty();
        assertThat(output.out().strip()).isEqualTo("Reply 100 queued for conversation 1");
        assertThat(inbox.queued()).extracting(ReplyView::conversationId, ReplyView::text, ReplyView::author,
                ReplyView::status).containsExactly(tuple(1L, "We are on it", "jane",
                ReplyStatus.QUEUED));
    }

    @Test
    void aQuotedTextArrivesAsOneArgumentAndIsKeptAsTyped() throws Exception {
        as("joe", reply(3, "Sorry about that,  it ships today."));

        assertThat(inbox.queued()).singleElement().extracting(ReplyView::text, ReplyView::author)
                .containsExactly("Sorry about that,  it ships today.", "joe");
    }

    @Test
    void withoutALoggedInUserTheAuthorIsKaraf() throws Exception {
        Console.Output output = Console.run(reply(2, "Hello"));

        assertThat(output.out().strip()).isEqualTo("Reply 100 queued for conversation 2");
        assertThat(inbox.queued()).singleElement().extracting(ReplyView::author).isEqualTo("karaf");
    }

    @Test
    void anUnknownConversationIsAnError() throws Exception {
        Console.Output output = as("jane", reply(99, "Hello"));

        assertThat(output.out()).isEmpty();
        assertThat(output.err().strip()).isEqualTo("No conversation 99");
        assertThat(inbox.queued()).isEmpty();
    }

    @Test
    void aTextTheChannelRefusesIsAnErrorWithTheReason() throws Exception {
        Console.Output blank = as("jane", reply(1, " "));
        Console.Output tooLong = as("jane", reply(1, "x".repeat(TestInbox.MAX_REPLY + 1)));

        assertThat(blank.err().strip()).isEqualTo("Reply refused: the reply is empty");
        assertThat(tooLong.err().strip()).isEqualTo("Reply refused: the reply has 281 characters, the channel takes 280");
        assertThat(blank.out() + tooLong.out()).isEmpty();
        assertThat(inbox.queued()).isEmpty();
    }

    @Test
    void aStoppedCoreIsReportedAsSuch() throws Exception {
        ReplyCommand command = reply(1, "Hello");
        command.inbox = null;

        assertThat(Console.run(command).err()).contains("Frontdoor core is not running");
        assertThat(inbox.queued()).isEmpty();
    }
}
