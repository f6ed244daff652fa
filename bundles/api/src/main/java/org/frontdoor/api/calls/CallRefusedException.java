package org.frontdoor.api.calls;

/**
 * A call that will not be placed as asked: no door can call, the task has no number, the door knows no number for the
 * agent, the provider refused the number. Asking again unchanged gives the same answer. The message is a sentence for
 * the agent.
 */
public class CallRefusedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public CallRefusedException(String message) {
        super(message);
    }
}
