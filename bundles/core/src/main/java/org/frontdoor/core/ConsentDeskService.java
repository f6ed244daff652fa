package org.frontdoor.core;

import java.time.Clock;
import java.util.NoSuchElementException;

import org.frontdoor.api.Caller;
import org.frontdoor.api.consent.Consent;
import org.frontdoor.api.consent.ConsentChange;
import org.frontdoor.api.consent.ConsentDesk;
import org.frontdoor.api.consent.ConsentSource;
import org.frontdoor.api.consent.Consents;
import org.frontdoor.api.inbox.Inbox;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * Consent recorded by an admin: the identity must be one of the customer's as the admin sees the customer, the reason
 * is required, and the statement is dated now (so it wins over every STOP and START before it).
 */
@Component(service = ConsentDesk.class)
public class ConsentDeskService implements ConsentDesk {

    /** The role that may record consent by hand. */
    static final String ADMIN = "admin";

    private final Inbox inbox;
    private final Consents consents;
    private final Clock clock;

    @Activate
    public ConsentDeskService(@Reference Inbox inbox, @Reference Consents consents) {
        this(inbox, consents, Clock.systemUTC());
    }

    ConsentDeskService(Inbox inbox, Consents consents, Clock clock) {
        this.inbox = inbox;
        this.consents = consents;
        this.clock = clock;
    }

    @Override
    public Consent record(Caller caller, long customerId, String channel, String handle, boolean optedIn,
                          String reason) {
        if (!caller.hasRole(ADMIN) && !caller.hasRole(Caller.SYSTEM_ROLE)) {
            throw new SecurityException("Recording a customer's consent by hand is for role admin");
        }
        if (channel == null || channel.isBlank() || handle == null || handle.isBlank()) {
            throw new IllegalArgumentException("name the identity: its channel and handle, as the customer shows them");
        }
        if (reason == null || reason.isBlank()) {
            throw new IllegalArgumentException("give a reason: it is shown to every agent and audited");
        }
        if (reason.strip().length() > Consents.MAX_REASON) {
            throw new IllegalArgumentException("a reason is at most " + Consents.MAX_REASON + " characters");
        }
        boolean theirs = inbox.customer(caller, customerId)
                .orElseThrow(() -> new NoSuchElementException("no customer " + customerId))
                .identities().stream().anyMatch(i -> i.channel().equals(channel) && i.handle().equals(handle));
        if (!theirs) {
            throw new NoSuchElementException("customer " + customerId + " has no identity " + channel + " " + handle);
        }
        ConsentChange change = new ConsentChange(channel, handle, optedIn, clock.instant(), ConsentSource.AGENT,
                caller.name(), reason.strip());
        StoreCalls.retryOnce(() -> consents.record(change, caller.name()), "the consent");
        return StoreCalls.retryOnce(() -> consents.find(channel, handle), "the consent").orElseThrow();
    }
}
