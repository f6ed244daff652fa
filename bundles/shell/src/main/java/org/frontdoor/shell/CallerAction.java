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
        System.err.println(what + " is for role admin");
        return false;
    }
}
