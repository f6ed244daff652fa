package org.frontdoor.store.jpa;

import java.time.Instant;
import java.util.HashSet;
import java.util.Set;

import javax.persistence.CollectionTable;
import javax.persistence.Column;
import javax.persistence.ElementCollection;
import javax.persistence.Entity;
import javax.persistence.GeneratedValue;
import javax.persistence.GenerationType;
import javax.persistence.Id;
import javax.persistence.JoinColumn;
import javax.persistence.SequenceGenerator;
import javax.persistence.Table;

@Entity
@Table(name = "agent")
public class AgentEntity {

    @Id
    @SequenceGenerator(name = "agent_seq", sequenceName = "agent_seq", allocationSize = 50)
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "agent_seq")
    Long id;

    @Column(nullable = false)
    String username;

    @Column(name = "display_name")
    String displayName;

    @ElementCollection
    @CollectionTable(name = "agent_department", joinColumns = @JoinColumn(name = "agent_id"))
    @Column(name = "department_id")
    Set<String> departments = new HashSet<>();

    @Column(name = "created_at", nullable = false)
    Instant createdAt;
}
