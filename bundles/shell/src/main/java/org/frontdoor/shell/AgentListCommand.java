package org.frontdoor.shell;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.frontdoor.api.Caller;
import org.frontdoor.api.agents.Agent;
import org.frontdoor.api.agents.Agents;

@Command(scope = "frontdoor", name = "agent-list", description = "Lists the agents: presence, open conversations of "
        + "their capacity, departments")
@Service
public class AgentListCommand extends AgentAction {

    @Override
    void execute(Agents agents, Caller caller) {
        var all = agents.list();
        if (all.isEmpty()) {
            System.out.println("No agents (frontdoor:agent-add adds one)");
            return;
        }
        System.out.printf("%-20s %-8s %-9s %s%n", "AGENT", "PRESENCE", "OPEN", "DEPARTMENTS");
        for (Agent a : all) {
            System.out.printf("%-20s %-8s %-9s %s%n", Text.oneLine(a.name(), 20), a.presence().id(),
                    a.open() + "/" + a.capacity(), join(a.departments()));
        }
    }
}
