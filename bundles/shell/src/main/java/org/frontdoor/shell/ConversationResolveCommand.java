package org.frontdoor.shell;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.frontdoor.api.Caller;
import org.frontdoor.api.inbox.Inbox;
import org.frontdoor.shell.completers.ConversationIdCompleter;

@Command(scope = "frontdoor", name = "conversation-resolve", description = "Marks a conversation done; the customer writing again reopens it")
@Service
public class ConversationResolveCommand extends InboxAction {

    @Argument(index = 0, name = "id", required = true, description = "The conversation id")
    @Completion(ConversationIdCompleter.class)
    long id;

    @Override
    void execute(Inbox inbox, Caller caller) {
        Commands.change("No conversation " + id, "Cannot resolve conversation " + id + ": ", () -> {
            inbox.resolve(caller, id);
            return "Conversation " + id + " resolved";
        });
    }
}
