package org.frontdoor.store.jpa;

import java.time.Instant;

import javax.persistence.Column;
import javax.persistence.Entity;
import javax.persistence.GeneratedValue;
import javax.persistence.GenerationType;
import javax.persistence.Id;
import javax.persistence.SequenceGenerator;
import javax.persistence.Table;

/** Who did what to which conversation, reply or customer; never updated or deleted. */
@Entity
@Table(name = "audit_event")
public class AuditEventEntity {

    @Id
    @SequenceGenerator(name = "audit_event_seq", sequenceName = "audit_event_seq", allocationSize = 50)
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "audit_event_seq")
    Long id;

    @Column(nullable = false)
    Instant at;

    @Column(nullable = false)
    String actor;

    @Column(nullable = false)
    String action;

    @Column(name = "subject_type", nullable = false)
    String subjectType;

    @Column(name = "subject_id")
    Long subjectId;

    String detail;

    protected AuditEventEntity() {
    }

    AuditEventEntity(String actor, String action, String subjectType, Long subjectId, String detail) {
        this.at = Instant.now();
        this.actor = actor;
        this.action = action;
        this.subjectType = subjectType;
        this.subjectId = subjectId;
        this.detail = detail == null || detail.length() <= 2000 ? detail : detail.substring(0, 2000);
    }
}
