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

import org.frontdoor.api.Direction;
import org.frontdoor.api.Visibility;

@Entity
@Table(name = "message")
public class MessageEntity {

    @Id
    @SequenceGenerator(name = "message_seq", sequenceName = "message_seq", allocationSize = 50)
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "message_seq")
    Long id;

    @Column(name = "conversation_id", nullable = false)
    long conversationId;

    @Column(name = "customer_id", nullable = false)
    long customerId;

    @Column(name = "identity_id", nullable = false)
    long identityId;

    @Column(nullable = false)
    String channel;

    @Column(nullable = false)
    String instance;

    @Column(name = "external_id", nullable = false)
    String externalId;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    Direction direction;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    Visibility visibility;

    @Column(name = "thread_ref")
    String threadRef;

    @Column(name = "body", nullable = false)
    String text;

    @Column(name = "raw_payload")
    String rawPayload;

    @Column(name = "received_at", nullable = false)
    Instant receivedAt;

    @Column(name = "stored_at", nullable = false)
    Instant storedAt;

    /** Its place in its conversation, in commit order (V8). */
    @Column(name = "seq", nullable = false)
    long seq;

    /** When an admin's hiding of it on its network was confirmed (V19); null while it is shown there. */
    @Column(name = "hidden_at")
    Instant hiddenAt;

    @Column(name = "hidden_by")
    String hiddenBy;

    @Column(name = "hidden_reason")
    String hiddenReason;
}
