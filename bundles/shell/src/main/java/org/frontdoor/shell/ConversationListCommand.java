package org.frontdoor.shell;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.frontdoor.api.inbox.ConversationQuery;
import org.frontdoor.api.inbox.ConversationStatus;
import org.frontdoor.api.inbox.ConversationSummary;
import org.frontdoor.api.inbox.Inbox;
import org.frontdoor.api.inbox.Page;

@Command(scope = "frontdoor", name = "conversation-list", description = "Lists conversations, most recent activity first")
@Service
public class ConversationListCommand extends InboxAction {

    @Option(name = "--status", aliases = "-s", description = "NEW, QUEUED, ASSIGNED or RESOLVED")
    @Completion(StatusCompleter.class)
    String status;

    @Option(name = "--department", aliases = "-d", description = "Only this department")
    String department;

    @Option(name = "--channel", aliases = "-c", description = "Only this channel, such as api")
    @Completion(ChannelCompleter.class)
    String channel;

    @Option(name = "--limit", aliases = "-n", description = "How many to show (at most 500)")
    int limit = 20;

    @Option(name = "--offset", description = "How many to skip")
    int offset;

    @Override
    void execute(Inbox inbox) {
        ConversationStatus wanted;
        ConversationQuery query;
        try {
            wanted = status == null ? null : ConversationStatus.valueOf(status.toUpperCase(java.util.Locale.ROOT));
            query = new ConversationQuery(wanted, department, channel, offset, limit);
        } catch (IllegalArgumentException e) {
            System.err.println(status != null && e.getMessage() != null && e.getMessage().contains("No enum")
                    ? "Unknown status " + status + "; use one of " + java.util.Arrays.toString(ConversationStatus.values())
                    : e.getMessage());
            return;
        }
        Page<ConversationSummary> page = inbox.conversations(query);
        table(page).print(System.out);
        System.out.println(footer(page));
    }

    static ShellTable table(Page<ConversationSummary> page) {
        ShellTable table = new ShellTable();
        for (String column : new String[] {"ID", "Customer", "Channel", "Department", "Status", "Priority", "Messages",
                "Last activity", "Preview"}) {
            table.column(column);
        }
        table.emptyTableText("No conversation");
        for (ConversationSummary c : page.items()) {
            table.addRow().addContent(c.id(), Text.oneLine(c.customerName(), 24), c.channel() + "/" + c.instance(),
                    Text.orEmpty(c.department()), c.status(), c.priority(), c.messageCount(),
                    Text.time(c.lastActivityAt()), Text.oneLine(c.preview(), 40));
        }
        return table;
    }

    static String footer(Page<?> page) {
        if (page.items().isEmpty()) {
            return "Showing 0 of " + page.total();
        }
        return "Showing " + (page.offset() + 1) + "-" + (page.offset() + page.items().size()) + " of " + page.total();
    }
}
