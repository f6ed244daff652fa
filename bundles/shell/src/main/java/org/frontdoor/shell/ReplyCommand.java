package org.frontdoor.shell;

import java.util.List;
import java.util.NoSuchElementException;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.frontdoor.api.inbox.Inbox;
import org.frontdoor.api.inbox.ReplyView;
import org.frontdoor.shell.completers.ConversationIdCompleter;

@Command(scope = "frontdoor", name = "reply", description = "Queues a reply to a conversation; it goes out through the customer's channel")
@Service
public class ReplyCommand extends InboxAction {

    @Argument(index = 0, name = "id", required = true, description = "The conversation id")
    @Completion(ConversationIdCompleter.class)
    long id;

    @Argument(index = 1, name = "text", required = true, multiValued = true,
            description = "The reply: one quoted argument, or several words joined with spaces")
    List<String> text;

    @Override
    void execute(Inbox inbox) {
        try {
            ReplyView reply = inbox.reply(id, String.join(" ", text), Commands.currentUser());
            System.out.println("Reply " + reply.id() + " queued for conversation " + id);
        } catch (NoSuchElementException e) {
            System.err.println("No conversation " + id);
        } catch (IllegalArgumentException e) {
            System.err.println("Reply refused: " + e.getMessage());
        }
    }
}
