package org.frontdoor.shell;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.frontdoor.api.Caller;
import org.frontdoor.api.inbox.ConversationSummary;
import org.frontdoor.api.inbox.Inbox;
import org.frontdoor.shell.completers.ConversationIdCompleter;

@Command(scope = "frontdoor", name = "conversation-assign", description = "Gives a routed conversation to an agent: you, or the agent named")
@Service
public class ConversationAssignCommand extends InboxAction {

    @Argument(index = 0, name = "id", required = true, description = "The conversation id")
    @Completion(ConversationIdCompleter.class)
    long id;

    @Argument(index = 1, name = "agent", description = "The agent's user name; you when left out")
    String agent;

    @Override
    void execute(Inbox inbox, Caller caller) {
        String to = Commands.filter(agent) == null ? caller.name() : agent.strip();
        Commands.change("No conversation " + id, "Cannot assign conversation " + id + ": ", () -> {
            ConversationSummary c = inbox.assign(caller, id, to);
            return "Conversation " + id + " assigned to " + Text.oneLine(c.assignee() == null ? to : c.assignee(), 80);
        });
    }
}
