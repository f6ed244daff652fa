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

import org.frontdoor.api.inbox.ConversationStatus;

@Entity
@Table(name = "conversation")
public class ConversationEntity {

    @Id
    @SequenceGenerator(name = "conversation_seq", sequenceName = "conversation_seq", allocationSize = 50)
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "conversation_seq")
    Long id;

    @Column(name = "customer_id", nullable = false)
    long customerId;

    @Column(name = "identity_id", nullable = false)
    long identityId;

    @Column(nullable = false)
    String channel;

    @Column(nullable = false)
    String instance;

    @Column(name = "thread_ref")
    String threadRef;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    ConversationStatus status;

    @Column(name = "department_id")
    String department;

    int priority;

    String skill;

    String assignee;

    @Column(name = "message_count")
    int messageCount;

    String preview;

    @Column(name = "created_at", nullable = false)
    Instant createdAt;

    @Column(name = "last_activity_at", nullable = false)
    Instant lastActivityAt;

    @Column(name = "routed_at")
    Instant routedAt;

    @Column(name = "read_up_to")
    Long readUpTo;

    @Version
    long version;
}
