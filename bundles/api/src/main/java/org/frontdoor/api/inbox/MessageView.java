package org.frontdoor.api.inbox;

import java.time.Instant;

import org.frontdoor.api.Visibility;

/**
 * A customer message as agents see it.
 *
 * @param id           message id
 * @param externalId   the channel's id of it
 * @param visibility   public or private
 * @param authorHandle the author's handle on the channel
 * @param authorName   the author's display name, may be null
 * @param text         the text, as data: views must escape it
 * @param receivedAt   when it arrived
 */
public record MessageView(long id, String externalId, Visibility visibility, String authorHandle, String authorName,
                          String text, Instant receivedAt) {
}
