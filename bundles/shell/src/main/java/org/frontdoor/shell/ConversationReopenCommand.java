package org.frontdoor.shell;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.frontdoor.api.Caller;
import org.frontdoor.api.inbox.ConversationSummary;
import org.frontdoor.api.inbox.Inbox;
import org.frontdoor.shell.completers.ConversationIdCompleter;

/** {@code frontdoor:conversation-reopen ID}: {@link Inbox#reopen}, as the session's user. */
@Command(scope = "frontdoor", name = "conversation-reopen", description = "Takes a resolved or snoozed conversation up again: back in its department's queue, or with the agent it had")
@Service
public class ConversationReopenCommand extends InboxAction {

    @Argument(index = 0, name = "id", required = true, description = "The conversation id")
    @Completion(ConversationIdCompleter.class)
    long id;

    @Override
    void execute(Inbox inbox, Caller caller) {
        Commands.change("No conversation " + id, "Cannot reopen conversation " + id + ": ", () -> {
            ConversationSummary s = inbox.reopen(caller, id);
            return "Conversation " + id + " reopened: " + s.status().name().toLowerCase(java.util.Locale.ROOT)
                    + (s.assignee() == null ? "" : ", assigned to " + s.assignee());
        });
    }
}
