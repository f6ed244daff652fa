package org.frontdoor.api.calls;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Optional for a door: implemented by a {@link org.frontdoor.api.Channel} service whose provider can place a phone
 * call that connects an agent's phone with a customer's (Twilio's Calls API for the SMS and voice door). Core finds it
 * by {@code channel instanceof ChannelCalls}; with no door that can call, an agent who asks for a call is answered
 * "no door can place calls" and nothing is asked of any provider.
 *
 * <h2>What core guarantees the door</h2>
 * Core calls {@link #call} for an agent whose scope covers the callback task's department, for an open task with a
 * customer number, from the agent's request thread, one call at a time per task on a node. It records the call (its id,
 * who, when) on the task, in the audit trail and on the event log only after {@link #call} returned.
 *
 * <h2>What the door guarantees core</h2>
 * {@link #call} returns only once the provider accepted the call (it is queued or ringing), and ends within the door's
 * own request timeout. Exceptions carry a sentence for the agent that names the provider and what it answered, a host
 * and port at most: never a token, a URL's path or query.
 */
@ConsumerType
public interface ChannelCalls {

    /**
     * Whether this door can place calls now: false when this instance is configured without what it needs (then
     * {@link #call} refuses with the reason). Must be cheap; it is read before each request.
     */
    boolean canCall();

    /**
     * Places a call that connects the agent's phone with the customer's.
     *
     * @param request who to connect
     * @return the provider's id of the call and the numbers it used
     * @throws CallRefusedException    the provider or the door will not place this call (no agent number, a number it
     *                                 refuses, an account that may not call it): asking again changes nothing
     * @throws CallUnavailableException the provider could not take the call now (no answer, 5xx, a rate limit, refused
     *                                 credentials): it may work later; the door's health says so where it applies
     * @throws InterruptedException    the caller's thread was interrupted while waiting for the provider
     */
    PlacedCall call(CallRequest request) throws InterruptedException;
}
