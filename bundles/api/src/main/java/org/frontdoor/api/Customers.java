package org.frontdoor.api;

import java.util.List;
import java.util.NoSuchElementException;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Who the customers are across doors: identities proven to belong to the same person are one customer. Published by
 * core as an OSGi service, for doors that confirm an identity (a web chat visitor's e-mail address confirmed by a
 * code sent to it). Nothing is ever joined on a claim alone, and a door's proof never merges two customers: it links
 * an address new to Frontdoor, or suggests a merge that an agent decides ({@code Inbox.merge}).
 */
@ProviderType
public interface Customers {

    /**
     * Records that the author known as {@code known} proved to own {@code proven} (typed the code sent to that
     * address). When {@code proven} is new, or belongs to {@code known}'s customer or to a customer without history,
     * it becomes a verified identity of {@code known}'s customer. When it belongs to another customer with history,
     * nothing moves: a merge is suggested to the agents, with the reason ({@code Inbox.mergeSuggestions}). Audited
     * with the caller's name. Doors that send a code use {@link #startProof} and {@link #proveByCode}.
     *
     * @return the id of {@code known}'s customer
     * @throws NoSuchElementException when no message of {@code known} was ever stored
     */
    long linkVerified(Caller caller, Identity known, Identity proven);

    /**
     * The identities on {@code channel} that the customer of {@code of} proved to own, most recently verified first:
     * where to reach them on their preferred channel. Empty when there are none, or {@code of} is unknown.
     */
    List<Identity> verifiedIdentities(Caller caller, Identity of, String channel);

    /**
     * Issues a code that proves {@code address} to the author known as {@code known}: the caller sends
     * {@link ProofChallenge#code()} to the address and gives the requester {@link ProofChallenge#id()} only. The code
     * is kept server-side as a salted hash; it expires after {@link ProofLimits#validFor()}.
     *
     * @throws RateLimitedException   when the address, or {@code known}, had as many codes this hour as the limits say
     * @throws NoSuchElementException when no message of {@code known} was ever stored
     */
    ProofChallenge startProof(Caller caller, Identity known, Identity address, ProofLimits limits);

    /**
     * Checks a code typed back for a challenge of {@code known}'s. A right code links the address as
     * {@link #linkVerified} does (or suggests a merge); a wrong one counts against the challenge, which locks at
     * {@link ProofLimits#attempts()} wrong codes.
     */
    ProofOutcome proveByCode(Caller caller, String challengeId, Identity known, String code);
}
