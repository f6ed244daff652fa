package org.frontdoor.shell;

import java.util.List;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.frontdoor.api.Caller;
import org.frontdoor.api.inbox.Inbox;
import org.frontdoor.api.inbox.NoteView;
import org.frontdoor.shell.completers.ConversationIdCompleter;

@Command(scope = "frontdoor", name = "note", description = "Writes an internal note on a conversation (@name mentions a colleague); never sent to the customer")
@Service
public class NoteCommand extends InboxAction {

    @Argument(index = 0, name = "id", required = true, description = "The conversation id")
    @Completion(ConversationIdCompleter.class)
    long id;

    @Argument(index = 1, name = "text", required = true, multiValued = true,
            description = "The note: one quoted argument, or several words joined with spaces")
    List<String> text;

    @Override
    void execute(Inbox inbox, Caller caller) {
        Commands.change("No conversation " + id, "Note refused: ", () -> {
            NoteView note = inbox.addNote(caller, id, String.join(" ", text));
            return "Internal note " + note.id() + " added to conversation " + id
                    + (note.mentions().isEmpty() ? ""
                    : " (mentions " + Text.oneLine(String.join(", ", note.mentions()), 400) + ")");
        });
    }
}
