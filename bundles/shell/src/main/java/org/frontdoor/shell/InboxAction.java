package org.frontdoor.shell;

import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.frontdoor.api.Caller;
import org.frontdoor.api.inbox.Inbox;
import org.frontdoor.api.inbox.InboxUnavailableException;

/**
 * A command working on the inbox, as the session's user. The reference is optional so that the command stays listed
 * and says why it cannot work while core is stopped, instead of vanishing from the console.
 */
abstract class InboxAction extends CallerAction {

    @Reference(optional = true)
    Inbox inbox;

    @Override
    protected Object call() throws Exception {
        if (inbox == null) {
            Commands.error(Commands.CORE_DOWN);
            return null;
        }
        try {
            execute(inbox, caller());
        } catch (InboxUnavailableException e) {
            Commands.error("Frontdoor cannot answer now (" + Commands.reason(e) + "); try again shortly");
        }
        return null;
    }

    /** @param caller who asks: every inbox call names them */
    abstract void execute(Inbox inbox, Caller caller) throws Exception;
}
