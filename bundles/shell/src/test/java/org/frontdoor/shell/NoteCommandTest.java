package org.frontdoor.shell;

import java.util.List;
import java.util.Set;

import org.frontdoor.api.Caller;
import org.frontdoor.api.Scope;
import org.frontdoor.api.inbox.NoteView;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class NoteCommandTest {

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

    private NoteCommand note(long id, String... words) {
        NoteCommand command = new NoteCommand();
        command.inbox = inbox;
        command.id = id;
        command.text = List.of(words);
        return command;
    }

    @Test
    void writesAnInternalNoteInTheNameOfTheSessionsUserAndNeverQueuesAReply() throws Exception {
        Console.Output output = Console.runAs("jane", Set.of("agent"), note(1, "@billing.team can you check?", "@sam"));

        assertThat(output.err()).isEmpty();
        assertThat(output.out().strip())
                .isEqualTo("Internal note 500 added to conversation 1 (mentions billing.team, sam)");
        List<NoteView> notes = inbox.conversations.get(1L).notes();
        assertThat(notes).singleElement().extracting(NoteView::author, NoteView::text)
                .containsExactly("jane", "@billing.team can you check? @sam");
        assertThat(inbox.queued()).as("a note is not a reply").isEmpty();
    }

    @Test
    void theConversationShowsTheNoteMarkedAsInternal() throws Exception {
        Console.runAs("jane", Set.of("agent"), note(1, "\u001b[31mask @sam"));

        ConversationShowCommand show = new ConversationShowCommand();
        show.inbox = inbox;
        show.id = 1;
        List<String> lines = Console.run(show).out().lines().toList();

        assertThat(lines).containsSubsequence(
                Text.time(TestInbox.T.plusSeconds(2000)) + "  ## jane (internal note 500, mentions sam, not sent to the "
                        + "customer)");
        assertThat(String.join("\n", lines)).doesNotContain("\u001b");
    }

    @Test
    void aConversationOutsideTheCallersScopeIsNotThere() throws Exception {
        Caller billing = new Caller("bea", Set.of("agent"), Scope.departments(List.of("billing")));

        Console.Output output = Console.run(() -> {
            note(1, "Hello").execute(inbox, billing);
            return null;
        });

        assertThat(output.err().strip()).isEqualTo("No conversation 1");
        assertThat(inbox.conversations.get(1L).notes()).isEmpty();
    }

    @Test
    void anEmptyNoteIsRefusedWithTheReason() throws Exception {
        Console.Output blank = Console.runAs("jane", Set.of("agent"), note(1, " "));

        assertThat(blank.err().strip()).isEqualTo("Note refused: note text is empty");
        assertThat(blank.out()).isEmpty();
    }
}
