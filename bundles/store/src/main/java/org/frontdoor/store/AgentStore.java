package org.frontdoor.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.frontdoor.api.Department;
import org.frontdoor.api.agents.Agent;
import org.frontdoor.api.agents.Presence;

/**
 * The agents and assignment. Agent changes are compare-and-set on the agent's version. Assignment claims the queued
 * conversations it gives (rows other transactions hold are skipped) and locks each agent it gives one to before
 * counting what they hold, so two nodes never assign one conversation twice nor put an agent over capacity.
 */
public interface AgentStore {

    List<Agent> agents();

    Optional<Agent> agent(String name);

    /** @throws org.frontdoor.api.agents.AgentConflictException when the name is taken */
    Agent createAgent(Agent agent, String actor);

    /**
     * Replaces what an admin sets, if the version is still the stored one; gives back what a lower capacity leaves
     * over it, unanswered.
     *
     * @throws java.util.NoSuchElementException               when there is no such agent
     * @throws org.frontdoor.api.agents.AgentConflictException when the version is stale
     */
    Agent updateAgent(Agent agent, String actor);

    /**
     * Sets the presence; away gives back the agent's unanswered conversations, offline every one they hold, in the
     * same transaction.
     *
     * @throws java.util.NoSuchElementException when there is no such agent
     */
    Agent setPresence(String name, Presence presence, String actor);

    /**
     * Gives up to {@code limit} of a department's queued, unassigned conversations to its online agents under capacity,
     * as the strategy says, highest priority and oldest first. A conversation no agent can take stays queued.
     *
     * @return what was assigned
     */
    List<Assigned> assignQueued(String department, Department.Assignment strategy, int limit);

    /**
     * Gives back, unanswered, what agents hold while not online (away: unanswered; offline: all) or beyond their
     * capacity, up to {@code limit} conversations: a presence set before, a capacity lowered, a manual assignment.
     *
     * @return how many went back to their queue
     */
    int giveBack(int limit);

    /**
     * Ends the snoozes whose time came by {@code now}, or whose customer wrote since: QUEUED, or ASSIGNED when the
     * conversation has an assignee; an {@code unsnoozed} event each.
     *
     * @return the conversations woken
     */
    List<Long> wakeSnoozed(Instant now, int limit);

    /** A conversation assignment gave to an agent. */
    record Assigned(long conversationId, String agent, String department) {
    }
}
