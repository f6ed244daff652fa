package org.frontdoor.api;

import java.util.List;
import java.util.NoSuchElementException;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The phone callbacks SLA escalations asked for ({@code callback} in a department's {@code escalation}), published by
 * core. A caller sees the tasks of the departments in its scope; the rest do not exist for it.
 */
@ProviderType
public interface Callbacks {

    /** Tasks, newest first: the open ones only, or all; at most {@code limit} (1 to 1000). */
    List<CallbackTask> list(Caller caller, boolean openOnly, int limit);

    /**
     * Marks a task done, with the caller as who did it.
     *
     * @throws NoSuchElementException when there is no such task in the caller's scope
     * @throws IllegalStateException  when it is done already
     */
    CallbackTask done(Caller caller, long id);

    /**
     * Places a call from an open task through a door that can call ({@link org.frontdoor.api.calls.ChannelCalls}):
     * the agent's phone rings, then the customer's. The call's id, who and when are recorded on the task, in the audit
     * trail and as a {@link ConversationEvent.Type#CALL_PLACED} event, only once the provider accepted the call; a
     * failed attempt is audited with the reason. The task stays open: the caller marks it done after the talk.
     *
     * @param door        the door to call through ({@code sms/main}), or null for the only door that can call
     * @param agentNumber the phone the caller answers on, or null for the one the door has configured for the caller
     * @return the task with the call recorded
     * @throws NoSuchElementException      when there is no such task in the caller's scope
     * @throws IllegalStateException       when it is done already
     * @throws IllegalArgumentException    when {@code agentNumber} is not a phone number
     * @throws org.frontdoor.api.calls.CallRefusedException    no door can call (or several can and none was named, or
     *                                     the named one cannot), the task has no number, or the door or provider
     *                                     refused the call
     * @throws org.frontdoor.api.calls.CallUnavailableException the provider could not take it now
     * @since 1.9
     */
    CallbackTask call(Caller caller, long id, String door, String agentNumber);
}
