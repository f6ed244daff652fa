package org.frontdoor.shell;

import java.util.List;

import org.frontdoor.api.Visibility;
import org.frontdoor.api.inbox.ConversationStatus;
import org.frontdoor.api.inbox.ConversationSummary;
import org.frontdoor.api.inbox.MessageView;
import org.frontdoor.api.inbox.ReplyStatus;
import org.frontdoor.api.inbox.ReplyView;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.frontdoor.shell.TestInbox.T;

class ConversationShowCommandTest {

    private final TestInbox inbox = TestInbox.sample();

    private Console.Output show(long id) throws Exception {
        ConversationShowCommand command = new ConversationShowCommand();
        command.inbox = inbox;
        command.id = id;
        return Console.run(command);
    }

    @Test
    void showsTheHeaderThenMessagesAndRepliesInTimeOrder() throws Exception {
        Console.Output output = show(1);

        assertThat(output.err()).isEmpty();
        assertThat(output.out().lines().toList()).containsExactly(
                "Conversation 1",
                "  Customer:      Ann Angry (customer 11)",
                "  Channel:       api/demo",
                "  Status:        QUEUED",
                "  Department:    support",
                "  Priority:      2",
                "  Created:       " + Text.time(T),
                "  Last activity: " + Text.time(T.plusSeconds(120)),
                "",
                Text.time(T) + "  << Ann Angry <cust-42> (message 1, PRIVATE)",
                "    Where is it?",
                Text.time(T.plusSeconds(60)) + "  >> jane (reply 2, RETRYING, attempts 2, last error: callback answered"
                        + " 503, next attempt " + Text.time(T.plusSeconds(64)) + ")",
                "    It ships today",
                Text.time(T.plusSeconds(120)) + "  << Ann Angry <cust-42> (message 3, PRIVATE)",
                "    Hello??");
    }

    @Test
    void aSentReplyShowsWhenItWentOutAndNoNextAttempt() throws Exception {
        String out = show(3).out();

        assertThat(out).contains(Text.time(T.plusSeconds(20)) + "  >> joe (reply 6, SENT, attempts 1, sent "
                + Text.time(T.plusSeconds(30)) + ")").doesNotContain("next attempt").doesNotContain("last error");
        assertThat(out.indexOf("Thanks!")).isLessThan(out.indexOf("You're welcome"));
    }

    @Test
    void aConversationNotRoutedYetSaysSoAndAnAuthorWithoutANameShowsTheHandle() throws Exception {
        String out = show(2).out();

        assertThat(out).contains("  Department:    (not routed yet)").contains("  << bob@example.org (message 4, PRIVATE)");
    }

    @Test
    void anUnknownIdIsAnError() throws Exception {
        Console.Output output = show(99);

        assertThat(output.out()).isEmpty();
        assertThat(output.err().strip()).isEqualTo("No conversation 99");
    }

    @Test
    void messageTextKeepsItsLinesIndentedAndLosesTerminalControls() throws Exception {
        inbox.add(new ConversationSummary(9, 19, "Eve", "api", "demo", null, ConversationStatus.NEW, 0, "", 1, T, T),
                List.of(new MessageView(8, "m-8", Visibility.PUBLIC, "eve", "Eve", "Hi\r\nthere\u001b[2J", T)),
                List.of(new ReplyView(9, 9, "Ok\nbye", "jane", ReplyStatus.QUEUED, 0, null, T, null, T)));

        List<String> lines = show(9).out().lines().toList();

        assertThat(lines).contains("    Hi", "    there\uFFFD[2J", "    Ok", "    bye");
        assertThat(String.join("\n", lines)).doesNotContain("\u001b");
    }

    @Test
    void aStoppedCoreIsReportedAsSuch() throws Exception {
        ConversationShowCommand command = new ConversationShowCommand();
        command.id = 1;

        assertThat(Console.run(command).err()).contains("Frontdoor core is not running");
    }
}
