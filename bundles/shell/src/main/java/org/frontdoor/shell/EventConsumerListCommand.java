package org.frontdoor.shell;

import java.util.List;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.frontdoor.api.admin.EventConsumerInfo;
import org.frontdoor.api.admin.PipelineStatus;

@Command(scope = "frontdoor", name = "event-consumer-list",
        description = "Lists the event log's named consumers: where each stands, how many events its filter still has to "
                + "take, who delivers to it under which lease generation, what it missed, why it waits")
@Service
public class EventConsumerListCommand extends StatusAction {

    @Override
    void execute(PipelineStatus status) {
        if (!admin("The event consumers")) {
            return;
        }
        List<EventConsumerInfo> consumers = status.eventConsumers();
        table(consumers).print(System.out);
        for (EventConsumerInfo c : consumers) {
            if (c.missedEvents()) {
                System.out.println(Text.oneLine(c.name(), 40) + " " + c.missed() + ": retention deleted them before it "
                        + "read them (eventRetentionMaxHours). Once handled: frontdoor:event-consumer-reset "
                        + Text.oneLine(c.name(), 40) + " --to end (or a position)");
            }
        }
    }

    static ShellTable table(List<EventConsumerInfo> consumers) {
        ShellTable table = new ShellTable();
        for (String column : new String[] {"Consumer", "Position", "Behind", "Node", "Generation", "Lease until",
                "Moved", "Missed", "Last error"}) {
            table.column(column);
        }
        table.emptyTableText("No events consumer (a route from(\"frontdoor:events?consumer=NAME\") creates one)");
        for (EventConsumerInfo c : consumers) {
            table.addRow().addContent(Text.oneLine(c.name(), 40), c.position(), c.behind(),
                    c.node() == null ? "-" : Text.oneLine(c.node(), 40), c.generation(), Text.time(c.leaseUntil()),
                    Text.time(c.movedAt()), c.missedEvents() ? c.missed() : "", Text.oneLine(c.lastError(), 80));
        }
        return table;
    }
}
