package org.frontdoor.shell;

import java.io.PrintStream;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.frontdoor.api.Caller;
import org.frontdoor.api.consent.Consent;
import org.frontdoor.api.inbox.CustomerView;
import org.frontdoor.api.inbox.IdentityView;
import org.frontdoor.api.inbox.Inbox;

@Command(scope = "frontdoor", name = "customer-show",
        description = "Shows a customer: each identity with its consent (opted out: nothing is sent to it), and the "
                + "customer's conversations")
@Service
public class CustomerShowCommand extends InboxAction {

    @Argument(index = 0, name = "id", required = true, description = "The customer id")
    long id;

    @Override
    void execute(Inbox inbox, Caller caller) {
        inbox.customer(caller, id).ifPresentOrElse(c -> print(c, System.out),
                () -> Commands.error("No customer " + id));
    }

    static void print(CustomerView c, PrintStream out) {
        out.println("Customer " + c.id() + ": " + Text.oneLine(c.displayName(), 100) + ", first contact "
                + Text.time(c.createdAt()));
        ShellTable identities = new ShellTable();
        for (String column : new String[] {"Channel", "Handle", "Name", "Consent"}) {
            identities.column(column);
        }
        for (IdentityView i : c.identities()) {
            identities.addRow().addContent(Text.oneLine(i.channel(), 64), Text.oneLine(i.handle(), 100),
                    Text.oneLine(i.displayName(), 60), consent(i.consent()));
        }
        identities.print(out);
        ShellTable conversations = new ShellTable();
        for (String column : new String[] {"ID", "Customer", "Channel", "Department", "Status", "Assignee",
                "Priority", "Messages", "Last activity", "Preview"}) {
            conversations.column(column);
        }
        conversations.emptyTableText("No conversation");
        c.conversations().forEach(s -> conversations.addRow().addContent(ConversationListCommand.cells(s)));
        conversations.print(out);
    }

    /** "opted out since ... (keyword STOP, message 12)", "opted in since ...", or "not recorded (opted in)". */
    static String consent(Consent consent) {
        if (consent == null) {
            return "not recorded (opted in)";
        }
        String how = switch (consent.source()) {
            case KEYWORD -> "texted " + Text.oneLine(consent.reason(), 20)
                    + (consent.reference() == null ? "" : ", message " + Text.oneLine(consent.reference(), 20));
            case AGENT -> "by " + Text.oneLine(consent.reference(), 60) + ": " + Text.oneLine(consent.reason(), 100);
            case IMPORT -> "imported from " + Text.oneLine(consent.reference(), 100);
        };
        return (consent.optedIn() ? "opted in" : "OPTED OUT") + " since " + Text.time(consent.since()) + " (" + how
                + ")";
    }
}
