package org.frontdoor.shell;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.NoSuchElementException;

import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.console.Session;
import org.frontdoor.api.accounts.Account;
import org.frontdoor.api.accounts.AccountExistsException;
import org.frontdoor.api.accounts.Accounts;

/**
 * A command on the login accounts, for admins only: anyone else gets a one-sentence refusal. Passwords are read from
 * the console without echo, or from the first line of a file ({@code --password-file}), never from the command line,
 * which the shell's history keeps.
 */
abstract class UserAction extends CallerAction {

    static final String ACCOUNTS_DOWN = "Frontdoor's login accounts are not available (is frontdoor-store running?)";

    @Reference(optional = true)
    Accounts accounts;

    @Reference(optional = true)
    Session session;

    @Override
    protected Object call() throws Exception {
        if (accounts == null) {
            Commands.error(ACCOUNTS_DOWN);
            return null;
        }
        if (!caller().roles().contains("admin")) {
            Commands.error("Only an admin manages login accounts");
            return null;
        }
        try {
            execute(accounts);
        } catch (AccountExistsException | IllegalArgumentException | NoSuchElementException e) {
            Commands.error(Commands.reason(e));
        }
        return null;
    }

    abstract void execute(Accounts accounts) throws Exception;

    /** The new password: the file's first line, or typed twice on the console without echo; null when refused. */
    char[] newPassword(String file) throws IOException {
        if (file != null) {
            List<String> lines = Files.readAllLines(Path.of(file), StandardCharsets.UTF_8);
            if (lines.isEmpty() || lines.get(0).isEmpty()) {
                Commands.error("The password file " + file + " is empty");
                return null;
            }
            return lines.get(0).toCharArray();
        }
        if (session == null) {
            Commands.error("No console to read the password from: give --password-file");
            return null;
        }
        String first;
        String again;
        try {
            first = session.readLine("Password: ", '\0');
            again = session.readLine("Password again: ", '\0');
        } catch (UnsupportedOperationException noTerminal) {
            // bin/client "COMMAND" and SSH exec have no terminal to type a password on
            Commands.error("No console to type the password on: give --password-file");
            return null;
        }
        if (first == null || !first.equals(again)) {
            Commands.error("The two passwords differ; nothing was changed");
            return null;
        }
        return first.toCharArray();
    }

    /**
     * Why a change would leave no enabled admin (nobody could manage accounts then), or null when it would not.
     *
     * @param staysAdmin whether {@code name} is an enabled admin after the change
     */
    static String lastAdmin(Accounts accounts, String name, boolean staysAdmin) {
        if (staysAdmin) {
            return null;
        }
        List<Account> admins = accounts.list().stream().filter(a -> !a.disabled() && a.roles().contains("admin"))
                .toList();
        return admins.size() == 1 && admins.get(0).name().equals(name)
                ? name + " is the last enabled admin; make another admin first" : null;
    }
}
