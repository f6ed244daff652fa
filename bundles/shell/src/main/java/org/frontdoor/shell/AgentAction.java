package org.frontdoor.shell;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Set;

import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.frontdoor.api.Caller;
import org.frontdoor.api.agents.Agent;
import org.frontdoor.api.agents.AgentConflictException;
import org.frontdoor.api.agents.Agents;
import org.frontdoor.api.inbox.InboxUnavailableException;

/**
 * A command on the agents, as the session's user; it stays listed and says why it cannot work while core is stopped.
 * A refusal is one sentence on stderr.
 */
abstract class AgentAction extends CallerAction {

    @Reference(optional = true)
    Agents agents;

    @Override
    protected Object call() {
        if (agents == null) {
            Commands.error(Commands.CORE_DOWN);
            return null;
        }
        try {
            execute(agents, caller());
        } catch (InboxUnavailableException e) {
            Commands.error("Frontdoor cannot answer now (" + Commands.reason(e) + "); try again shortly");
        } catch (NoSuchElementException e) {
            Commands.error(Commands.reason(e));
        } catch (AgentConflictException | IllegalArgumentException e) {
            Commands.error("Refused: " + Commands.reason(e));
        }
        return null;
    }

    abstract void execute(Agents agents, Caller caller);

    /** Comma separated values; null when the option was left out. */
    static Set<String> list(String value) {
        if (value == null) {
            return null;
        }
        Set<String> out = new LinkedHashSet<>();
        Arrays.stream(value.split(",")).map(String::strip).filter(v -> !v.isEmpty()).forEach(out::add);
        return out;
    }

    static boolean admin(Caller caller) {
        return caller.roles().isEmpty() || caller.hasRole(Agents.ADMIN); // a local console without JAAS is Karaf's
    }

    static void print(Agent a, PrintStream out) {
        out.println("Agent " + Text.oneLine(a.name(), 100));
        out.println("  Name:        " + Text.oneLine(a.displayName(), 100));
        out.println("  Presence:    " + a.presence().id() + (a.presenceAt() == null ? "" : " since " + a.presenceAt()));
        out.println("  Open:        " + a.open() + " of " + a.capacity());
        out.println("  Departments: " + join(a.departments()));
        out.println("  Skills:      " + join(a.skills()));
        out.println("  Languages:   " + join(a.languages()));
        out.println("  Version:     " + a.version());
    }

    static String join(Set<String> values) {
        return values.isEmpty() ? "(none)" : Text.oneLine(String.join(", ", List.copyOf(values)), 300);
    }
}
