package org.frontdoor.shell;

import java.util.List;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.frontdoor.api.Caller;
import org.frontdoor.api.inbox.Inbox;
import org.frontdoor.shell.completers.ConversationIdCompleter;

@Command(scope = "frontdoor", name = "message-hide",
        description = "Hides a customer's public message on its network (role admin, with a reason); it stays in Frontdoor, marked hidden")
@Service
public class MessageHideCommand extends InboxAction {

    @Argument(index = 0, name = "id", required = true, description = "The conversation id")
    @Completion(ConversationIdCompleter.class)
    long id;

    @Argument(index = 1, name = "message", required = true,
            description = "The message id (frontdoor:conversation-show lists them)")
    long message;

    @Argument(index = 2, name = "reason", required = true, multiValued = true,
            description = "Why: one quoted argument, or several words joined with spaces; recorded and shown to agents")
    List<String> reason;

    @Override
    void execute(Inbox inbox, Caller caller) {
        MessageModeration.run(inbox, caller, id, message, String.join(" ", reason), true);
    }
}
