package org.frontdoor.api.inbox;

import java.time.Instant;
import java.util.List;

import org.frontdoor.api.Annotation;
import org.frontdoor.api.Visibility;

/**
 * A customer message as agents see it.
 *
 * @param id           message id
 * @param externalId   the channel's id of it
 * @param visibility   public or private
 * @param customerId   the customer who wrote it (in a thread with several people, not always the conversation's)
 * @param authorHandle the author's handle on the channel
 * @param authorName   the author's display name, may be null
 * @param text         the text, as data: views must escape it
 * @param receivedAt   when it arrived
 * @param annotations  what the channel and the classifiers found (language, sentiment, ...)
 */
public record MessageView(long id, String externalId, Visibility visibility, long customerId, String authorHandle,
                          String authorName, String text, Instant receivedAt, List<Annotation> annotations) {

    public MessageView {
        annotations = List.copyOf(annotations);
    }
}
