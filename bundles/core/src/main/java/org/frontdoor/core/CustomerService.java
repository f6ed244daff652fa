package org.frontdoor.core;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

import org.frontdoor.api.Caller;
import org.frontdoor.api.Customers;
import org.frontdoor.api.Identity;
import org.frontdoor.api.ProofChallenge;
import org.frontdoor.api.ProofLimits;
import org.frontdoor.api.ProofOutcome;
import org.frontdoor.api.Quotas;
import org.frontdoor.api.inbox.InboxUnavailableException;
import org.frontdoor.store.InboxStore;
import org.frontdoor.store.StoreUnavailableException;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * Customers across doors over the store: identities linked only on a proof, never merged by one; and the counts that
 * bound proofs and new visitors, kept in the database so they hold across nodes.
 */
@Component(service = {Customers.class, Quotas.class})
public class CustomerService implements Customers, Quotas {

    private final InboxStore store;

    @Activate
    public CustomerService(@Reference InboxStore store) {
        this.store = store;
    }

    @Override
    public long linkVerified(Caller caller, Identity known, Identity proven) {
        Objects.requireNonNull(caller, "caller");
        Objects.requireNonNull(known, "known");
        Objects.requireNonNull(proven, "proven");
        if (known.channel().equals(proven.channel()) && known.handle().equals(proven.handle())) {
            throw new IllegalArgumentException("an identity does not prove itself");
        }
        return call(() -> store.linkVerified(known, proven, caller.name()));
    }

    @Override
    public List<Identity> verifiedIdentities(Caller caller, Identity of, String channel) {
        Objects.requireNonNull(caller, "caller");
        return call(() -> store.verifiedIdentities(of, channel));
    }

    @Override
    public ProofChallenge startProof(Caller caller, Identity known, Identity address, ProofLimits limits) {
        Objects.requireNonNull(caller, "caller");
        Objects.requireNonNull(known, "known");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(limits, "limits");
        if (known.channel().equals(address.channel()) && known.handle().equals(address.handle())) {
            throw new IllegalArgumentException("an identity does not prove itself");
        }
        return call(() -> store.startProof(known, address, limits, caller.name()));
    }

    @Override
    public ProofOutcome proveByCode(Caller caller, String challengeId, Identity known, String code) {
        Objects.requireNonNull(caller, "caller");
        Objects.requireNonNull(known, "known");
        return call(() -> store.proveByCode(challengeId, known, code, caller.name()));
    }

    @Override
    public boolean tryTake(Caller caller, String key, int limit, Duration window) {
        Objects.requireNonNull(caller, "caller");
        Objects.requireNonNull(key, "key");
        if (limit < 1 || window == null || window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("a limit is positive, over a positive window");
        }
        try {
            try {
                return store.tryTake(key, limit, window);
            } catch (org.frontdoor.store.StoreConflictException collided) {
                return store.tryTake(key, limit, window); // two nodes opened the same window at once
            }
        } catch (StoreUnavailableException | org.frontdoor.store.StoreConflictException e) {
            throw new InboxUnavailableException(e.getMessage(), e);
        }
    }

    /** The store's answer; a database away is the api's InboxUnavailableException. */
    private static <T> T call(java.util.function.Supplier<T> work) {
        try {
            return work.get();
        } catch (StoreUnavailableException e) {
            throw new InboxUnavailableException(e.getMessage(), e);
        }
    }
}
