package org.frontdoor.shell;

import org.frontdoor.api.Caller;
import org.frontdoor.api.inbox.Inbox;
import org.frontdoor.api.inbox.MessageView;
import org.frontdoor.api.inbox.ModerationFailedException;

/** What {@code message-hide} and {@code message-unhide} share: the checks are core's, the words are here. */
final class MessageModeration {

    private MessageModeration() {
    }

    static void run(Inbox inbox, Caller caller, long conversationId, long messageId, String reason, boolean hide) {
        MessageView message;
        try {
            message = hide ? inbox.hide(caller, conversationId, messageId, reason)
                    : inbox.unhide(caller, conversationId, messageId, reason);
        } catch (SecurityException e) {
            Commands.error(Commands.reason(e));
            return;
        } catch (java.util.NoSuchElementException e) {
            Commands.error(e.getMessage() != null && e.getMessage().startsWith("message ")
                    ? "No message " + messageId + " in conversation " + conversationId
                    : "No conversation " + conversationId);
            return;
        } catch (ModerationFailedException e) {
            Commands.error((hide ? "Not hidden: " : "Not shown: ") + Commands.reason(e)
                    + (e.passing() ? " (try again later)" : ""));
            return;
        } catch (IllegalStateException | IllegalArgumentException e) {
            Commands.error((hide ? "Not hidden: " : "Not shown: ") + Commands.reason(e));
            return;
        }
        if (message.hidden() != null) {
            System.out.println("Message " + messageId + " of conversation " + conversationId + " is hidden on its "
                    + "network since " + message.hidden().at() + " by " + message.hidden().by() + ": "
                    + Text.oneLine(message.hidden().reason(), 400) + " (it stays in Frontdoor)");
        } else {
            System.out.println("Message " + messageId + " of conversation " + conversationId
                    + " is shown on its network");
        }
    }
}
