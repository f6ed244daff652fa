package org.frontdoor.shell;

import java.io.PrintStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.frontdoor.api.inbox.ConversationDetail;
import org.frontdoor.api.inbox.ConversationSummary;
import org.frontdoor.api.inbox.Inbox;
import org.frontdoor.api.inbox.MessageView;
import org.frontdoor.api.inbox.ReplyView;

@Command(scope = "frontdoor", name = "conversation-show", description = "Shows a conversation: its messages and replies")
@Service
public class ConversationShowCommand extends InboxAction {

    @Argument(index = 0, name = "id", required = true, description = "The conversation id")
    @Completion(ConversationIdCompleter.class)
    long id;

    @Override
    void execute(Inbox inbox) {
        Optional<ConversationDetail> detail = inbox.conversation(id);
        if (detail.isEmpty()) {
            System.err.println("No conversation " + id);
            return;
        }
        print(detail.get(), System.out);
    }

    private record Entry(Instant at, String text) {
    }

    static void print(ConversationDetail detail, PrintStream out) {
        ConversationSummary s = detail.summary();
        out.println("Conversation " + s.id());
        out.println("  Customer:      " + Text.orEmpty(s.customerName()) + " (customer " + s.customerId() + ")");
        out.println("  Channel:       " + s.channel() + "/" + s.instance());
        out.println("  Status:        " + s.status());
        out.println("  Department:    " + Text.orEmpty(s.department()));
        out.println("  Priority:      " + s.priority());
        out.println("  Created:       " + Text.time(s.createdAt()));
        out.println("  Last activity: " + Text.time(s.lastActivityAt()));
        out.println();
        List<Entry> entries = new ArrayList<>();
        for (MessageView m : detail.messages()) {
            String who = m.authorName() != null ? m.authorName() + " <" + m.authorHandle() + ">" : m.authorHandle();
            entries.add(new Entry(m.receivedAt(), Text.time(m.receivedAt()) + "  << " + who + " (message " + m.id()
                    + ", " + m.visibility() + ")\n    " + indent(m.text())));
        }
        for (ReplyView r : detail.replies()) {
            StringBuilder line = new StringBuilder(Text.time(r.createdAt()) + "  >> " + Text.orEmpty(r.author())
                    + " (reply " + r.id() + ", " + r.status() + ", attempts " + r.attempts());
            if (r.sentAt() != null) {
                line.append(", sent ").append(Text.time(r.sentAt()));
            }
            if (r.lastError() != null) {
                line.append(", last error: ").append(r.lastError());
            }
            if (r.nextAttemptAt() != null && r.sentAt() == null) {
                line.append(", next attempt ").append(Text.time(r.nextAttemptAt()));
            }
            line.append(")\n    ").append(indent(r.text()));
            entries.add(new Entry(r.createdAt(), line.toString()));
        }
        entries.sort(Comparator.comparing(Entry::at, Comparator.nullsFirst(Comparator.naturalOrder())));
        for (Entry e : entries) {
            out.println(e.text());
        }
    }

    private static String indent(String text) {
        return text == null ? "" : text.replace("\n", "\n    ");
    }
}
