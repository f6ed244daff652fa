package org.frontdoor.shell;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.frontdoor.api.Caller;
import org.frontdoor.api.ConversationEvent;
import org.frontdoor.api.EventFilter;
import org.frontdoor.api.inbox.ConversationQuery;
import org.frontdoor.api.inbox.EventPage;
import org.frontdoor.api.inbox.Inbox;

@Command(scope = "frontdoor", name = "event-list", description = "Lists the conversation event log after a position, oldest first")
@Service
public class EventListCommand extends InboxAction {

    @Option(name = "--after", aliases = "-a", description = "Only events after this position; 0 for the oldest the log holds")
    long after;

    @Option(name = "--limit", aliases = "-n", description = "How many to show, 1 to " + ConversationQuery.MAX_LIMIT)
    int limit = 20;

    @Option(name = "--types", aliases = "-t", description = "Only these event types, comma separated, such as "
            + "routed,transferred,resolved")
    String types;

    @Option(name = "--department", aliases = "-d", description = "Only events of this department (a transfer out of "
            + "it too)")
    String department;

    @Override
    void execute(Inbox inbox, Caller caller) {
        if (after < 0) {
            Commands.error("--after must not be negative");
            return;
        }
        if (limit < 1 || limit > ConversationQuery.MAX_LIMIT) {
            Commands.error("--limit must be between 1 and " + ConversationQuery.MAX_LIMIT);
            return;
        }
        EventFilter filter;
        try {
            filter = EventFilter.of(types, department);
        } catch (IllegalArgumentException e) {
            Commands.error("--types: " + e.getMessage());
            return;
        }
        EventPage page = inbox.events(caller, after, limit, filter);
        table(page, after).print(System.out);
        System.out.println(footer(page, after, filter));
    }

    static ShellTable table(EventPage page, long after) {
        ShellTable table = new ShellTable();
        for (String column : new String[] {"Position", "Time", "Type", "Conversation", "Department", "Actor",
                "Detail"}) {
            table.column(column);
        }
        table.emptyTableText("No event after position " + after);
        for (ConversationEvent e : page.events()) {
            table.addRow().addContent(cells(e));
        }
        return table;
    }

    static Object[] cells(ConversationEvent e) {
        return new Object[] {e.position(), Text.time(e.at()), e.type().id(), e.conversationId(),
                Text.oneLine(e.department(), 24), Text.oneLine(e.actor(), 24), Text.oneLine(e.detail(), 80)};
    }

    /** Where to go on from: the page's next position, which passes over what the caller may not see. */
    static String footer(EventPage page, long after) {
        return footer(page, after, EventFilter.ALL);
    }

    static String footer(EventPage page, long after, EventFilter filter) {
        String same = (filter.types().isEmpty() ? "" : " --types " + filter.typeIds())
                + (filter.department() == null ? "" : " --department " + Text.oneLine(filter.department(), 64));
        if (page.events().isEmpty() && page.next() == after) {
            return "Nothing after position " + after + " yet; ask again with --after " + after + same;
        }
        return "Next: frontdoor:event-list --after " + page.next() + same;
    }
}
