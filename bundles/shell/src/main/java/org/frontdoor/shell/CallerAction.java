package org.frontdoor.shell;

import java.util.function.Supplier;

import org.apache.karaf.shell.api.action.Action;
import org.frontdoor.api.Caller;

/**
 * Every {@code frontdoor:} command: the one place a command learns who runs it, so that what a caller may see is
 * decided in one place for the whole console ({@link Commands#currentCaller}) and a test can run any command as
 * any caller.
 */
abstract class CallerAction implements Action {

    /**
     * Runs the command; an error it reported ({@link Commands#error}) makes it fail once it returns: Karaf prints the
     * sentences, and the console session, {@code bin/client -b} and {@code bin/client "COMMAND"} end with exit status 1.
     */
    @Override
    public final Object execute() throws Exception {
        Commands.ERRORS.set(new StringBuilder());
        try {
            Object result = call();
            String errors = Commands.ERRORS.get().toString();
            if (!errors.isEmpty()) {
                throw new CommandException(errors);
            }
            return result;
        } finally {
            Commands.ERRORS.remove();
        }
    }

    /** What the command does; it reports what went wrong through {@link Commands#error}, never by printing. */
    protected abstract Object call() throws Exception;

    /** Where the caller comes from: the console session's user; tests set another. */
    Supplier<Caller> callers = Commands::currentCaller;

    /** Who runs this command, with the roles and scope the inbox limits them to. */
    Caller caller() {
        return callers.get();
    }

    /**
     * Whether the caller may run a command for role admin; when not, says so on stderr as one sentence.
     *
     * @param what what the command shows or does, for the refusal
     */
    boolean admin(String what) {
        Caller caller = caller();
        if (caller.hasRole("admin") || caller.hasRole(Caller.SYSTEM_ROLE)) {
            return true;
        }
        Commands.error(what + " is for role admin");
        return false;
    }
}
