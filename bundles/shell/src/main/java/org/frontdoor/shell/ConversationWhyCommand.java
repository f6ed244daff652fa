package org.frontdoor.shell;

import java.io.PrintStream;
import java.util.Locale;
import java.util.Optional;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.frontdoor.api.Caller;
import org.frontdoor.api.inbox.ConversationSummary;
import org.frontdoor.api.inbox.ConversationWhy;
import org.frontdoor.api.inbox.Inbox;
import org.frontdoor.shell.completers.ConversationIdCompleter;

/** Why a conversation is where it is: the rule and its reason, the classifiers' annotations, its history. */
@Command(scope = "frontdoor", name = "conversation-why", description = "Shows why a conversation is where it is: the rule that routed it and its reason, what the classifiers found, and its department changes and assignments with who and when")
@Service
public class ConversationWhyCommand extends InboxAction {

    @Argument(index = 0, name = "id", required = true, description = "The conversation id")
    @Completion(ConversationIdCompleter.class)
    long id;

    @Override
    void execute(Inbox inbox, Caller caller) {
        Optional<ConversationWhy> why = inbox.why(caller, id);
        if (why.isEmpty()) {
            Commands.error("No conversation " + id);
            return;
        }
        print(why.get(), System.out);
    }

    static void print(ConversationWhy why, PrintStream out) {
        ConversationSummary s = why.summary();
        out.println("Conversation " + s.id() + ": " + (s.department() == null ? "not routed yet"
                : "in " + Text.oneLine(s.department(), 80) + ", priority " + s.priority()
                + (s.assignee() == null ? "" : ", assigned to " + Text.oneLine(s.assignee(), 80))));
        if (why.rule() == null) {
            out.println("  Rule:    (not recorded: see the history)");
        } else {
            out.println("  Rule:    " + Text.oneLine(why.rule(), 100)
                    + (why.reason() == null ? "" : ": " + Text.oneLine(why.reason(), 300)));
        }
        if (why.annotations().isEmpty()) {
            out.println("  Annotations: none");
        } else {
            out.println("  Annotations:");
            why.annotations().forEach(a -> out.println("    message " + a.messageId() + ": "
                    + Text.oneLine(a.name(), 40) + "=" + Text.oneLine(a.value(), 60) + " "
                    + String.format(Locale.ROOT, "%.2f", a.confidence()) + " (" + Text.oneLine(a.source(), 80) + ")"));
        }
        if (why.history().isEmpty()) {
            out.println("  History: none");
        } else {
            out.println("  History:");
            why.history().forEach(h -> out.println("    " + Text.time(h.at()) + "  " + Text.oneLine(h.action(), 20)
                    + " by " + Text.oneLine(h.actor(), 80) + (h.detail() == null ? "" : ": "
                    + Text.oneLine(h.detail(), 300))));
        }
    }
}
