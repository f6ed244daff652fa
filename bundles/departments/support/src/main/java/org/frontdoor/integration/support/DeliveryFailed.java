package org.frontdoor.integration.support;

/**
 * A delivery that did not go through this time. Thrown out of the route, it sends the event back to core, which
 * delivers the same event again after 1 s, then 2, 4, ... up to a minute, and shows the message in
 * {@code frontdoor:event-consumer-list}: the message is a sentence an admin reads, never a secret.
 */
public final class DeliveryFailed extends Exception {
    private static final long serialVersionUID = 1L;

    public DeliveryFailed(String reason) {
        super(reason, null, false, false);
    }
}
