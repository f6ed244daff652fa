package org.frontdoor.api.agents;

import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.frontdoor.api.Scope;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The agents, stored in the database and shared by every node. Changes are compare-and-set on the agent's
 * {@link Agent#version()}: a change made against a stale version is refused with {@link AgentConflictException}.
 * Implemented by core.
 */
@ProviderType
public interface Agents {

    /** The role that sees and changes everything, and alone creates and changes agents. */
    String ADMIN = "admin";

    /** The role that works in its own departments and may assign others there. */
    String SUPERVISOR = "supervisor";

    /** The role that works in its own departments. */
    String AGENT = "agent";

    /** Every agent, by name. */
    List<Agent> list();

    /** One agent by login name; empty when there is none. */
    Optional<Agent> find(String name);

    /**
     * Stores a new agent, offline.
     *
     * @throws AgentConflictException   when an agent of that name exists
     * @throws IllegalArgumentException when a department, skill or language is not a valid id
     */
    Agent create(Agent agent, String actor);

    /**
     * Replaces an agent's display name, departments, skills, languages and capacity, if {@code agent.version()} is
     * still the stored one. Their presence is left as it is ({@link #setPresence}). A lower capacity makes them give
     * back what they hold beyond it and have not answered.
     *
     * @throws java.util.NoSuchElementException when there is no agent of that name
     * @throws AgentConflictException           when the stored version is another
     */
    Agent update(Agent agent, String actor);

    /**
     * Sets an agent's presence. Going away gives back the conversations they have not answered; going offline gives
     * back every one they hold: each goes back to its department's queue and is assigned again where the department
     * assigns.
     *
     * @throws java.util.NoSuchElementException when there is no agent of that name
     */
    Agent setPresence(String name, Presence presence, String actor);

    /**
     * What a logged-in user may see: everything for {@link #ADMIN}; otherwise the departments the user works in as an
     * agent, plus every configured department whose read groups name one of the roles. A user who is no agent and
     * whose roles no department names sees no department.
     */
    Scope scopeOf(String user, Set<String> roles);
}
