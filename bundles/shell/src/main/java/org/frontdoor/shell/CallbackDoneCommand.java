package org.frontdoor.shell;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.frontdoor.api.CallbackTask;
import org.frontdoor.api.Callbacks;

@Command(scope = "frontdoor", name = "callback-done", description = "Marks a phone callback task done: the customer "
        + "was called back")
@Service
public class CallbackDoneCommand extends CallerAction {

    @Reference(optional = true)
    Callbacks callbacks;

    @Argument(index = 0, name = "id", required = true, description = "The callback task's id (callback-list)")
    long id;

    @Override
    protected Object call() {
        if (callbacks == null) {
            Commands.error(Commands.CORE_DOWN);
            return null;
        }
        Commands.change("No callback task " + id, "Not done: ", () -> {
            CallbackTask task = callbacks.done(caller(), id);
            return "Callback task " + task.id() + " (conversation " + task.conversationId() + ") done by "
                    + Text.oneLine(task.doneBy(), 100);
        });
        return null;
    }
}
