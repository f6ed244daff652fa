package org.frontdoor.shell;

import java.util.Set;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.frontdoor.api.Caller;
import org.frontdoor.api.agents.Agent;
import org.frontdoor.api.agents.Agents;

@Command(scope = "frontdoor", name = "agent-add", description = "Adds an agent (a login name of the realm), offline; "
        + "for role admin")
@Service
public class AgentAddCommand extends AgentAction {

    @Argument(index = 0, name = "name", required = true, description = "The agent's login name")
    String name;

    @Option(name = "--name", description = "The name shown to people")
    String displayName;

    @Option(name = "--departments", description = "Departments, comma separated")
    String departments;

    @Option(name = "--skills", description = "Skills, comma separated")
    String skills;

    @Option(name = "--languages", description = "Languages, comma separated (en, de, pt-BR)")
    String languages;

    @Option(name = "--capacity", description = "The most open conversations assignment gives them (default 5)")
    int capacity = 5;

    @Override
    void execute(Agents agents, Caller caller) {
        if (!admin(caller)) {
            Commands.error("Agents are added by role admin");
            return;
        }
        Agent a = agents.create(Agent.of(name, displayName, orEmpty(list(departments)), orEmpty(list(skills)),
                orEmpty(list(languages)), capacity), caller.name());
        System.out.println("Agent " + Text.oneLine(a.name(), 100) + " added, offline, capacity " + a.capacity());
    }

    private static Set<String> orEmpty(Set<String> values) {
        return values == null ? Set.of() : values;
    }
}
