package org.frontdoor.api.inbox;

import java.time.Instant;
import java.util.List;

import org.frontdoor.api.Annotation;
import org.frontdoor.api.Attachment;
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
 * @param attachments  what was attached, in the order sent; one without a {@code blobRef} was refused by its door
 *                     (too large, a type it does not take) and only its name, type and size are known
 * @param seq          its place in the conversation among its messages and replies, in the order they were committed
 *                     (ids do not say it: nodes take ids in blocks); 0 when not known
 * @param hidden       who hid it on its network, when and why ({@link Inbox#hide}); null while it is shown there. A
 *                     hidden message is still shown to agents, with this mark
 */
public record MessageView(long id, String externalId, Visibility visibility, long customerId, String authorHandle,
                          String authorName, String text, Instant receivedAt, List<Annotation> annotations,
                          List<Attachment> attachments, long seq, Hidden hidden) {

    public MessageView {
        annotations = List.copyOf(annotations);
        attachments = List.copyOf(attachments);
    }

    /**
     * A message hidden on its network by an admin.
     *
     * @param by     the admin
     * @param at     when the network confirmed it
     * @param reason the reason the admin gave
     */
    public record Hidden(String by, Instant at, String reason) {
    }

    /** A message shown on its network (not hidden). */
    public MessageView(long id, String externalId, Visibility visibility, long customerId, String authorHandle,
                       String authorName, String text, Instant receivedAt, List<Annotation> annotations,
                       List<Attachment> attachments, long seq) {
        this(id, externalId, visibility, customerId, authorHandle, authorName, text, receivedAt, annotations,
                attachments, seq, null);
    }

    /** A message whose place in the conversation is not known. */
    public MessageView(long id, String externalId, Visibility visibility, long customerId, String authorHandle,
                       String authorName, String text, Instant receivedAt, List<Annotation> annotations,
                       List<Attachment> attachments) {
        this(id, externalId, visibility, customerId, authorHandle, authorName, text, receivedAt, annotations,
                attachments, 0);
    }

    /** A message without attachments. */
    public MessageView(long id, String externalId, Visibility visibility, long customerId, String authorHandle,
                       String authorName, String text, Instant receivedAt, List<Annotation> annotations) {
        this(id, externalId, visibility, customerId, authorHandle, authorName, text, receivedAt, annotations, List.of(),
                0);
    }
}
