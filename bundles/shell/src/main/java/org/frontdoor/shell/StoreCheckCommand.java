package org.frontdoor.shell;

import java.util.stream.Collectors;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.frontdoor.api.Caller;
import org.frontdoor.api.inbox.Inbox;
import org.frontdoor.api.inbox.StoreCheck;

@Command(scope = "frontdoor", name = "store-check",
        description = "Checks that every message is kept under its author's customer (what customer views, exports "
                + "and erasure rely on)")
@Service
public class StoreCheckCommand extends InboxAction {

    @Override
    void execute(Inbox inbox, Caller caller) {
        StoreCheck check;
        try {
            check = inbox.storeCheck(caller);
        } catch (SecurityException e) {
            Commands.error(Commands.reason(e));
            return;
        }
        if (check.consistent()) {
            System.out.println("Consistent: every message is under its author's customer");
            return;
        }
        System.out.println("Not consistent: " + check.messagesNotWithTheirAuthor()
                + " messages under another customer than their author's, " + check.messagesWithoutAuthor()
                + " messages whose author is missing; for instance messages "
                + check.examples().stream().map(String::valueOf).collect(Collectors.joining(", ")));
    }
}
