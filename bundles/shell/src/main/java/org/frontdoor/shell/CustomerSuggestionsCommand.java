package org.frontdoor.shell;

import java.util.List;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.frontdoor.api.Caller;
import org.frontdoor.api.inbox.Inbox;
import org.frontdoor.api.inbox.MergeSuggestion;

@Command(scope = "frontdoor", name = "customer-suggestions",
        description = "Lists customers that may be one person (a visitor proved an address another customer has), for an "
                + "agent to merge with customer-merge")
@Service
public class CustomerSuggestionsCommand extends InboxAction {

    @Override
    void execute(Inbox inbox, Caller caller) {
        table(inbox.mergeSuggestions(caller)).print(System.out);
    }

    static ShellTable table(List<MergeSuggestion> suggestions) {
        ShellTable table = new ShellTable();
        for (String column : new String[] {"ID", "Merge customer", "Into customer", "Why", "Suggested by", "At"}) {
            table.column(column);
        }
        table.emptyTableText("No suggestion");
        for (MergeSuggestion s : suggestions) {
            table.addRow().addContent(s.id(), s.fromCustomer() + " " + Text.oneLine(s.fromName(), 24),
                    s.intoCustomer() + " " + Text.oneLine(s.intoName(), 24), Text.oneLine(s.reason(), 80),
                    Text.oneLine(s.suggestedBy(), 32), Text.time(s.suggestedAt()));
        }
        return table;
    }
}
