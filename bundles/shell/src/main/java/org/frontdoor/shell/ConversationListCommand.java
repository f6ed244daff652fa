package org.frontdoor.shell;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.frontdoor.api.Caller;
import org.frontdoor.api.inbox.ConversationQuery;
import org.frontdoor.api.inbox.ConversationStatus;
import org.frontdoor.api.inbox.ConversationSummary;
import org.frontdoor.api.inbox.Inbox;
import org.frontdoor.api.inbox.Page;
import org.frontdoor.shell.completers.ChannelCompleter;
import org.frontdoor.shell.completers.StatusCompleter;

@Command(scope = "frontdoor", name = "conversation-list", description = "Lists conversations, most recent activity first")
@Service
public class ConversationListCommand extends InboxAction {

    static final int PREVIEW = 40;
    static final int CUSTOMER = 24;

    @Option(name = "--status", aliases = "-s", description = "Only conversations in this status: NEW, QUEUED, ASSIGNED or RESOLVED")
    @Completion(StatusCompleter.class)
    String status;

    @Option(name = "--department", aliases = "-d", description = "Only conversations of this department")
    String department;

    @Option(name = "--channel", aliases = "-c", description = "Only conversations on this channel, such as api")
    @Completion(ChannelCompleter.class)
    String channel;

    @Option(name = "--limit", aliases = "-n", description = "How many to show, 1 to " + ConversationQuery.MAX_LIMIT)
    int limit = 20;

    @Option(name = "--offset", description = "How many to skip")
    int offset;

    @Override
    void execute(Inbox inbox, Caller caller) {
        ConversationQuery query;
        try {
            query = query();
        } catch (IllegalArgumentException e) {
            Commands.error(e.getMessage());
            return;
        }
        Page<ConversationSummary> page = inbox.conversations(caller, query);
        table(page).print(System.out);
        System.out.println(footer(page));
    }

    /** The query the options ask for, or an exception whose message names the option at fault. */
    ConversationQuery query() {
        ConversationStatus wanted = Commands.parse(ConversationStatus.class, status, "status");
        if (limit < 1 || limit > ConversationQuery.MAX_LIMIT) {
            throw new IllegalArgumentException("--limit must be between 1 and " + ConversationQuery.MAX_LIMIT);
        }
        if (offset < 0) {
            throw new IllegalArgumentException("--offset must not be negative");
        }
        return new ConversationQuery(wanted, Commands.filter(department), Commands.filter(channel), offset, limit);
    }

    static ShellTable table(Page<ConversationSummary> page) {
        ShellTable table = new ShellTable();
        for (String column : new String[] {"ID", "Customer", "Channel", "Department", "Status", "Assignee", "Priority",
                "Messages", "Last activity", "Preview"}) {
            table.column(column);
        }
        table.emptyTableText("No conversation");
        for (ConversationSummary c : page.items()) {
            table.addRow().addContent(cells(c));
        }
        return table;
    }

    static Object[] cells(ConversationSummary c) {
        return new Object[] {c.id(), Text.oneLine(c.customerName(), CUSTOMER),
                Text.oneLine(c.channel() + "/" + c.instance(), 40), Text.oneLine(c.department(), 24),
                c.status() == null ? "" : c.status().name(), Text.oneLine(c.assignee(), 24), c.priority(),
                c.messageCount(), Text.time(c.lastActivityAt()), Text.oneLine(c.preview(), PREVIEW)};
    }

    /** "Showing 21-40 of 41", or "Showing 0 of 41" past the end. */
    static String footer(Page<?> page) {
        if (page.items().isEmpty()) {
            return "Showing 0 of " + page.total();
        }
        return "Showing " + (page.offset() + 1) + "-" + (page.offset() + page.items().size()) + " of " + page.total();
    }
}
