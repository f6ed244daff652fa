package org.frontdoor.core;

import java.util.List;
import java.util.Objects;

import org.frontdoor.api.Caller;
import org.frontdoor.api.Customers;
import org.frontdoor.api.Identity;
import org.frontdoor.api.inbox.InboxUnavailableException;
import org.frontdoor.store.InboxStore;
import org.frontdoor.store.StoreUnavailableException;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** Customers across doors over the store: identities joined only on a proof. */
@Component(service = Customers.class)
public class CustomerService implements Customers {

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
        try {
            return store.linkVerified(known, proven, caller.name());
        } catch (StoreUnavailableException e) {
            throw new InboxUnavailableException(e.getMessage(), e);
        }
    }

    @Override
    public List<Identity> verifiedIdentities(Caller caller, Identity of, String channel) {
        Objects.requireNonNull(caller, "caller");
        try {
            return store.verifiedIdentities(of, channel);
        } catch (StoreUnavailableException e) {
            throw new InboxUnavailableException(e.getMessage(), e);
        }
    }
}
