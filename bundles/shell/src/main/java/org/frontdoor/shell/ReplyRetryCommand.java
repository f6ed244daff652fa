package org.frontdoor.shell;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.frontdoor.api.Caller;
import org.frontdoor.api.inbox.Inbox;
import org.frontdoor.api.inbox.ReplyView;

@Command(scope = "frontdoor", name = "reply-retry", description = "Sends a failed reply again, with its attempts counted afresh")
@Service
public class ReplyRetryCommand extends InboxAction {

    @Argument(index = 0, name = "replyId", required = true,
            description = "The reply id, as conversation-show lists it (reply 7, FAILED, ...)")
    long replyId;

    @Override
    void execute(Inbox inbox, Caller caller) {
        Commands.change("No reply " + replyId, "Cannot retry reply " + replyId + ": ", () -> {
            ReplyView reply = inbox.retryReply(caller, replyId);
            return "Reply " + replyId + " queued again for conversation " + reply.conversationId();
        });
    }
}
