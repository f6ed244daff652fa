package org.frontdoor.api.consent;

import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Customers' consent, per identity, kept in the store (an OSGi service): every node on the database sees the same.
 * A door records what customers say; core refuses a reply to an identity that opted out before it is queued
 * ({@link ConsentRefusedException}) and fails, with the same reason, a reply queued before the opt-out came.
 */
public interface Consents {

    /** The longest reason. */
    int MAX_REASON = 500;

    /** What {@link #record} did. */
    enum Outcome {
        /** The identity's state changed: a {@code consent-changed} event and an audit row were written. */
        CHANGED,
        /** It said what the identity's state already was: kept, with the later time as its latest word. */
        CONFIRMED,
        /** A later statement about the identity is already recorded: this one changes nothing (last by time wins). */
        OUTDATED
    }

    /**
     * Records a statement, in one transaction: the identity's state becomes the latest statement's by time, whatever
     * order nodes record them in. An opt-out also fails the replies to the identity still waiting to be sent, each with
     * its {@code reply-failed} event and the reason {@link Consent#refusal()} gives.
     *
     * @param actor who records it, for the audit trail and the event ({@code system} for a door, an admin's name)
     */
    Outcome record(ConsentChange change, String actor);

    /** The identity's consent, or empty when nothing was ever recorded (then it counts as opted in). */
    Optional<Consent> find(String channel, String handle);

    /** The consent recorded for any of these identities (channel and handle as in {@link #find}). */
    List<Consent> findAll(String channel, Collection<String> handles);
}
