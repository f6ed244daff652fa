package org.frontdoor.shell;

import java.util.List;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.frontdoor.api.admin.EventConsumerInfo;
import org.frontdoor.api.admin.PipelineStatus;

@Command(scope = "frontdoor", name = "event-consumer-list",
        description = "Lists the event log's named consumers: where each stands, who delivers to it, why it waits")
@Service
public class EventConsumerListCommand extends StatusAction {

    @Override
    void execute(PipelineStatus status) {
        table(status.eventConsumers()).print(System.out);
    }

    static ShellTable table(List<EventConsumerInfo> consumers) {
        ShellTable table = new ShellTable();
        for (String column : new String[] {"Consumer", "Position", "Behind", "Node", "Lease until", "Moved",
                "Last error"}) {
            table.column(column);
        }
        table.emptyTableText("No events consumer (a route from(\"frontdoor:events?consumer=NAME\") creates one)");
        for (EventConsumerInfo c : consumers) {
            table.addRow().addContent(Text.oneLine(c.name(), 40), c.position(), c.behind(),
                    c.node() == null ? "-" : Text.oneLine(c.node(), 40), Text.time(c.leaseUntil()),
                    Text.time(c.movedAt()), Text.oneLine(c.lastError(), 80));
        }
        return table;
    }
}
