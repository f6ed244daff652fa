package org.frontdoor.shell;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.frontdoor.api.Caller;
import org.frontdoor.api.inbox.Inbox;
import org.frontdoor.shell.completers.ConversationIdCompleter;

@Command(scope = "frontdoor", name = "conversation-snooze", description = "Puts a routed conversation aside until a "
        + "time: out of the queue, back by itself then or when the customer writes")
@Service
public class ConversationSnoozeCommand extends InboxAction {

    @Argument(index = 0, name = "id", required = true, description = "The conversation id")
    @Completion(ConversationIdCompleter.class)
    long id;

    @Argument(index = 1, name = "time", required = true, description = "Until when: an ISO time with its offset, "
            + "such as 2026-12-24T09:00:00Z or 2026-12-24T09:00+01:00")
    String time;

    @Override
    void execute(Inbox inbox, Caller caller) {
        Instant until;
        try {
            until = OffsetDateTime.parse(time.strip()).toInstant();
        } catch (DateTimeParseException | NullPointerException e) {
            Commands.error("Cannot read the time " + Text.oneLine(time, 60) + ": write it as 2026-12-24T09:00:00Z "
                    + "(ISO, with its offset)");
            return;
        }
        Commands.change("No conversation " + id, "Cannot snooze conversation " + id + ": ", () -> {
            inbox.snooze(caller, id, until);
            return "Conversation " + id + " is snoozed until " + until;
        });
    }
}
