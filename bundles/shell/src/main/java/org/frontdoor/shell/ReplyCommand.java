package org.frontdoor.shell;

import java.util.List;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.frontdoor.api.Caller;
import org.frontdoor.api.Visibility;
import org.frontdoor.api.inbox.Inbox;
import org.frontdoor.api.inbox.ReplyView;
import org.frontdoor.shell.completers.ConversationIdCompleter;
import org.frontdoor.shell.completers.VisibilityCompleter;

@Command(scope = "frontdoor", name = "reply", description = "Queues a reply to a conversation; it goes out through the customer's channel")
@Service
public class ReplyCommand extends InboxAction {

    @Option(name = "--visibility", aliases = "-v",
            description = "PUBLIC (an answer under a post) or PRIVATE; as the customer's latest message when left out")
    @Completion(VisibilityCompleter.class)
    String visibility;

    @Argument(index = 0, name = "id", required = true, description = "The conversation id")
    @Completion(ConversationIdCompleter.class)
    long id;

    @Argument(index = 1, name = "text", required = true, multiValued = true,
            description = "The reply: one quoted argument, or several words joined with spaces")
    List<String> text;

    @Override
    void execute(Inbox inbox, Caller caller) {
        Visibility wanted;
        try {
            wanted = Commands.parse(Visibility.class, visibility, "visibility");
        } catch (IllegalArgumentException e) {
            Commands.error(e.getMessage());
            return;
        }
        Commands.change("No conversation " + id, "Reply refused: ", () -> {
            ReplyView reply = inbox.reply(caller, id, String.join(" ", text), wanted);
            return "Reply " + reply.id() + " queued for conversation " + id
                    + (reply.visibility() == null ? "" : " (" + reply.visibility() + ")");
        });
    }
}
