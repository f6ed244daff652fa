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
import org.frontdoor.shell.completers.ConversationIdCompleter;

@Command(scope = "frontdoor", name = "conversation-show", description = "Shows a conversation: its messages and replies in time order")
@Service
public class ConversationShowCommand extends InboxAction {

    static final String INDENT = "    ";

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

    static void print(ConversationDetail detail, PrintStream out) {
        header(detail.summary()).forEach(out::println);
        out.println();
        List<String> entries = timeline(detail);
        if (entries.isEmpty()) {
            out.println("No messages");
        }
        entries.forEach(out::println);
    }

    static List<String> header(ConversationSummary s) {
        return List.of(
                "Conversation " + s.id(),
                "  Customer:      " + Text.oneLine(s.customerName(), 80) + " (customer " + s.customerId() + ")",
                "  Channel:       " + Text.oneLine(s.channel() + "/" + s.instance(), 80),
                "  Status:        " + s.status(),
                "  Department:    " + (s.department() == null ? "(not routed yet)" : Text.oneLine(s.department(), 80)),
                "  Priority:      " + s.priority(),
                "  Created:       " + Text.time(s.createdAt()),
                "  Last activity: " + Text.time(s.lastActivityAt()));
    }

    private record Entry(Instant at, String text) {
    }

    /** Messages and replies, oldest first; at the same instant a message comes before a reply. */
    static List<String> timeline(ConversationDetail detail) {
        List<Entry> entries = new ArrayList<>();
        detail.messages().forEach(m -> entries.add(new Entry(m.receivedAt(), message(m))));
        detail.replies().forEach(r -> entries.add(new Entry(r.createdAt(), reply(r))));
        // stable sort: ties keep messages first
        entries.sort(Comparator.comparing(Entry::at, Comparator.nullsFirst(Comparator.naturalOrder())));
        return entries.stream().map(Entry::text).toList();
    }

    static String message(MessageView m) {
        String who = m.authorName() == null || m.authorName().isBlank() ? Text.oneLine(m.authorHandle(), 80)
                : Text.oneLine(m.authorName(), 80) + " <" + Text.oneLine(m.authorHandle(), 80) + ">";
        return Text.time(m.receivedAt()) + "  << " + who + " (message " + m.id() + ", " + m.visibility() + ")\n"
                + INDENT + Text.block(m.text(), INDENT);
    }

    static String reply(ReplyView r) {
        StringBuilder line = new StringBuilder(Text.time(r.createdAt())).append("  >> ")
                .append(Text.oneLine(r.author(), 80)).append(" (reply ").append(r.id()).append(", ").append(r.status())
                .append(", attempts ").append(r.attempts());
        if (r.sentAt() != null) {
            line.append(", sent ").append(Text.time(r.sentAt()));
        }
        if (r.lastError() != null) {
            line.append(", last error: ").append(Text.oneLine(r.lastError(), 200));
        }
        if (r.nextAttemptAt() != null && r.sentAt() == null) {
            line.append(", next attempt ").append(Text.time(r.nextAttemptAt()));
        }
        return line.append(")\n").append(INDENT).append(Text.block(r.text(), INDENT)).toString();
    }
}
