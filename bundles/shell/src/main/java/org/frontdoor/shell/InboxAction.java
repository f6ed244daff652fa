package org.frontdoor.shell;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.frontdoor.api.inbox.Inbox;

/** A command that works on the inbox: it says so, instead of failing, while core is not running. */
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
