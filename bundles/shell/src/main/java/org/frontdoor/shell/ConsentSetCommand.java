package org.frontdoor.shell;

import java.util.List;
import java.util.Locale;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.frontdoor.api.Caller;
import org.frontdoor.api.consent.Consent;
import org.frontdoor.api.consent.ConsentDesk;
import org.frontdoor.api.inbox.Inbox;

@Command(scope = "frontdoor", name = "consent-set",
        description = "Records by hand that a customer's identity opted out (nothing is sent to it) or in again, with "
                + "the reason agents see; audited (admins)")
@Service
public class ConsentSetCommand extends InboxAction {

    @Reference(optional = true)
    ConsentDesk desk;

    @Option(name = "--reason", aliases = "-r", required = true,
            description = "Why: shown to every agent and kept in the audit trail")
    String reason;

    @Argument(index = 0, name = "customer", required = true, description = "The customer id")
    long customer;

    @Argument(index = 1, name = "channel", required = true, description = "The identity's channel, as customer-show "
            + "lists it")
    String channel;

    @Argument(index = 2, name = "handle", required = true, description = "The identity's handle (a number, an address)")
    String handle;

    @Argument(index = 3, name = "state", required = true, description = "opted-out or opted-in")
    String state;

    @Override
    void execute(Inbox inbox, Caller caller) {
        if (desk == null) {
            Commands.error(Commands.CORE_DOWN);
            return;
        }
        String wanted = state.toLowerCase(Locale.ROOT);
        if (!List.of("opted-out", "opted-in").contains(wanted)) {
            Commands.error("state must be opted-out or opted-in");
            return;
        }
        try {
            Commands.change("No customer " + customer + " with identity " + Text.oneLine(channel, 64) + " "
                    + Text.oneLine(handle, 100), "Consent refused: ", () -> {
                Consent now = desk.record(caller, customer, channel, handle, "opted-in".equals(wanted), reason);
                return Text.oneLine(now.channel(), 64) + " " + Text.oneLine(now.handle(), 100) + ": "
                        + CustomerShowCommand.consent(now);
            });
        } catch (SecurityException e) {
            Commands.error(e.getMessage());
        }
    }
}
