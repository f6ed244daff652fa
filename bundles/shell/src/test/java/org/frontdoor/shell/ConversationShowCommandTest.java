package org.frontdoor.shell;

import java.util.List;
import java.util.Set;

import org.frontdoor.api.Annotation;
import org.frontdoor.api.Attachment;
import org.frontdoor.api.Identity;
import org.frontdoor.api.inbox.ReplyRoute;
import org.frontdoor.api.Caller;
import org.frontdoor.api.Scope;
import org.frontdoor.api.Visibility;
import org.frontdoor.api.delivery.Delivery;
import org.frontdoor.api.delivery.DeliveryState;
import org.frontdoor.api.inbox.ConversationStatus;
import org.frontdoor.api.inbox.ConversationSummary;
import org.frontdoor.api.inbox.MessageView;
import org.frontdoor.api.inbox.ReplyStatus;
import org.frontdoor.api.inbox.ReplyView;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.frontdoor.shell.TestInbox.T;

class ConversationShowCommandTest {

    private final TestInbox inbox = TestInbox.sample();

    private ConversationShowCommand command(long id) {
        ConversationShowCommand command = new ConversationShowCommand();
        command.inbox = inbox;
        command.id = id;
        return command;
    }

    private Console.Output show(long id) throws Exception {
        return Console.run(command(id));
    }

    @Test
    void showsTheHeaderThenMessagesAndRepliesInTimeOrder() throws Exception {
        Console.Output output = show(1);

        assertThat(output.err()).isEmpty();
        assertThat(output.out().lines().toList()).containsExactly(
                "Conversation 1",
                "  Customer:      Ann Angry (customer 11)",
                "  Channel:       api/demo",
                "  Thread:        order-1001",
                "  Status:        QUEUED",
                "  Department:    support",
                "  Assignee:      (nobody)",
                "  Priority:      2",
                "  Created:       " + Text.time(T),
                "  Last activity: " + Text.time(T.plusSeconds(120)),
                "",
                Text.time(T) + "  << Ann Angry <cust-42> (message 1, PRIVATE, sentiment=negative 0.92, language=en 1.00)",
                "    Where is it?",
                Text.time(T.plusSeconds(60)) + "  >> jane (reply 2, PRIVATE, RETRYING, attempts 2, last error: callback"
                        + " answered 503, next attempt " + Text.time(T.plusSeconds(64)) + ")",
                "    It ships today",
                Text.time(T.plusSeconds(120)) + "  << Ann Angry <cust-42> (message 3, PRIVATE)",
                "    Hello??");
    }

    @Test
    void showsHowFarAgentsHaveReadOnceTheyHave() throws Exception {
        org.frontdoor.api.inbox.ConversationDetail d = inbox.conversations.get(1L);
        inbox.conversations.put(1L, new org.frontdoor.api.inbox.ConversationDetail(d.summary(), d.messages(),
                d.replies(), 1));

        assertThat(show(1).out().lines().toList()).containsSubsequence(
                "  Last activity: " + Text.time(T.plusSeconds(120)), "  Read up to:    message 1", "");
        assertThat(show(3).out()).doesNotContain("Read up to");
    }

    @Test
    void aSentReplyShowsWhenItWentOutAndNoNextAttempt() throws Exception {
        String out = show(3).out();

        assertThat(out).contains(Text.time(T.plusSeconds(20)) + "  >> joe (reply 6, PUBLIC, SENT, attempts 1, sent "
                + Text.time(T.plusSeconds(30)) + ")").doesNotContain("next attempt").doesNotContain("last error");
        assertThat(out.indexOf("Thanks!")).isLessThan(out.indexOf("You're welcome"));
    }

    @Test
    void aFailedReplyShowsItsReasonAndHowToSendItAgain() throws Exception {
        String out = show(4).out();

        assertThat(out).contains("  Assignee:      joe").contains("  Thread:        (none)");
        assertThat(out).contains(Text.time(T.plusSeconds(610)) + "  >> joe (reply 8, PRIVATE, FAILED, attempts 5,"
                + " failed: the customer blocked this account; frontdoor:reply-retry 8 sends it again)");
        assertThat(out).doesNotContain("next attempt").doesNotContain("last error");
    }

    @Test
    void inAThreadSeveralPeopleWriteInEachMessageSaysWhoseCustomerItIs() throws Exception {
        List<String> lines = show(3).out().lines().toList();

        assertThat(lines).contains(Text.time(T.plusSeconds(10)) + "  << Cid <cid> (customer 13, message 5, PUBLIC)",
                Text.time(T.plusSeconds(15)) + "  << Eli <eli> (customer 15, message 9, PUBLIC)");
        assertThat(show(1).out()).as("one person").doesNotContain("customer 11,");
    }

    @Test
    void aConversationNotRoutedYetSaysSoAndAnAuthorWithoutANameShowsTheHandle() throws Exception {
        String out = show(2).out();

        assertThat(out).contains("  Department:    (not routed yet)").contains("  << bob@example.org (message 4, PRIVATE)");
    }

    @Test
    void anErrorFailsTheCommandWithItsSentenceSoBinClientExitsNonZero() throws Exception {
        // Karaf prints a CommandException's nice help as it is and ends an SSH exec (bin/client) with exit status 1
        assertThatThrownBy(() -> Console.run(new Console.Raw(command(99))))
                .isInstanceOf(CommandException.class).hasMessage("No conversation 99")
                .extracting(e -> ((CommandException) e).getNiceHelp()).isEqualTo("No conversation 99");
        assertThat(Console.run(new Console.Raw(command(1))).err()).isEmpty();
    }

    @Test
    void anUnknownIdIsAnError() throws Exception {
        Console.Output output = show(99);

        assertThat(output.out()).isEmpty();
        assertThat(output.err().strip()).isEqualTo("No conversation 99");
    }

    @Test
    void showsAsTheSessionsUserAndAConversationOutsideACallersScopeIsNotThere() throws Exception {
        Caller billing = new Caller("bea", Set.of("agent"), Scope.departments(List.of("billing")));

        Console.runAs("jane", Set.of("admin"), command(1));
        Console.Output outside = Console.run(() -> {
            command(1).execute(inbox, billing);
            return null;
        });

        assertThat(inbox.callers()).containsExactly(new Caller("jane", Set.of("admin"), Scope.ALL), billing);
        assertThat(outside.out()).isEmpty();
        assertThat(outside.err().strip()).isEqualTo("No conversation 1");
    }

    /** The channel's clock says when a message was written; the conversation's order is when it was committed. */
    @Test
    void messagesAndRepliesShowInTheOrderTheyWereCommitted() throws Exception {
        inbox.add(new ConversationSummary(9, 19, "Eve", "api", "demo", null, null, ConversationStatus.NEW,
                        null, 0, "", 2, T, T),
                List.of(new MessageView(51, "m-51", Visibility.PRIVATE, 19, "eve", "Eve", "first", T.plusSeconds(30),
                                List.of(), List.of(), 1),
                        new MessageView(2, "m-2", Visibility.PRIVATE, 19, "eve", "Eve", "third, clock behind", T,
                                List.of(), List.of(), 3)),
                List.of(new ReplyView(7, 9, "second", Visibility.PRIVATE, "jane", ReplyStatus.SENT, 1, null,
                        T.plusSeconds(40), T.plusSeconds(40), null, null, 2)));

        assertThat(show(9).out().lines().filter(line -> line.startsWith("    ")).toList())
                .containsExactly("    first", "    second", "    third, clock behind");
    }

    /** What the door's vendor reported: delivered, read, or not delivered with its reason on one line, controls gone. */
    @Test
    void repliesShowWhatTheirVendorReported() throws Exception {
        inbox.add(new ConversationSummary(9, 19, "Eve", "meta", "shop", null, null, ConversationStatus.NEW,
                        null, 0, "", 1, T, T),
                List.of(new MessageView(1, "m-1", Visibility.PRIVATE, 19, "eve", "Eve", "hi", T, List.of(), List.of(),
                        1)),
                List.of(new ReplyView(7, 9, "read one", Visibility.PRIVATE, "jane", ReplyStatus.SENT, 1, null, T, T,
                                null, null, 2, new Delivery(DeliveryState.READ, T.plusSeconds(60), null)),
                        new ReplyView(8, 9, "lost one", Visibility.PRIVATE, "jane", ReplyStatus.SENT, 1, null, T, T,
                                null, null, 3, new Delivery(DeliveryState.FAILED, T.plusSeconds(90),
                                        "131047\n\u001b[2J re-engagement\nwindow")),
                        new ReplyView(9, 9, "quiet one", Visibility.PRIVATE, "jane", ReplyStatus.SENT, 1, null, T, T,
                                null, null, 4)));

        List<String> lines = show(9).out().lines().filter(line -> line.contains(">> jane")).toList();

        assertThat(lines).hasSize(3);
        assertThat(lines.get(0)).endsWith(", read " + Text.time(T.plusSeconds(60)) + ")");
        assertThat(lines.get(1)).endsWith(", not delivered " + Text.time(T.plusSeconds(90))
                + ": 131047 \uFFFD[2J re-engagement window)");
        assertThat(lines.get(2)).doesNotContain("delivered").doesNotContain("read ");
    }

    @Test
    void messageTextAnnotationsAndThreadsKeepTheirLinesIndentedAndLoseTerminalControls() throws Exception {
        inbox.add(new ConversationSummary(9, 19, "Eve", "api", "demo", "th\u001b[1mread", null, ConversationStatus.NEW,
                        null, 0, "", 1, T, T),
                List.of(new MessageView(8, "m-8", Visibility.PUBLIC, 19, "eve", "Eve", "Hi\r\nthere\u001b[2J", T,
                        List.of(new Annotation("intent\u001b[31m", "re\nfund", 0.5)))),
                List.of(new ReplyView(9, 9, "Ok\nbye", Visibility.PUBLIC, "jane", ReplyStatus.FAILED, 1,
                        "door said \u001b[2Jno", T, null, null)));

        List<String> lines = show(9).out().lines().toList();

        assertThat(lines).contains("  Thread:        th\uFFFD[1mread", "    Hi", "    there\uFFFD[2J", "    Ok", "    bye");
        assertThat(lines).anyMatch(line -> line.endsWith("intent\uFFFD[31m=re fund 0.50)"))
                .anyMatch(line -> line.contains("failed: door said \uFFFD[2Jno;"));
        assertThat(String.join("\n", lines)).doesNotContain("\u001b");
    }

    @Test
    void attachmentsAndRepliesThroughAnotherDoorAreListedAsData() throws Exception {
        inbox.add(new ConversationSummary(9, 19, "Eve", "webchat", "site", null, null, ConversationStatus.NEW,
                        null, 0, "", 1, T, T),
                List.of(new MessageView(8, "m-8", Visibility.PRIVATE, 19, "eve", "Eve", "see attached", T, List.of(),
                        List.of(new Attachment("bill\u001b[2J.pdf", "application/pdf", 4821, "sha256:" + "a".repeat(64)),
                                new Attachment(null, "video/mp4", 90_000_000, null)))),
                List.of(new ReplyView(9, 9, "By mail", Visibility.PRIVATE, "jane", ReplyStatus.SENT, 1, null, T, T,
                        null, new ReplyRoute("email", "support", Identity.of("email", "eve@example.org")))));

        List<String> lines = show(9).out().lines().toList();

        assertThat(lines).contains("    [attachment 0] bill\uFFFD[2J.pdf, application/pdf, 4821 bytes",
                "    [attachment 1] (no name), video/mp4, 90000000 bytes, not kept: over its door's limits");
        assertThat(lines).anyMatch(line -> line.contains("(reply 9, PRIVATE, via email/support to eve@example.org, SENT"));
    }

    @Test
    void aStoppedCoreIsReportedAsSuch() throws Exception {
        ConversationShowCommand command = new ConversationShowCommand();
        command.id = 1;

        assertThat(Console.run(command).err()).contains("Frontdoor core is not running");
    }
}
