package org.frontdoor.shell;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.frontdoor.api.accounts.Account;
import org.frontdoor.api.accounts.Accounts;

@Command(scope = "frontdoor", name = "user-disable", description = "Disables a login account, or enables it again "
        + "with --enable (admins only); a disabled account cannot log in")
@Service
public class UserDisableCommand extends UserAction {

    @Argument(index = 0, name = "name", description = "The login name", required = true)
    String name;

    @Option(name = "--enable", description = "Enable the account again")
    boolean enable;

    @Override
    void execute(Accounts accounts) {
        String last = enable ? null : lastAdmin(accounts, name, false);
        if (last != null) {
            Commands.error(last);
            return;
        }
        Account account = accounts.setDisabled(name, !enable);
        System.out.println((account.disabled() ? "Disabled " : "Enabled ") + account.name());
    }
}
