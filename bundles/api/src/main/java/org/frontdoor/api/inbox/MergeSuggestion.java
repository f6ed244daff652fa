package org.frontdoor.api.inbox;

import java.time.Instant;

/**
 * Two customers that may be one person, for an agent to decide: merge {@code fromCustomer} into {@code intoCustomer}
 * ({@link Inbox#merge}), or leave them apart.
 *
 * @param id           the suggestion
 * @param fromCustomer the customer that proved something (a web chat visitor)
 * @param fromName     its display name, as data
 * @param intoCustomer the customer that owns what was proven (who wrote from that address before)
 * @param intoName     its display name, as data
 * @param reason       why, such as "visitor shop:Xy3 proved email jane@example.com by code"
 * @param suggestedBy  who suggested it (a door)
 * @param suggestedAt  when
 */
public record MergeSuggestion(long id, long fromCustomer, String fromName, long intoCustomer, String intoName,
                              String reason, String suggestedBy, Instant suggestedAt) {
}
