package org.frontdoor.web;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BiFunction;

import org.frontdoor.api.Scope;
import org.frontdoor.api.agents.Agent;
import org.frontdoor.api.agents.AgentConflictException;
import org.frontdoor.api.agents.Agents;
import org.frontdoor.api.agents.Presence;

/**
 * Agents in memory, compare-and-set on the version as the store does; the scope is the agent's departments (admins:
 * everything) unless a test gives its own rule.
 */
class MemoryAgents implements Agents {

    final Map<String, Agent> agents = new TreeMap<>();
    BiFunction<String, Set<String>, Scope> scopes;

    MemoryAgents add(String name, int capacity, String... departments) {
        agents.put(name, new Agent(name, null, Set.of(departments), Set.of(), Set.of(), capacity, Presence.OFFLINE,
                Instant.EPOCH, 1, 0));
        return this;
    }

    @Override
    public synchronized List<Agent> list() {
        return List.copyOf(agents.values());
    }

    @Override
    public synchronized Optional<Agent> find(String name) {
        return Optional.ofNullable(agents.get(name));
    }

    @Override
    public synchronized Agent create(Agent agent, String actor) {
        if (agents.containsKey(agent.name())) {
            throw new AgentConflictException("agent " + agent.name() + " exists already");
        }
        Agent stored = new Agent(agent.name(), agent.displayName(), agent.departments(), agent.skills(),
                agent.languages(), agent.capacity(), Presence.OFFLINE, Instant.now(), 1, 0);
        agents.put(agent.name(), stored);
        return stored;
    }

    @Override
    public synchronized Agent update(Agent agent, String actor) {
        Agent old = agents.get(agent.name());
        if (old == null) {
            throw new NoSuchElementException("no agent " + agent.name());
        }
        if (old.version() != agent.version()) {
            throw new AgentConflictException("agent " + agent.name() + " was changed meanwhile");
        }
        Agent stored = new Agent(agent.name(), agent.displayName(), agent.departments(), agent.skills(),
                agent.languages(), agent.capacity(), old.presence(), old.presenceAt(), old.version() + 1, old.open());
        agents.put(agent.name(), stored);
        return stored;
    }

    @Override
    public synchronized Agent setPresence(String name, Presence presence, String actor) {
        Agent old = agents.get(name);
        if (old == null) {
            throw new NoSuchElementException("no agent " + name);
        }
        Agent stored = new Agent(name, old.displayName(), old.departments(), old.skills(), old.languages(),
                old.capacity(), presence, Instant.now(), old.version() + 1, old.open());
        agents.put(name, stored);
        return stored;
    }

    @Override
    public synchronized Scope scopeOf(String user, Set<String> roles) {
        if (scopes != null) {
            return scopes.apply(user, roles);
        }
        if (roles.contains(ADMIN)) {
            return Scope.ALL;
        }
        Agent a = agents.get(user);
        return Scope.departments(a == null ? Set.of() : a.departments());
    }
}
