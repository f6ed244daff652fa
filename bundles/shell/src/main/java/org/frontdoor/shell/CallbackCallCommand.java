package org.frontdoor.shell;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.frontdoor.api.CallbackTask;
import org.frontdoor.api.Callbacks;
import org.frontdoor.api.calls.CallRefusedException;
import org.frontdoor.api.calls.CallUnavailableException;

@Command(scope = "frontdoor", name = "callback-call", description = "Places the call of a phone callback task through "
        + "a door that can call: your phone rings first, then the customer's")
@Service
public class CallbackCallCommand extends CallerAction {

    @Reference(optional = true)
    Callbacks callbacks;

    @Argument(index = 0, name = "id", required = true, description = "The callback task's id (callback-list)")
    long id;

    @Option(name = "--agent-phone", aliases = "-p", description = "The phone you answer on (E.164, +14155552671); "
            + "by default the number the door has for your login name")
    String agentPhone;

    @Option(name = "--door", aliases = "-d", description = "The door to call through (sms/main) when several can")
    String door;

    @Override
    protected Object call() {
        if (callbacks == null) {
            Commands.error(Commands.CORE_DOWN);
            return null;
        }
        Commands.change("No callback task " + id, "No call placed: ", () -> {
            CallbackTask task;
            try {
                task = callbacks.call(caller(), id, door, agentPhone);
            } catch (CallRefusedException | CallUnavailableException e) {
                throw new IllegalStateException(e.getMessage(), e);
            }
            return "Callback task " + task.id() + " (conversation " + task.conversationId() + "): call "
                    + Text.oneLine(task.callId(), 64) + " placed to " + Text.oneLine(task.phone(), 64)
                    + "; your phone rings first. Mark it done after the talk (callback-done " + task.id() + ")";
        });
        return null;
    }
}
