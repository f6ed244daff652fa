package org.frontdoor.shell;

import java.util.List;

import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.Candidate;
import org.apache.karaf.shell.api.console.CommandLine;
import org.apache.karaf.shell.api.console.Completer;
import org.apache.karaf.shell.api.console.Session;
import org.frontdoor.api.inbox.ConversationQuery;
import org.frontdoor.api.inbox.ConversationSummary;
import org.frontdoor.api.inbox.Inbox;

/** Completes the ids of the 50 most recently active conversations, described by customer and preview. */
@Service
public class ConversationIdCompleter implements Completer {

    @Reference(optional = true)
    Inbox inbox;

    @Override
    public int complete(Session session, CommandLine commandLine, List<String> candidates) {
        return -1;
    }

    @Override
    public void completeCandidates(Session session, CommandLine commandLine, List<Candidate> candidates) {
        if (inbox == null) {
            return;
        }
        String prefix = commandLine.getCursorArgument() == null ? ""
                : commandLine.getCursorArgument().substring(0, commandLine.getArgumentPosition());
        for (ConversationSummary c : inbox.conversations(ConversationQuery.firstPage(50)).items()) {
            String id = Long.toString(c.id());
            if (id.startsWith(prefix)) {
                candidates.add(new Candidate(id, id, null, Text.oneLine(Text.orEmpty(c.customerName()) + ": "
                        + Text.orEmpty(c.preview()), 50), null, null, true));
            }
        }
    }
}
