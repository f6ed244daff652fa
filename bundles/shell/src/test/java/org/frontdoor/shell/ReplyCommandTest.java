package org.frontdoor.shell;

import java.util.List;
import java.util.Set;

import org.frontdoor.api.Caller;
import org.frontdoor.api.Scope;
import org.frontdoor.api.Visibility;
import org.frontdoor.api.inbox.ReplyStatus;
import org.frontdoor.api.inbox.ReplyView;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

class ReplyCommandTest {

    // the scope is core's to decide (Agents.scopeOf): everything here, so these tests are about the command alone
    @org.junit.jupiter.api.BeforeEach
    void everything() {
        Commands.scopes = (user, roles) -> org.frontdoor.api.Scope.ALL;
    }

    @org.junit.jupiter.api.AfterEach
    void fromCore() {
        Commands.scopes = Commands::scopeFromCore;
    }

    private final TestInbox inbox = TestInbox.sample();

    private ReplyCommand reply(long id, String... words) {
        ReplyCommand command = new ReplyCommand();
        command.inbox = inbox;
        command.id = id;
        command.text = List.of(words);
        return command;
    }

    private static Console.Output as(String user, ReplyCommand command) throws Exception {
        return Console.runAs(user, Set.of("agent"), command);
    }

    @Test
    void queuesTheWordsJoinedWithSpacesInTheNameOfTheSessionsUser() throws Exception {
        Console.Output output = as("jane", reply(1, "We", "are", "on", "it"));

        assertThat(output.err()).isEmpty();
        assertThat(output.out().strip()).isEqualTo("Reply 100 queued for conversation 1 (PRIVATE)");
        assertThat(inbox.queued()).extracting(ReplyView::conversationId, ReplyView::text, ReplyView::author,
                ReplyView::status).containsExactly(tuple(1L, "We are on it", "jane",
                ReplyStatus.QUEUED));
    }

    @Test
    void theSessionsUserReachesTheInboxWithItsRolesAndTheScopeOfEverything() throws Exception {
        Console.runAs("jane", Set.of("admin", "manager"), reply(1, "Hello"));

        assertThat(inbox.callers()).containsExactly(new Caller("jane", Set.of("admin", "manager"), Scope.ALL));
    }

    @Test
    void aQuotedTextArrivesAsOneArgumentAndIsKeptAsTyped() throws Exception {
        as("joe", reply(3, "Sorry about that,  it ships today."));

        assertThat(inbox.queued()).singleElement().extracting(ReplyView::text, ReplyView::author)
                .containsExactly("Sorry about that,  it ships today.", "joe");
    }

    @Test
    void withoutALoggedInUserTheCallerIsKarafWithoutRoles() throws Exception {
        Console.Output output = Console.run(reply(2, "Hello"));

        assertThat(output.out().strip()).isEqualTo("Reply 100 queued for conversation 2 (PRIVATE)");
        assertThat(inbox.queued()).singleElement().extracting(ReplyView::author).isEqualTo("karaf");
        assertThat(inbox.callers()).containsExactly(new Caller("karaf", Set.of(), Scope.ALL));
    }

    @Test
    void aVisibilityInAnyCaseChoosesHowTheReplyGoesOut() throws Exception {
        ReplyCommand inPublic = reply(1, "Answered under your post");
        inPublic.visibility = "public";

        Console.Output output = as("jane", inPublic);
        as("jane", reply(3, "As the customer wrote"));

        assertThat(output.out().strip()).isEqualTo("Reply 100 queued for conversation 1 (PUBLIC)");
        assertThat(inbox.queued()).extracting(ReplyView::visibility).containsExactly(Visibility.PUBLIC,
                Visibility.PUBLIC);
    }

    @Test
    void anUnknownVisibilityIsAnErrorNamingTheChoices() throws Exception {
        ReplyCommand command = reply(1, "Hello");
        command.visibility = "secret";

        Console.Output output = as("jane", command);

        assertThat(output.out()).isEmpty();
        assertThat(output.err().strip()).isEqualTo("Unknown visibility secret; use one of PUBLIC, PRIVATE");
        assertThat(inbox.queued()).isEmpty();
    }

    @Test
    void anUnknownConversationIsAnError() throws Exception {
        Console.Output output = as("jane", reply(99, "Hello"));

        assertThat(output.out()).isEmpty();
        assertThat(output.err().strip()).isEqualTo("No conversation 99");
        assertThat(inbox.queued()).isEmpty();
    }

    @Test
    void aConversationOutsideTheCallersScopeIsNotThere() throws Exception {
        Caller billing = new Caller("bea", Set.of("agent"), Scope.departments(List.of("billing")));

        Console.Output output = Console.run(() -> {
            reply(1, "Hello").execute(inbox, billing);
            return null;
        });

        assertThat(output.err().strip()).isEqualTo("No conversation 1");
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
