package org.frontdoor.shell;

import java.util.List;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.frontdoor.api.CallbackTask;
import org.frontdoor.api.Callbacks;

@Command(scope = "frontdoor", name = "callback-list", description = "Lists the phone callbacks SLA escalations asked "
        + "for: open ones, or all with --all")
@Service
public class CallbackListCommand extends CallerAction {

    @Reference(optional = true)
    Callbacks callbacks;

    @Option(name = "--all", description = "Done ones too")
    boolean all;

    @Option(name = "--limit", description = "At most this many, newest first (1 to 1000, default 100)")
    int limit = 100;

    @Override
    protected Object call() {
        if (callbacks == null) {
            Commands.error(Commands.CORE_DOWN);
            return null;
        }
        if (limit < 1 || limit > 1000) {
            Commands.error("--limit takes 1 to 1000");
            return null;
        }
        table(callbacks.list(caller(), !all, limit)).print(System.out);
        return null;
    }

    static ShellTable table(List<CallbackTask> tasks) {
        ShellTable table = new ShellTable();
        table.column("Id");
        table.column("Conversation");
        table.column("Department");
        table.column("Customer");
        table.column("Phone");
        table.column("Created");
        table.column("Done");
        table.column("Note");
        table.emptyTableText("No callback task");
        for (CallbackTask t : tasks) {
            table.addRow().addContent(t.id(), t.conversationId(), Text.oneLine(t.department(), 40),
                    Text.oneLine(t.customerName() == null ? "customer " + t.customerId() : t.customerName(), 40),
                    t.phone() == null ? "no number known" : Text.oneLine(t.phone(), 40), Text.time(t.createdAt()),
                    t.open() ? "" : Text.oneLine(t.doneBy(), 40) + " " + Text.time(t.doneAt()),
                    Text.oneLine(t.note(), 200));
        }
        return table;
    }
}
