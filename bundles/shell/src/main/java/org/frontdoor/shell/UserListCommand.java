package org.frontdoor.shell;

import java.util.List;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.frontdoor.api.accounts.Account;
import org.frontdoor.api.accounts.Accounts;

@Command(scope = "frontdoor", name = "user-list", description = "Lists the login accounts and their roles (admins "
        + "only)")
@Service
public class UserListCommand extends UserAction {

    @Override
    void execute(Accounts accounts) {
        table(accounts.list()).print(System.out);
    }

    static ShellTable table(List<Account> accounts) {
        ShellTable table = new ShellTable();
        table.column("Name");
        table.column("Roles");
        table.column("Disabled");
        table.column("Updated");
        table.emptyTableText("No login account (users still in etc/users.properties move in at their first login)");
        for (Account a : accounts) {
            table.addRow().addContent(a.name(), String.join(",", a.roles().stream().sorted().toList()),
                    a.disabled() ? "yes" : "", a.updatedAt().toString());
        }
        return table;
    }
}
