package org.frontdoor.shell;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.frontdoor.api.inbox.Inbox;

/**
 * A command working on the inbox. The reference is optional so that the command stays listed and says why it
 * cannot work while core is stopped, instead of vanishing from the console.
 */
abstract class InboxAction implements Action {

    @Reference(optional = true)
    Inbox inbox;

    @Override
    public Object execute() throws Exception {
        if (inbox == null) {
            System.err.println(Commands.CORE_DOWN);
            return null;
        }
        execute(inbox);
        return null;
    }

    abstract void execute(Inbox inbox) throws Exception;
}
