package org.frontdoor.shell.completers;

import java.util.List;

import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.Candidate;
import org.apache.karaf.shell.api.console.CommandLine;
import org.apache.karaf.shell.api.console.Completer;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.completers.StringsCompleter;
import org.frontdoor.api.inbox.ConversationQuery;
import org.frontdoor.api.inbox.ConversationSummary;
import org.frontdoor.api.inbox.Inbox;
import org.frontdoor.shell.Commands;
import org.frontdoor.shell.Text;

/** Completes the ids of the most recently active conversations, each described by its customer's name. */
@Service
public class ConversationIdCompleter implements Completer {

    static final int RECENT = 50;

    @Reference(optional = true)
    Inbox inbox;

    @Override
    public int complete(Session session, CommandLine commandLine, List<String> candidates) {
        StringsCompleter ids = new StringsCompleter();
        recent().forEach(c -> ids.getStrings().add(Long.toString(c.id())));
        return ids.complete(session, commandLine, candidates);
    }

    @Override
    public void completeCandidates(Session session, CommandLine commandLine, List<Candidate> candidates) {
        String typed = commandLine.getCursorArgument() == null ? ""
                : commandLine.getCursorArgument().substring(0, commandLine.getArgumentPosition());
        for (ConversationSummary c : recent()) {
            String id = Long.toString(c.id());
            if (id.startsWith(typed)) {
                candidates.add(new Candidate(id, id, null, Text.oneLine(c.customerName(), 40), null, null, true));
            }
        }
    }

    private List<ConversationSummary> recent() {
        if (inbox == null) {
            return List.of();
        }
        try {
            // completion runs in the session's thread, as the session's user: it offers what the command will find
            return inbox.conversations(Commands.currentCaller(), ConversationQuery.firstPage(RECENT)).items();
        } catch (RuntimeException e) {
            return List.of(); // completion must not break the line being typed; the command will report the failure
        }
    }
}
