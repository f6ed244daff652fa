package org.frontdoor.shell;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;

import org.frontdoor.api.inbox.MergeSuggestion;
import org.frontdoor.api.inbox.StoreCheck;
import org.junit.jupiter.api.Test;

/** customer-suggestions, customer-merge, customer-unmerge and store-check as a console user sees them. */
class CustomerMergeCommandsTest {

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

    private CustomerMergeCommand merge(long from, long into) {
        CustomerMergeCommand command = new CustomerMergeCommand();
        command.inbox = inbox;
        command.from = from;
        command.into = into;
        return command;
    }

    private CustomerUnmergeCommand unmerge(long id) {
        CustomerUnmergeCommand command = new CustomerUnmergeCommand();
        command.inbox = inbox;
        command.merge = id;
        return command;
    }

    @Test
    void listsTheSuggestionsWithTheirReasonOnOneLine() throws Exception {
        inbox.suggestion(new MergeSuggestion(4, 12, "Bob", 11, "Ann Angry",
                "webchat identity shop:v-1 proved email ann@example.org\u001b[2J by code", "channel-webchat-shop",
                TestInbox.T));
        CustomerSuggestionsCommand command = new CustomerSuggestionsCommand();
        command.inbox = inbox;

        Console.Output output = Console.runAs("jane", Set.of("agent"), command);

        assertThat(output.err()).isEmpty();
        assertThat(output.out()).contains("12 Bob").contains("11 Ann Angry")
                .contains("proved email ann@example.org").doesNotContain("\u001b");
    }

    @Test
    void mergesAndUndoesAsTheSessionsUserAndSaysWhyNot() throws Exception {
        Console.Output merged = Console.runAs("jane", Set.of("agent"), merge(12, 11));

        assertThat(merged.err()).isEmpty();
        assertThat(merged.out().strip()).isEqualTo("Merge 1: customer 12 merged into customer 11 (1 identities, "
                + "2 conversations, 5 messages moved); undo with frontdoor:customer-unmerge 1");
        assertThat(Console.runAs("jane", Set.of("agent"), merge(12, 11)).err().strip())
                .isEqualTo("Merge refused: customer 12 was merged away already (merge 1)");
        assertThat(Console.runAs("jane", Set.of("agent"), merge(12, 99)).err().strip())
                .isEqualTo("No customer 12 or 99");

        Console.Output undone = Console.runAs("joe", Set.of("agent"), unmerge(1));

        assertThat(undone.out().strip()).isEqualTo("Merge 1 undone: customer 12 is apart from customer 11 again");
        assertThat(Console.runAs("joe", Set.of("agent"), unmerge(1)).err().strip())
                .isEqualTo("Unmerge refused: merge 1 was undone already");
        assertThat(Console.runAs("joe", Set.of("agent"), unmerge(7)).err().strip()).isEqualTo("No merge 7");
    }

    @Test
    void storeCheckSaysWhetherEveryMessageIsWithItsAuthorsCustomer() throws Exception {
        StoreCheckCommand command = new StoreCheckCommand();
        command.inbox = inbox;
        assertThat(Console.runAs("root", Set.of("admin"), command).out().strip())
                .isEqualTo("Consistent: every message is under its author's customer");

        inbox.check(new StoreCheck(143, 1, List.of(7L, 9L)));
        assertThat(Console.runAs("root", Set.of("admin"), command).out().strip()).isEqualTo("Not consistent: 143 "
                + "messages under another customer than their author's, 1 messages whose author is missing; for "
                + "instance messages 7, 9");
        assertThat(Console.runAs("jane", Set.of("agent"), command).err().strip())
                .isEqualTo("checking the store is for admins");
    }
}
