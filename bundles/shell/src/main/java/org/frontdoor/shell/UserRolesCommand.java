package org.frontdoor.shell;

import java.util.LinkedHashSet;
import java.util.List;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.frontdoor.api.accounts.Account;
import org.frontdoor.api.accounts.Accounts;

@Command(scope = "frontdoor", name = "user-roles", description = "Sets the roles of a login account (admins only): "
        + "admin, supervisor, agent, or a Karaf role such as ssh")
@Service
public class UserRolesCommand extends UserAction {

    @Argument(index = 0, name = "name", description = "The login name", required = true)
    String name;

    @Argument(index = 1, name = "roles", description = "The roles it has from now on", required = true,
            multiValued = true)
    List<String> roles;

    @Override
    void execute(Accounts accounts) {
        String last = lastAdmin(accounts, name, roles.contains("admin"));
        if (last != null) {
            Commands.error(last);
            return;
        }
        Account account = accounts.setRoles(name, new LinkedHashSet<>(roles));
        System.out.println(account.name() + " has roles " + String.join(", ", account.roles().stream().sorted()
                .toList()) + " from the next login");
    }
}
