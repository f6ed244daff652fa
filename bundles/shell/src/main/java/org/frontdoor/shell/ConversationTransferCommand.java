package org.frontdoor.shell;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.frontdoor.api.Caller;
import org.frontdoor.api.inbox.ConversationSummary;
import org.frontdoor.api.inbox.Inbox;
import org.frontdoor.shell.completers.ConversationIdCompleter;
import org.frontdoor.shell.completers.DepartmentCompleter;

@Command(scope = "frontdoor", name = "conversation-transfer", description = "Moves a routed conversation to another department's queue, unassigned")
@Service
public class ConversationTransferCommand extends InboxAction {

    @Argument(index = 0, name = "id", required = true, description = "The conversation id")
    @Completion(ConversationIdCompleter.class)
    long id;

    @Argument(index = 1, name = "department", required = true, description = "The department to move it to")
    @Completion(DepartmentCompleter.class)
    String department;

    @Override
    void execute(Inbox inbox, Caller caller) {
        String to = Commands.filter(department);
        if (to == null) {
            Commands.error("Name the department to move conversation " + id + " to");
            return;
        }
        Commands.change("No conversation " + id, "Cannot transfer conversation " + id + ": ", () -> {
            ConversationSummary c = inbox.transfer(caller, id, to);
            return "Conversation " + id + " is now in the queue of " + Text.oneLine(c.department(), 80);
        });
    }
}
