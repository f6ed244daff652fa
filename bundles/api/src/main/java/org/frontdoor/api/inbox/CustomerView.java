package org.frontdoor.api.inbox;

import java.time.Instant;
import java.util.List;

/**
 * One customer across all channels.
 *
 * @param id            customer id
 * @param displayName   best known name
 * @param createdAt     first contact
 * @param identities    every identity merged into this customer
 * @param conversations the customer's conversations, newest activity first
 */
public record CustomerView(long id, String displayName, Instant createdAt, List<IdentityView> identities,
                           List<ConversationSummary> conversations) {

    public CustomerView {
        identities = List.copyOf(identities);
        conversations = List.copyOf(conversations);
    }
}
