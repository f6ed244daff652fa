package org.frontdoor.shell;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.frontdoor.api.accounts.Accounts;

@Command(scope = "frontdoor", name = "user-remove", description = "Removes a login account (admins only)")
@Service
public class UserRemoveCommand extends UserAction {

    @Argument(index = 0, name = "name", description = "The login name", required = true)
    String name;

    @Override
    void execute(Accounts accounts) {
        String last = lastAdmin(accounts, name, false);
        if (last != null) {
            Commands.error(last);
            return;
        }
        System.out.println(accounts.remove(name) ? "Removed " + name : "No account named " + Text.oneLine(name, 64));
    }
}
