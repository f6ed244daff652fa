package org.frontdoor.shell;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.frontdoor.api.Caller;
import org.frontdoor.api.inbox.CustomerMerge;
import org.frontdoor.api.inbox.Inbox;

@Command(scope = "frontdoor", name = "customer-unmerge",
        description = "Undoes a merge: what it moved, and what the moved identities wrote since, goes back")
@Service
public class CustomerUnmergeCommand extends InboxAction {

    @Argument(index = 0, name = "merge", required = true, description = "The merge id customer-merge printed")
    long merge;

    @Override
    void execute(Inbox inbox, Caller caller) {
        Commands.change("No merge " + merge, "Unmerge refused: ", () -> {
            CustomerMerge undone = inbox.unmerge(caller, merge);
            return "Merge " + merge + " undone: customer " + undone.fromCustomer() + " is apart from customer "
                    + undone.intoCustomer() + " again";
        });
    }
}
