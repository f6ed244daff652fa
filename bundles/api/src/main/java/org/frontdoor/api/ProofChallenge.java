package org.frontdoor.api;

import java.time.Instant;
import java.util.Objects;

/**
 * A code issued to prove an address ({@link Customers#startProof}). The door sends {@code code} to the address and
 * gives the requester {@code id} only: the id is random and says nothing about the code, which is kept server-side as a
 * salted hash.
 *
 * @param id        the challenge, what the requester sends back with the code
 * @param code      the code to send to the address; never to the requester
 * @param expiresAt after this the code is refused
 */
public record ProofChallenge(String id, String code, Instant expiresAt) {

    public ProofChallenge {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(expiresAt, "expiresAt");
    }

    /** Never the code: a challenge may end up in a log. */
    @Override
    public String toString() {
        return "ProofChallenge[id=" + id + ", expiresAt=" + expiresAt + "]";
    }
}
