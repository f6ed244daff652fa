package org.frontdoor.shell;

import java.util.List;
import java.util.Set;

import org.frontdoor.api.Caller;
import org.frontdoor.api.Scope;
import org.frontdoor.api.inbox.ConversationQuery;
import org.frontdoor.api.inbox.ConversationStatus;
import org.frontdoor.api.inbox.ConversationSummary;
import org.frontdoor.api.inbox.Page;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.frontdoor.shell.TestInbox.T;

class ConversationListCommandTest {

    private final TestInbox inbox = TestInbox.sample();

    private ConversationListCommand command() {
        ConversationListCommand command = new ConversationListCommand();
        command.inbox = inbox;
        return command;
    }

    private static List<String> ids(Console.Output output) {
        return output.table().stream().skip(1).map(row -> row.get(0)).toList();
    }

    @Test
    void listsTheNewestActivityFirstUnderStableHeadersWithAFooter() throws Exception {
        Console.Output output = Console.run(command());

        assertThat(output.err()).isEmpty();
        assertThat(output.table().get(0)).containsExactly("ID", "Customer", "Channel", "Department", "Status",
                "Assignee", "Priority", "Messages", "Last activity", "Preview");
        assertThat(ids(output)).containsExactly("4", "2", "1", "3");
        assertThat(output.table().get(3)).containsExactly("1", "Ann Angry", "api/demo", "support", "QUEUED", "", "2",
                "2", Text.time(T.plusSeconds(120)), "My order never arrived, and this previe…");
        assertThat(output.table().get(2)).as("not routed yet").containsExactly("2", "Bob", "email/support", "", "NEW",
                "", "0", "1", Text.time(T.plusSeconds(300)), "Is anyone there?");
        assertThat(output.table().get(1)).as("assigned").containsExactly("4", "Dee", "api/demo", "billing",
                "ASSIGNED", "joe", "3", "1", Text.time(T.plusSeconds(600)), "Refund please");
        assertThat(output.out().strip()).endsWith("Showing 1-4 of 4");
        assertThat(inbox.queries()).containsExactly(ConversationQuery.firstPage(20));
    }

    @Test
    void filtersByStatusInAnyCaseByDepartmentAndByChannel() throws Exception {
        ConversationListCommand queued = command();
        queued.status = "queued";
        ConversationListCommand support = command();
        support.department = "support";
        ConversationListCommand email = command();
        email.channel = "email";
        ConversationListCommand demoSupport = command();
        demoSupport.channel = "api";
        demoSupport.department = "support";
        demoSupport.status = "RESOLVED";

        assertThat(ids(Console.run(queued))).containsExactly("1");
        assertThat(ids(Console.run(support))).containsExactly("1", "3");
        assertThat(ids(Console.run(email))).containsExactly("2");
        assertThat(ids(Console.run(demoSupport))).containsExactly("3");
        assertThat(inbox.queries()).extracting(ConversationQuery::status, ConversationQuery::department,
                ConversationQuery::channel).containsExactly(
                tuple(ConversationStatus.QUEUED, null, null),
                tuple(null, "support", null),
                tuple(null, null, "email"),
                tuple(ConversationStatus.RESOLVED, "support", "api"));
    }

    @Test
    void pagesWithLimitAndOffset() throws Exception {
        ConversationListCommand middle = command();
        middle.limit = 2;
        middle.offset = 1;
        ConversationListCommand pastTheEnd = command();
        pastTheEnd.offset = 10;

        Console.Output page = Console.run(middle);
        Console.Output empty = Console.run(pastTheEnd);

        assertThat(ids(page)).containsExactly("2", "1");
        assertThat(page.out().strip()).endsWith("Showing 2-3 of 4");
        assertThat(empty.out()).contains("No conversation").endsWith("Showing 0 of 4" + System.lineSeparator());
    }

    @Test
    void anUnknownStatusIsAnErrorNamingTheStatesNotAStackTrace() throws Exception {
        ConversationListCommand command = command();
        command.status = "OPEN";

        Console.Output output = Console.run(command);

        assertThat(output.out()).isEmpty();
        assertThat(output.err().strip()).isEqualTo("Unknown status OPEN; use one of NEW, QUEUED, ASSIGNED, SNOOZED, RESOLVED");
        assertThat(inbox.queries()).isEmpty();
    }

    @Test
    void aLimitOrOffsetOutOfRangeIsAnErrorNamingTheOption() throws Exception {
        ConversationListCommand none = command();
        none.limit = 0;
        ConversationListCommand tooMany = command();
        tooMany.limit = ConversationQuery.MAX_LIMIT + 1;
        ConversationListCommand negative = command();
        negative.offset = -1;

        assertThat(Console.run(none).err()).contains("--limit must be between 1 and 500");
        assertThat(Console.run(tooMany).err()).contains("--limit must be between 1 and 500");
        assertThat(Console.run(negative).err()).contains("--offset must not be negative");
        assertThat(inbox.queries()).isEmpty();
    }

    @Test
    void blankFiltersMatchEverything() throws Exception {
        ConversationListCommand command = command();
        command.department = " ";
        command.channel = "";

        assertThat(ids(Console.run(command))).containsExactly("4", "2", "1", "3");
    }

    @Test
    void customerTextIsOneLineWithoutTerminalControls() {
        ConversationSummary hostile = new ConversationSummary(9, 19, "Eve\u001b[31m\nRed", "api", "demo", "t", null,
                ConversationStatus.NEW, "mal\u001b]0;x\u0007lory", 0, "line one\nline two\u001b[2J", 1, T, T);

        Object[] cells = ConversationListCommand.cells(hostile);

        assertThat(cells[1]).isEqualTo("Eve\uFFFD[31m Red");
        assertThat(cells[5]).isEqualTo("mal\uFFFD]0;x\uFFFDlory");
        assertThat(cells[9]).isEqualTo("line one line two\uFFFD[2J");
    }

    @Test
    void listsAsTheSessionsUserWithTheScopeOfEverything() throws Exception {
        Console.runAs("jane", Set.of("admin"), command());

        assertThat(inbox.callers()).containsExactly(new Caller("jane", Set.of("admin"), Scope.ALL));
    }

    @Test
    void aCallerLimitedToADepartmentSeesOnlyItsConversations() throws Exception {
        Caller support = new Caller("sue", Set.of("agent"), Scope.departments(List.of("support")));

        Console.Output output = Console.run(() -> {
            command().execute(inbox, support);
            return null;
        });

        assertThat(ids(output)).containsExactly("1", "3");
        assertThat(output.out().strip()).endsWith("Showing 1-2 of 2");
    }

    @Test
    void aStoppedCoreIsReportedAsSuch() throws Exception {
        Console.Output output = Console.run(new ConversationListCommand());

        assertThat(output.out()).isEmpty();
        assertThat(output.err()).contains("Frontdoor core is not running");
    }

    @Test
    void aDatabaseThatCannotAnswerIsASentenceNotAStackTrace() throws Exception {
        ConversationListCommand command = new ConversationListCommand();
        command.inbox = (org.frontdoor.api.inbox.Inbox) java.lang.reflect.Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] {org.frontdoor.api.inbox.Inbox.class}, (p, m, a) -> {
                    throw new org.frontdoor.api.inbox.InboxUnavailableException("the inbox cannot answer now: "
                            + "connection refused", null);
                });

        Console.Output output = Console.run(command);

        assertThat(output.out()).isEmpty();
        assertThat(output.err().strip()).isEqualTo("Frontdoor cannot answer now (the inbox cannot answer now: "
                + "connection refused); try again shortly");
    }

    @Test
    void footerCountsFromOne() {
        List<ConversationSummary> one = List.of(inbox.detail(1).summary());

        assertThat(ConversationListCommand.footer(new Page<>(one, 41, 20, 20)))
                .isEqualTo("Showing 21-21 of 41");
        assertThat(ConversationListCommand.footer(new Page<>(List.of(), 0, 0, 20)))
                .isEqualTo("Showing 0 of 0");
    }
}
