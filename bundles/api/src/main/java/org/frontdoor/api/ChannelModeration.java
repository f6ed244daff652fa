package org.frontdoor.api;

import java.util.Set;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Optional for a door: implemented by a {@link Channel} service whose network lets the account hide a public message
 * (a comment under the company's post, a reply to its tweet) from other readers, and show it again. Core finds it by
 * {@code channel instanceof ChannelModeration}; a door without it, or whose {@link #moderationActions()} lack the
 * action, is answered "this door cannot hide messages" and nothing is asked of the network.
 *
 * <h2>What core guarantees the door</h2>
 * Core calls {@link #setHidden} only for a public, inbound message of this door (never a direct message, never a
 * reply of ours), by the message's {@link Message#externalId() external id}, for a caller with role {@code admin} who
 * gave a reason; the call comes from the admin's request thread, one call at a time per message on a node. The
 * message itself stays in Frontdoor whatever the network does: Frontdoor never deletes what a customer wrote.
 *
 * <h2>What the door guarantees core</h2>
 * {@link #setHidden} returns only once the network confirmed the change; core records the message as hidden (or
 * shown) only after that, so a failure never leaves Frontdoor saying a message is hidden when it is not. Hiding what is
 * hidden already (and showing what is shown) succeeds: a retry after a lost answer is safe. The call ends within the
 * door's own request timeout. Messages of exceptions are sentences for an admin: they name the network and what it
 * answered, a host and port at most, never a token, a URL's path or query.
 */
@ConsumerType
public interface ChannelModeration {

    /** What a door can do to a public message on its network. */
    enum Action {
        /** Hide it from everyone but its author (X's hidden replies, a page's hidden comment). */
        HIDE,
        /** Show a message hidden earlier again. */
        UNHIDE
    }

    /**
     * What this door can do now: empty when its network offers nothing, or this instance is configured without what
     * it needs (then {@link #setHidden} refuses with the reason). Must be cheap; it is read before each request.
     */
    Set<Action> moderationActions();

    /**
     * Hides a public message on the network, or shows it again.
     *
     * @param externalId the message's id on the network ({@link Message#externalId()})
     * @param hidden     true to hide it, false to show it again
     * @throws ModerationRefusedException    the network will never do this (not a reply to the account's post, the
     *                                       message is gone, the account may not): asking again changes nothing
     * @throws ModerationUnavailableException the network could not do it now (no answer, 5xx, a rate limit, a refused
     *                                       token): it may work later; the door's health says so where it applies
     * @throws InterruptedException          the caller's thread was interrupted while waiting for the network
     */
    void setHidden(String externalId, boolean hidden) throws ModerationRefusedException,
            ModerationUnavailableException, InterruptedException;
}
