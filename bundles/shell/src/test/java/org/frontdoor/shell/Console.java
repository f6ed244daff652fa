package org.frontdoor.shell;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.security.PrivilegedExceptionAction;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import javax.security.auth.Subject;

import org.apache.karaf.jaas.boot.principal.RolePrincipal;
import org.apache.karaf.jaas.boot.principal.UserPrincipal;
import org.apache.karaf.shell.api.action.Action;

/** Runs a command as the Karaf console would and keeps what it printed; Karaf points System.out at the session. */
public final class Console {

    /** What a command printed. */
    public record Output(String out, String err) {

        /** The cells of each table line (header first), split at the column separators. */
        public List<List<String>> table() {
            return out.lines().filter(line -> line.contains("|") || line.contains("│"))
                    .map(line -> Arrays.stream(line.split("[|│]", -1)).map(String::strip).toList()).toList();
        }
    }

    private Console() {
    }

    /**
     * Runs a command as Karaf runs one of a logged-in session: inside Subject.doAs with the user's principals and a
     * role principal for each role.
     */
    @SuppressWarnings("removal")
    public static Output runAs(String user, Set<String> roles, Action action) throws Exception {
        Set<Principal> principals = new HashSet<>();
        principals.add(new UserPrincipal(user));
        roles.forEach(role -> principals.add(new RolePrincipal(role)));
        Subject subject = new Subject(true, principals, Set.of(), Set.of());
        return Subject.doAs(subject, (PrivilegedExceptionAction<Output>) () -> run(action));
    }

    /** An action whose failure ({@link CommandException}) is let out of {@link #run}, as Karaf gets it. */
    public record Raw(Action action) implements Action {
        @Override
        public Object execute() throws Exception {
            return action.execute();
        }
    }

    public static Output run(Action action) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            action.execute();
        } catch (CommandException failed) {
            if (action instanceof Raw) {
                throw failed;
            }
            // printed by Karaf as the command ends; here it is kept with what went to stderr
            System.err.println(failed.getNiceHelp());
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
        return new Output(out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
