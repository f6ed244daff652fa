package org.frontdoor.api.agents;

/**
 * A change of an agent made against a version that is no longer the stored one (someone else changed the agent
 * meanwhile), or a create of a name that exists: nothing was changed, and the message says why.
 */
public class AgentConflictException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public AgentConflictException(String message) {
        super(message);
    }
}
