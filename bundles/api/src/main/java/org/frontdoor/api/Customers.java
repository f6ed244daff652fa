package org.frontdoor.api;

import java.util.List;
import java.util.NoSuchElementException;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Who the customers are across doors: identities proven to belong to the same person are one customer. Published by
 * core as an OSGi service, for doors that confirm an identity (a web chat visitor's e-mail address confirmed by a
 * code sent to it). Nothing is ever joined on a claim alone: only {@link #linkVerified} joins.
 */
@ProviderType
public interface Customers {

    /**
     * Records that the author known as {@code known} proved to own {@code proven} (typed the code sent to that
     * address): both become identities of one customer, {@code proven} marked verified. When {@code proven} belongs
     * to another customer already, that customer and {@code known}'s become one: every identity, conversation and
     * message of {@code known}'s customer moves to it. Audited with the caller's name.
     *
     * @return the id of the customer both identities now belong to
     * @throws NoSuchElementException when no message of {@code known} was ever stored
     */
    long linkVerified(Caller caller, Identity known, Identity proven);

    /**
     * The identities on {@code channel} that the customer of {@code of} proved to own, most recently verified first:
     * where to reach them on their preferred channel. Empty when there are none, or {@code of} is unknown.
     */
    List<Identity> verifiedIdentities(Caller caller, Identity of, String channel);
}
