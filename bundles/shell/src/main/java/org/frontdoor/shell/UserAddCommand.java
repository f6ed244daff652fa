package org.frontdoor.shell;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.frontdoor.api.accounts.Account;
import org.frontdoor.api.accounts.Accounts;

@Command(scope = "frontdoor", name = "user-add", description = "Adds a login account (admins only); the password is "
        + "typed twice without echo, or read from --password-file")
@Service
public class UserAddCommand extends UserAction {

    @Argument(index = 0, name = "name", description = "The login name", required = true)
    String name;

    @Option(name = "--role", description = "A role: admin, supervisor or agent (repeat for several)",
            required = true, multiValued = true)
    List<String> roles;

    @Option(name = "--password-file", description = "Read the password from the first line of this file")
    String passwordFile;

    @Override
    void execute(Accounts accounts) throws Exception {
        if (accounts.find(name).isPresent()) {
            Commands.error("An account named " + Text.oneLine(name, 64) + " exists already");
            return;
        }
        char[] password = newPassword(passwordFile);
        if (password == null) {
            return;
        }
        try {
            Account account = accounts.create(name, password, new LinkedHashSet<>(roles));
            System.out.println("Added " + account.name() + " with roles "
                    + String.join(", ", account.roles().stream().sorted().toList()));
        } finally {
            Arrays.fill(password, '\0');
        }
    }
}
