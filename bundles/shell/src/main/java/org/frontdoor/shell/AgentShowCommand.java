package org.frontdoor.shell;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.frontdoor.api.Caller;
import org.frontdoor.api.agents.Agents;

@Command(scope = "frontdoor", name = "agent-show", description = "Shows an agent: departments, skills, languages, "
        + "capacity and presence")
@Service
public class AgentShowCommand extends AgentAction {

    @Argument(index = 0, name = "name", required = true, description = "The agent's login name")
    String name;

    @Override
    void execute(Agents agents, Caller caller) {
        agents.find(name).ifPresentOrElse(a -> print(a, System.out),
                () -> Commands.error("No agent " + Text.oneLine(name, 100)));
    }
}
