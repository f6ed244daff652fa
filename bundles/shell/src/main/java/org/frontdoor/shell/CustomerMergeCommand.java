package org.frontdoor.shell;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.frontdoor.api.Caller;
import org.frontdoor.api.inbox.CustomerMerge;
import org.frontdoor.api.inbox.Inbox;

@Command(scope = "frontdoor", name = "customer-merge",
        description = "Merges one customer into another: identities, conversations and messages move; customer-unmerge "
                + "undoes it")
@Service
public class CustomerMergeCommand extends InboxAction {

    @Argument(index = 0, name = "from", required = true, description = "The customer to merge away")
    long from;

    @Argument(index = 1, name = "into", required = true, description = "The customer that takes everything")
    long into;

    @Override
    void execute(Inbox inbox, Caller caller) {
        Commands.change("No customer " + from + " or " + into, "Merge refused: ", () -> {
            CustomerMerge merge = inbox.merge(caller, from, into);
            return "Merge " + merge.id() + ": customer " + from + " merged into customer " + into + " ("
                    + merge.identities() + " identities, " + merge.conversations() + " conversations, "
                    + merge.messages() + " messages moved); undo with frontdoor:customer-unmerge " + merge.id();
        });
    }
}
