package org.frontdoor.shell;

import java.util.Arrays;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.frontdoor.api.accounts.Accounts;

@Command(scope = "frontdoor", name = "user-passwd", description = "Sets the password of a login account (admins "
        + "only); typed twice without echo, or read from --password-file")
@Service
public class UserPasswdCommand extends UserAction {

    @Argument(index = 0, name = "name", description = "The login name", required = true)
    String name;

    @Option(name = "--password-file", description = "Read the password from the first line of this file")
    String passwordFile;

    @Override
    void execute(Accounts accounts) throws Exception {
        if (accounts.find(name).isEmpty()) {
            Commands.error("No account named " + Text.oneLine(name, 64));
            return;
        }
        char[] password = newPassword(passwordFile);
        if (password == null) {
            return;
        }
        try {
            accounts.setPassword(name, password);
            System.out.println("Changed the password of " + name);
        } finally {
            Arrays.fill(password, '\0');
        }
    }
}
