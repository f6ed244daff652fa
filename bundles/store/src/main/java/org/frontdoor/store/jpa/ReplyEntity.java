package org.frontdoor.store.jpa;

import java.time.Instant;

import javax.persistence.Column;
import javax.persistence.Entity;
import javax.persistence.EnumType;
import javax.persistence.Enumerated;
import javax.persistence.GeneratedValue;
import javax.persistence.GenerationType;
import javax.persistence.Id;
import javax.persistence.SequenceGenerator;
import javax.persistence.Table;
import javax.persistence.Version;

import org.frontdoor.api.Visibility;
import org.frontdoor.api.delivery.DeliveryState;
import org.frontdoor.api.inbox.ReplyStatus;

@Entity
@Table(name = "reply")
public class ReplyEntity {

    @Id
    @SequenceGenerator(name = "reply_seq", sequenceName = "reply_seq", allocationSize = 50)
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "reply_seq")
    Long id;

    @Column(name = "conversation_id", nullable = false)
    long conversationId;

    @Column(nullable = false)
    String channel;

    @Column(nullable = false)
    String instance;

    @Column(name = "body", nullable = false)
    String text;

    @Column(nullable = false)
    String author;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    Visibility visibility;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    ReplyStatus status;

    int attempts;

    /** Set when the reply goes through another door than the conversation's: its recipient there. */
    @Column(name = "recipient_handle")
    String recipientHandle;

    @Column(name = "recipient_name")
    String recipientName;

    @Column(name = "last_error")
    String lastError;

    @Column(name = "created_at", nullable = false)
    Instant createdAt;

    @Column(name = "sent_at")
    Instant sentAt;

    @Column(name = "next_attempt_at")
    Instant nextAttemptAt;

    @Column(name = "in_reply_to_message_id")
    Long inReplyToMessageId;

    /** Its place in its conversation, in commit order (V8). */
    @Column(name = "seq", nullable = false)
    long seq;

    /** What the door's vendor last reported of it (V20): DELIVERED, READ or FAILED, or null. */
    @Enumerated(EnumType.STRING)
    @Column(name = "delivery_state")
    DeliveryState deliveryState;

    @Column(name = "delivery_at")
    Instant deliveryAt;

    @Column(name = "delivery_reason")
    String deliveryReason;

    @Version
    long version;
}
