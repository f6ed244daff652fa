package org.frontdoor.shell;

import java.util.NoSuchElementException;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.frontdoor.api.Caller;
import org.frontdoor.api.agents.Agent;
import org.frontdoor.api.agents.Agents;
import org.frontdoor.api.agents.Presence;

@Command(scope = "frontdoor", name = "agent-presence", description = "Sets an agent online, away or offline: your "
        + "own, or another's as a supervisor of their department or an admin. Away and offline give back what they "
        + "have not answered")
@Service
public class AgentPresenceCommand extends AgentAction {

    @Argument(index = 0, name = "name", required = true, description = "The agent's login name")
    String name;

    @Argument(index = 1, name = "presence", required = true, description = "online, away or offline")
    String presence;

    @Override
    void execute(Agents agents, Caller caller) {
        Presence to = Presence.fromId(presence);
        Agent agent = agents.find(name).orElseThrow(() -> new NoSuchElementException("No agent "
                + Text.oneLine(name, 100)));
        boolean supervises = caller.hasRole(Agents.SUPERVISOR)
                && agent.departments().stream().anyMatch(caller.scope()::covers);
        if (!caller.name().equals(agent.name()) && !supervises && !admin(caller)) {
            Commands.error(Text.oneLine(caller.name(), 100) + " may set their own presence; a supervisor of the "
                    + "agent's department or an admin sets another's");
            return;
        }
        Agent done = agents.setPresence(agent.name(), to, caller.name());
        System.out.println("Agent " + Text.oneLine(done.name(), 100) + " is " + done.presence().id() + " ("
                + done.open() + " of " + done.capacity() + " open)");
    }
}
