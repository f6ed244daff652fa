package org.frontdoor.shell;

import java.util.NoSuchElementException;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.frontdoor.api.Caller;
import org.frontdoor.api.agents.Agent;
import org.frontdoor.api.agents.Agents;

@Command(scope = "frontdoor", name = "agent-set", description = "Changes an agent; what is left out stays. For role "
        + "admin. Refused when someone changed the agent since --version")
@Service
public class AgentSetCommand extends AgentAction {

    @Argument(index = 0, name = "name", required = true, description = "The agent's login name")
    String name;

    @Option(name = "--name", description = "The name shown to people")
    String displayName;

    @Option(name = "--departments", description = "Departments, comma separated (replaces them; \"\" for none)")
    String departments;

    @Option(name = "--skills", description = "Skills, comma separated (replaces them)")
    String skills;

    @Option(name = "--languages", description = "Languages, comma separated (replaces them)")
    String languages;

    @Option(name = "--capacity", description = "The most open conversations assignment gives them")
    Integer capacity;

    @Option(name = "--version", description = "The version you read (agent-show); by default the current one")
    Long version;

    @Override
    void execute(Agents agents, Caller caller) {
        if (!admin(caller)) {
            Commands.error("Agents are changed by role admin");
            return;
        }
        Agent old = agents.find(name).orElseThrow(() -> new NoSuchElementException("No agent "
                + Text.oneLine(name, 100)));
        Agent changed = agents.update(new Agent(old.name(), displayName == null ? old.displayName() : displayName,
                departments == null ? old.departments() : list(departments),
                skills == null ? old.skills() : list(skills), languages == null ? old.languages() : list(languages),
                capacity == null ? old.capacity() : capacity, old.presence(), old.presenceAt(),
                version == null ? old.version() : version, old.open()), caller.name());
        print(changed, System.out);
    }
}
