package org.frontdoor.store.jpa;

import java.time.Instant;

import javax.persistence.Column;
import javax.persistence.Entity;
import javax.persistence.GeneratedValue;
import javax.persistence.GenerationType;
import javax.persistence.Id;
import javax.persistence.SequenceGenerator;
import javax.persistence.Table;

@Entity
@Table(name = "customer_identity")
public class IdentityEntity {

    @Id
    @SequenceGenerator(name = "identity_seq", sequenceName = "identity_seq", allocationSize = 50)
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "identity_seq")
    Long id;

    @Column(name = "customer_id", nullable = false)
    long customerId;

    @Column(nullable = false)
    String channel;

    @Column(nullable = false)
    String handle;

    @Column(name = "display_name")
    String displayName;

    String email;

    String phone;

    long reach;

    @Column(name = "created_at", nullable = false)
    Instant createdAt;

    /** When the customer proved to own it; written by {@link IdentityProofs} only, never through this entity. */
    @Column(name = "verified_at", insertable = false, updatable = false)
    Instant verifiedAt;
}
