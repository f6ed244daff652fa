package org.frontdoor.api.inbox;

import java.time.Instant;

/**
 * A merge of one customer into another, decided by an agent ({@link Inbox#merge}); undone by {@link Inbox#unmerge}.
 *
 * @param id            the merge
 * @param fromCustomer  the customer merged away: it keeps its id, without identities, until an unmerge
 * @param intoCustomer  the customer that took everything
 * @param reason        why: the suggestion's reason, or null
 * @param mergedBy      who merged
 * @param mergedAt      when
 * @param unmergedBy    who undid it, null while it holds
 * @param unmergedAt    when it was undone, null while it holds
 * @param identities    identities moved
 * @param conversations conversations moved
 * @param messages      messages moved
 */
public record CustomerMerge(long id, long fromCustomer, long intoCustomer, String reason, String mergedBy,
                            Instant mergedAt, String unmergedBy, Instant unmergedAt, int identities, int conversations,
                            int messages) {
}
