package org.frontdoor.shell;

import java.io.PrintStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.frontdoor.api.Annotation;
import org.frontdoor.api.Attachment;
import org.frontdoor.api.Caller;
import org.frontdoor.api.delivery.Delivery;
import org.frontdoor.api.inbox.ConversationDetail;
import org.frontdoor.api.inbox.ConversationSummary;
import org.frontdoor.api.inbox.Inbox;
import org.frontdoor.api.inbox.MessageView;
import org.frontdoor.api.inbox.NoteView;
import org.frontdoor.api.inbox.ReplyStatus;
import org.frontdoor.api.inbox.ReplyView;
import org.frontdoor.shell.completers.ConversationIdCompleter;

@Command(scope = "frontdoor", name = "conversation-show", description = "Shows a conversation: its messages, replies and internal notes in time order")
@Service
public class ConversationShowCommand extends InboxAction {

    static final String INDENT = "    ";

    @Argument(index = 0, name = "id", required = true, description = "The conversation id")
    @Completion(ConversationIdCompleter.class)
    long id;

    @Override
    void execute(Inbox inbox, Caller caller) {
        Optional<ConversationDetail> detail = inbox.conversation(caller, id);
        if (detail.isEmpty()) {
            Commands.error("No conversation " + id);
            return;
        }
        print(detail.get(), System.out);
    }

    static void print(ConversationDetail detail, PrintStream out) {
        header(detail.summary()).forEach(out::println);
        if (detail.readUpTo() > 0) {
            out.println("  Read up to:    message " + detail.readUpTo());
        }
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
                "  Thread:        " + (s.threadRef() == null ? "(none)" : Text.oneLine(s.threadRef(), 80)),
                "  Status:        " + s.status(),
                "  Department:    " + (s.department() == null ? "(not routed yet)" : Text.oneLine(s.department(), 80)),
                "  Assignee:      " + (s.assignee() == null ? "(nobody)" : Text.oneLine(s.assignee(), 80)),
                "  Priority:      " + s.priority(),
                "  Created:       " + Text.time(s.createdAt()),
                "  Last activity: " + Text.time(s.lastActivityAt()));
    }

    private record Entry(long seq, Instant at, String text) {
    }

    /**
     * Messages, replies and internal notes in the order they were committed to the conversation (seq); from a store that does not
     * number them, oldest first by time, and at the same instant a message comes before a reply.
     */
    static List<String> timeline(ConversationDetail detail) {
        // in a thread several people write in (an e-mail with people in copy, comments under a post), say whose each is
        long customer = detail.summary().customerId();
        boolean severalPeople = detail.messages().stream().anyMatch(m -> m.customerId() != customer);
        List<Entry> entries = new ArrayList<>();
        detail.messages().forEach(m -> entries.add(new Entry(m.seq(), m.receivedAt(), message(m, severalPeople))));
        detail.replies().forEach(r -> entries.add(new Entry(r.seq(), r.createdAt(), reply(r))));
        detail.notes().forEach(n -> entries.add(new Entry(n.seq(), n.createdAt(), note(n))));
        // stable sort: ties keep messages first
        if (entries.stream().allMatch(e -> e.seq() > 0)) {
            entries.sort(Comparator.comparingLong(Entry::seq));
        } else {
            entries.sort(Comparator.comparing(Entry::at, Comparator.nullsFirst(Comparator.naturalOrder())));
        }
        return entries.stream().map(Entry::text).toList();
    }

    static String message(MessageView m, boolean severalPeople) {
        String who = m.authorName() == null || m.authorName().isBlank() ? Text.oneLine(m.authorHandle(), 80)
                : Text.oneLine(m.authorName(), 80)
                + (m.authorHandle() == null ? "" : " <" + Text.oneLine(m.authorHandle(), 80) + ">");
        StringBuilder line = new StringBuilder(Text.time(m.receivedAt())).append("  << ").append(who).append(" (");
        if (severalPeople) {
            line.append("customer ").append(m.customerId()).append(", ");
        }
        line.append("message ").append(m.id()).append(", ").append(m.visibility());
        m.annotations().forEach(a -> line.append(", ").append(annotation(a)));
        line.append(")\n").append(INDENT).append(Text.block(m.text(), INDENT));
        if (m.hidden() != null) {
            line.append("\n").append(INDENT).append("[hidden on its network by ").append(Text.oneLine(m.hidden().by(), 80))
                    .append(" at ").append(Text.time(m.hidden().at())).append(": ")
                    .append(Text.oneLine(m.hidden().reason(), 400)).append("]");
        }
        for (int n = 0; n < m.attachments().size(); n++) {
            line.append("\n").append(INDENT).append(attachment(m.attachments().get(n), n));
        }
        return line.toString();
    }

    /** {@code [attachment 0] invoice.pdf, application/pdf, 48213 bytes}, or why its door did not keep it. */
    static String attachment(Attachment a, int n) {
        String name = a.name() == null ? "(no name)" : Text.oneLine(a.name(), 80);
        return "[attachment " + n + "] " + name + ", " + Text.oneLine(a.mediaType(), 60) + ", " + a.size() + " bytes"
                + (a.blobRef() == null ? ", not kept: over its door's limits" : "");
    }

    /** {@code sentiment=negative 0.92}: a classifier's words are data like the customer's. */
    static String annotation(Annotation a) {
        return Text.oneLine(a.name(), 40) + "=" + Text.oneLine(a.value(), 60) + " "
                + String.format(Locale.ROOT, "%.2f", a.confidence());
    }

    /** An internal note, marked as such: agents wrote it for agents, the customer never sees it. */
    static String note(NoteView n) {
        StringBuilder line = new StringBuilder(Text.time(n.createdAt())).append("  ## ")
                .append(Text.oneLine(n.author(), 80)).append(" (internal note ").append(n.id());
        if (!n.mentions().isEmpty()) {
            line.append(", mentions ").append(Text.oneLine(String.join(", ", n.mentions()), 400));
        }
        return line.append(", not sent to the customer)\n").append(INDENT).append(Text.block(n.text(), INDENT))
                .toString();
    }

    static String reply(ReplyView r) {
        StringBuilder line = new StringBuilder(Text.time(r.createdAt())).append("  >> ")
                .append(Text.oneLine(r.author(), 80)).append(" (reply ").append(r.id()).append(", ");
        if (r.visibility() != null) {
            line.append(r.visibility()).append(", ");
        }
        if (r.via() != null) {
            line.append("via ").append(Text.oneLine(r.via().channel(), 40)).append('/')
                    .append(Text.oneLine(r.via().instance(), 40)).append(" to ")
                    .append(Text.oneLine(r.via().recipient().handle(), 80)).append(", ");
        }
        line.append(r.status()).append(", attempts ").append(r.attempts());
        if (r.sentAt() != null) {
            line.append(", sent ").append(Text.time(r.sentAt()));
        }
        if (r.status() == ReplyStatus.FAILED) {
            String reason = r.lastError() == null ? "no reason given" : Text.oneLine(r.lastError(), 200);
            line.append(", failed: ").append(reason).append("; frontdoor:reply-retry ").append(r.id())
                    .append(" sends it again");
        } else if (r.lastError() != null) {
            line.append(", last error: ").append(Text.oneLine(r.lastError(), 200));
        }
        if (r.nextAttemptAt() != null && r.sentAt() == null && r.status() != ReplyStatus.FAILED) {
            line.append(", next attempt ").append(Text.time(r.nextAttemptAt()));
        }
        if (r.delivery() != null) {
            line.append(", ").append(delivery(r.delivery()));
        }
        return line.append(")\n").append(INDENT).append(Text.block(r.text(), INDENT)).toString();
    }

    /** What the door's vendor said: {@code delivered 09:01}, {@code read 09:02}, {@code not delivered 09:03: reason}. */
    static String delivery(Delivery d) {
        return switch (d.state()) {
            case DELIVERED -> "delivered " + Text.time(d.at());
            case READ -> "read " + Text.time(d.at());
            case FAILED -> "not delivered " + Text.time(d.at()) + ": "
                    + (d.reason() == null ? "no reason given" : Text.oneLine(d.reason(), 200));
        };
    }
}
