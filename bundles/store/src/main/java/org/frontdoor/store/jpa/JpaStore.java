package org.frontdoor.store.jpa;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import javax.persistence.EntityManager;
import javax.persistence.EntityManagerFactory;
import javax.persistence.TypedQuery;
import javax.sql.DataSource;

import org.frontdoor.api.Identity;
import org.frontdoor.api.IngestReceipt;
import org.frontdoor.api.Message;
import org.frontdoor.api.OutboundReply;
import org.frontdoor.api.RoutingDecision;
import org.frontdoor.api.Visibility;
import org.frontdoor.api.inbox.ConversationDetail;
import org.frontdoor.api.inbox.ConversationQuery;
import org.frontdoor.api.inbox.ConversationStatus;
import org.frontdoor.api.inbox.ConversationSummary;
import org.frontdoor.api.inbox.CustomerView;
import org.frontdoor.api.inbox.IdentityView;
import org.frontdoor.api.inbox.MessageView;
import org.frontdoor.api.inbox.Page;
import org.frontdoor.api.inbox.ReplyStatus;
import org.frontdoor.api.inbox.ReplyView;
import org.frontdoor.store.ChannelInstance;
import org.frontdoor.store.Ingested;
import org.frontdoor.store.PendingRoute;
import org.frontdoor.store.RouteResult;
import org.frontdoor.store.Store;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * The store on EclipseLink. Relations are kept as id columns, so each transaction decides its own write order.
 * Ingest, the hot path of the ingest writers, is plain JDBC on the same tables ({@link IngestWriter}).
 */
@Component(service = Store.class, immediate = true)
public class JpaStore implements Store {

    static final int PREVIEW_LENGTH = 200;
    static final int MAX_ERROR_LENGTH = 1000;
    private static final String SYSTEM = "system";

    private final EntityManagerFactory emf;
    private final DataSource dataSource;
    /** Ingest's JDBC path; its ids are kept across groups, so a block of a sequence serves several groups. */
    private final IngestWriter writer;

    @Activate
    public JpaStore(@Reference(target = "(osgi.unit.name=frontdoor)") EntityManagerFactory emf,
                    @Reference(target = "(dataSourceName=frontdoor)") DataSource dataSource) throws SQLException {
        new Migrations(dataSource).migrate();
        Migrations.Dialect dialect;
        try (Connection c = dataSource.getConnection()) {
            dialect = Migrations.Dialect.of(c);
        }
        this.writer = new IngestWriter(new SequenceIds(dialect), dialect == Migrations.Dialect.POSTGRESQL);
        this.emf = emf;
        this.dataSource = dataSource;
    }

    // ---------------------------------------------------------------- ingest

    @Override
    public List<Ingested> ingest(List<Message> messages) {
        if (messages.isEmpty()) {
            return List.of();
        }
        try (Connection c = dataSource.getConnection()) {
            boolean autoCommit = c.getAutoCommit();
            c.setAutoCommit(false);
            try {
                List<Ingested> stored = writer.ingest(c, messages);
                c.commit();
                return stored;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(autoCommit);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not store " + messages.size() + " messages: " + e.getMessage(), e);
        }
    }

    static String preview(String text) {
        String flat = text.replaceAll("\\s+", " ").strip();
        return flat.length() <= PREVIEW_LENGTH ? flat : flat.substring(0, PREVIEW_LENGTH - 1) + "…";
    }

    // ---------------------------------------------------------------- routing

    @Override
    public List<PendingRoute> conversationsToRoute(int limit) {
        return inTransaction(em -> {
            List<ConversationEntity> pending = em.createQuery(
                            "SELECT c FROM ConversationEntity c WHERE c.status = :s ORDER BY c.id", ConversationEntity.class)
                    .setParameter("s", ConversationStatus.NEW)
                    .setMaxResults(limit)
                    .getResultList();
            if (pending.isEmpty()) {
                return List.of();
            }
            List<Long> ids = pending.stream().map(c -> c.id).toList();
            Map<Long, MessageEntity> latest = em.createQuery("SELECT m FROM MessageEntity m WHERE m.id IN "
                            + "(SELECT MAX(m2.id) FROM MessageEntity m2 WHERE m2.conversationId IN :ids GROUP BY m2.conversationId)",
                    MessageEntity.class)
                    .setParameter("ids", ids)
                    .getResultList().stream()
                    .collect(Collectors.toMap(m -> m.conversationId, Function.identity()));
            Map<Long, IdentityEntity> authors = byId(em, IdentityEntity.class,
                    latest.values().stream().map(m -> m.identityId).collect(Collectors.toSet()), i -> i.id);
            List<PendingRoute> out = new ArrayList<>();
            for (ConversationEntity c : pending) {
                MessageEntity m = latest.get(c.id);
                if (m != null) {
                    out.add(new PendingRoute(c.id, c.customerId, c.department, toMessage(m, authors.get(m.identityId))));
                }
            }
            return out;
        });
    }

    @Override
    public void routed(List<RouteResult> results) {
        if (results.isEmpty()) {
            return;
        }
        inTransaction(em -> {
            Instant now = Instant.now();
            Set<String> departments = results.stream().map(r -> r.decision().department()).collect(Collectors.toSet());
            Set<String> known = new HashSet<>(em.createQuery(
                            "SELECT d.id FROM DepartmentEntity d WHERE d.id IN :ids", String.class)
                    .setParameter("ids", departments).getResultList());
            for (String id : departments) {
                if (!known.contains(id)) {
                    DepartmentEntity d = new DepartmentEntity();
                    d.id = id;
                    d.name = id;
                    d.createdAt = now;
                    em.persist(d);
                }
            }
            em.flush();
            // one statement per distinct decision, in SQL: EclipseLink adds a version increment to JPQL bulk
            // updates, which would make a concurrent ingest or reply on the same conversation fail its optimistic
            // lock check; routing only touches routing columns, so it leaves the version alone
            Map<RoutingDecision, List<Long>> byDecision = results.stream().collect(Collectors.groupingBy(
                    RouteResult::decision, Collectors.mapping(RouteResult::conversationId, Collectors.toList())));
            for (Map.Entry<RoutingDecision, List<Long>> e : byDecision.entrySet()) {
                RoutingDecision d = e.getKey();
                String placeholders = String.join(",", java.util.Collections.nCopies(e.getValue().size(), "?"));
                javax.persistence.Query update = em.createNativeQuery("UPDATE conversation SET status = ?, "
                                + "department_id = ?, priority = ?, skill = ?, routed_at = ? WHERE status = ? AND id IN ("
                                + placeholders + ")")
                        .setParameter(1, ConversationStatus.QUEUED.name())
                        .setParameter(2, d.department())
                        .setParameter(3, d.priority())
                        .setParameter(4, d.skill())
                        .setParameter(5, java.sql.Timestamp.from(now))
                        .setParameter(6, ConversationStatus.NEW.name());
                int position = 7;
                for (long id : e.getValue()) {
                    update.setParameter(position++, id);
                }
                update.executeUpdate();
                for (long id : e.getValue()) {
                    em.persist(new AuditEventEntity(SYSTEM, "conversation.routed", "conversation", id,
                            "to " + d.department() + " by rule " + d.rule() + ", priority " + d.priority()));
                }
            }
            return null;
        });
    }

    // ---------------------------------------------------------------- outbox

    @Override
    public ReplyView queueReply(long conversationId, String text, String agent) {
        Objects.requireNonNull(agent, "agent");
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("reply text is empty");
        }
        return inTransaction(em -> {
            ConversationEntity c = em.find(ConversationEntity.class, conversationId);
            if (c == null) {
                throw new NoSuchElementException("conversation " + conversationId + " does not exist");
            }
            List<Long> last = em.createQuery("SELECT MAX(m.id) FROM MessageEntity m WHERE m.conversationId = :c", Long.class)
                    .setParameter("c", conversationId).getResultList();
            Instant now = Instant.now();
            ReplyEntity r = new ReplyEntity();
            r.conversationId = conversationId;
            r.channel = c.channel;
            r.instance = c.instance;
            r.text = text;
            r.author = agent;
            r.status = ReplyStatus.QUEUED;
            r.createdAt = now;
            r.nextAttemptAt = now;
            r.inReplyToMessageId = last.isEmpty() ? null : last.get(0);
            em.persist(r);
            // in SQL, not through the entity: no optimistic lock conflict with an ingest into the same conversation
            em.createNativeQuery("UPDATE conversation SET last_activity_at = ? WHERE id = ? AND last_activity_at < ?")
                    .setParameter(1, java.sql.Timestamp.from(now)).setParameter(2, conversationId)
                    .setParameter(3, java.sql.Timestamp.from(now)).executeUpdate();
            em.persist(new AuditEventEntity(agent, "reply.queued", "conversation", conversationId, null));
            return toView(r);
        });
    }

    @Override
    public List<OutboundReply> dueReplies(Collection<String> channels, Instant now, int limit) {
        if (channels.isEmpty()) {
            return List.of();
        }
        return inTransaction(em -> {
            List<ReplyEntity> due = em.createQuery("SELECT r FROM ReplyEntity r WHERE r.status IN :st "
                            + "AND r.channel IN :ch AND r.nextAttemptAt <= :now ORDER BY r.id", ReplyEntity.class)
                    .setParameter("st", List.of(ReplyStatus.QUEUED, ReplyStatus.RETRYING))
                    .setParameter("ch", channels)
                    .setParameter("now", now)
                    .setMaxResults(limit)
                    .getResultList();
            if (due.isEmpty()) {
                return List.of();
            }
            Map<Long, ConversationEntity> conversations = byId(em, ConversationEntity.class,
                    due.stream().map(r -> r.conversationId).collect(Collectors.toSet()), c -> c.id);
            Set<Long> inReplyTo = due.stream().map(r -> r.inReplyToMessageId).filter(Objects::nonNull)
                    .collect(Collectors.toSet());
            Map<Long, String> externalIds = new HashMap<>();
            Map<Long, Long> identityOfMessage = new HashMap<>();
            if (!inReplyTo.isEmpty()) {
                for (Object[] row : em.createQuery("SELECT m.id, m.externalId, m.identityId FROM MessageEntity m "
                        + "WHERE m.id IN :ids", Object[].class).setParameter("ids", inReplyTo).getResultList()) {
                    externalIds.put((Long) row[0], (String) row[1]);
                    identityOfMessage.put((Long) row[0], (Long) row[2]);
                }
            }
            Map<Long, IdentityEntity> identities = byId(em, IdentityEntity.class,
                    new HashSet<>(identityOfMessage.values()), i -> i.id);
            List<OutboundReply> out = new ArrayList<>();
            for (ReplyEntity r : due) {
                ConversationEntity c = conversations.get(r.conversationId);
                IdentityEntity to = r.inReplyToMessageId == null ? null
                        : identities.get(identityOfMessage.get(r.inReplyToMessageId));
                if (to == null) {
                    to = em.createQuery("SELECT i FROM IdentityEntity i WHERE i.customerId = :c AND i.channel = :ch "
                                    + "ORDER BY i.id", IdentityEntity.class)
                            .setParameter("c", c.customerId).setParameter("ch", c.channel)
                            .setMaxResults(1).getResultList().stream().findFirst().orElse(null);
                }
                if (to == null) {
                    continue;
                }
                out.add(new OutboundReply(r.id, r.conversationId, r.channel, r.instance, toIdentity(to), c.threadRef,
                        r.inReplyToMessageId == null ? null : externalIds.get(r.inReplyToMessageId),
                        Visibility.PRIVATE, r.text, r.author, r.createdAt, r.attempts + 1));
            }
            return out;
        });
    }

    @Override
    public Optional<Instant> nextReplyDue(Collection<String> channels) {
        if (channels.isEmpty()) {
            return Optional.empty();
        }
        return inTransaction(em -> Optional.ofNullable(em.createQuery("SELECT MIN(r.nextAttemptAt) FROM ReplyEntity r "
                        + "WHERE r.status IN :st AND r.channel IN :ch", Instant.class)
                .setParameter("st", List.of(ReplyStatus.QUEUED, ReplyStatus.RETRYING))
                .setParameter("ch", channels)
                .getSingleResult()));
    }

    @Override
    public void replySent(long replyId, Instant at) {
        inTransaction(em -> {
            ReplyEntity r = em.find(ReplyEntity.class, replyId);
            if (r != null && r.status != ReplyStatus.SENT) {
                r.status = ReplyStatus.SENT;
                r.attempts++;
                r.sentAt = at;
                r.nextAttemptAt = null;
                em.persist(new AuditEventEntity(SYSTEM, "reply.sent", "reply", replyId, "attempt " + r.attempts));
            }
            return null;
        });
    }

    @Override
    public void replyFailed(long replyId, String reason, Instant nextAttemptAt) {
        inTransaction(em -> {
            ReplyEntity r = em.find(ReplyEntity.class, replyId);
            if (r != null && r.status != ReplyStatus.SENT) {
                String why = reason == null || reason.isBlank() ? "failed without a reason" : reason;
                r.status = ReplyStatus.RETRYING;
                r.attempts++;
                r.lastError = why.length() <= MAX_ERROR_LENGTH ? why : why.substring(0, MAX_ERROR_LENGTH);
                r.nextAttemptAt = nextAttemptAt;
                em.persist(new AuditEventEntity(SYSTEM, "reply.failed", "reply", replyId,
                        "attempt " + r.attempts + ": " + r.lastError));
            }
            return null;
        });
    }

    // ---------------------------------------------------------------- inbox reads

    @Override
    public Page<ConversationSummary> conversations(ConversationQuery q) {
        return inTransaction(em -> {
            StringBuilder where = new StringBuilder(" WHERE 1 = 1");
            Map<String, Object> params = new HashMap<>();
            if (q.status() != null) {
                where.append(" AND c.status = :status");
                params.put("status", q.status());
            }
            if (q.department() != null) {
                where.append(" AND c.department = :department");
                params.put("department", q.department());
            }
            if (q.channel() != null) {
                where.append(" AND c.channel = :channel");
                params.put("channel", q.channel());
            }
            TypedQuery<Long> count = em.createQuery("SELECT COUNT(c) FROM ConversationEntity c" + where, Long.class);
            TypedQuery<ConversationEntity> page = em.createQuery("SELECT c FROM ConversationEntity c" + where
                    + " ORDER BY c.lastActivityAt DESC, c.id DESC", ConversationEntity.class);
            params.forEach((k, v) -> {
                count.setParameter(k, v);
                page.setParameter(k, v);
            });
            List<ConversationEntity> rows = page.setFirstResult(q.offset()).setMaxResults(q.limit()).getResultList();
            return new Page<>(summaries(em, rows), count.getSingleResult(), q.offset(), q.limit());
        });
    }

    @Override
    public Optional<ConversationDetail> conversation(long id) {
        return inTransaction(em -> {
            ConversationEntity c = em.find(ConversationEntity.class, id);
            if (c == null) {
                return Optional.empty();
            }
            List<MessageEntity> messages = em.createQuery(
                            "SELECT m FROM MessageEntity m WHERE m.conversationId = :c ORDER BY m.id", MessageEntity.class)
                    .setParameter("c", id).getResultList();
            Map<Long, IdentityEntity> authors = byId(em, IdentityEntity.class,
                    messages.stream().map(m -> m.identityId).collect(Collectors.toSet()), i -> i.id);
            List<MessageView> views = messages.stream().map(m -> {
                IdentityEntity a = authors.get(m.identityId);
                return new MessageView(m.id, m.externalId, m.visibility, a.handle, a.displayName, m.text, m.receivedAt);
            }).toList();
            List<ReplyView> replies = em.createQuery(
                            "SELECT r FROM ReplyEntity r WHERE r.conversationId = :c ORDER BY r.id", ReplyEntity.class)
                    .setParameter("c", id).getResultList().stream().map(JpaStore::toView).toList();
            return Optional.of(new ConversationDetail(summaries(em, List.of(c)).get(0), views, replies));
        });
    }

    @Override
    public Optional<CustomerView> customer(long id) {
        return inTransaction(em -> {
            CustomerEntity customer = em.find(CustomerEntity.class, id);
            if (customer == null) {
                return Optional.empty();
            }
            List<IdentityView> identities = em.createQuery(
                            "SELECT i FROM IdentityEntity i WHERE i.customerId = :c ORDER BY i.id", IdentityEntity.class)
                    .setParameter("c", id).getResultList().stream()
                    .map(i -> new IdentityView(i.channel, i.handle, i.displayName, i.email, i.phone)).toList();
            List<ConversationEntity> conversations = em.createQuery("SELECT c FROM ConversationEntity c "
                            + "WHERE c.customerId = :c ORDER BY c.lastActivityAt DESC, c.id DESC", ConversationEntity.class)
                    .setParameter("c", id).setMaxResults(100).getResultList();
            return Optional.of(new CustomerView(customer.id, customer.displayName, customer.createdAt, identities,
                    summaries(em, conversations)));
        });
    }

    @Override
    public Optional<ChannelInstance> channelOf(long conversationId) {
        return inTransaction(em -> em.createQuery(
                        "SELECT c.channel, c.instance FROM ConversationEntity c WHERE c.id = :id", Object[].class)
                .setParameter("id", conversationId).getResultList().stream()
                .findFirst().map(r -> new ChannelInstance((String) r[0], (String) r[1])));
    }

    private static List<ConversationSummary> summaries(EntityManager em, List<ConversationEntity> rows) {
        Map<Long, CustomerEntity> customers = byId(em, CustomerEntity.class,
                rows.stream().map(c -> c.customerId).collect(Collectors.toSet()), c -> c.id);
        return rows.stream().map(c -> new ConversationSummary(c.id, c.customerId,
                customers.containsKey(c.customerId) ? customers.get(c.customerId).displayName : null,
                c.channel, c.instance, c.department, c.status, c.priority, c.preview, c.messageCount, c.createdAt,
                c.lastActivityAt)).toList();
    }

    // ---------------------------------------------------------------- helpers

    private static <T> Map<Long, T> byId(EntityManager em, Class<T> type, Set<Long> ids, Function<T, Long> id) {
        if (ids.isEmpty()) {
            return Map.of();
        }
        return em.createQuery("SELECT e FROM " + type.getSimpleName() + " e WHERE e.id IN :ids", type)
                .setParameter("ids", ids).getResultList().stream()
                .collect(Collectors.toMap(id, Function.identity()));
    }

    private static Message toMessage(MessageEntity m, IdentityEntity author) {
        return Message.builder().channel(m.channel).instance(m.instance).externalId(m.externalId)
                .direction(m.direction).visibility(m.visibility).author(toIdentity(author)).threadRef(m.threadRef)
                .text(m.text).receivedAt(m.receivedAt).build();
    }

    private static Identity toIdentity(IdentityEntity i) {
        return new Identity(i.channel, i.handle, i.displayName, i.email, i.phone, i.reach);
    }

    private static ReplyView toView(ReplyEntity r) {
        return new ReplyView(r.id, r.conversationId, r.text, r.author, r.status, r.attempts, r.lastError, r.createdAt,
                r.sentAt, r.nextAttemptAt);
    }

    private <T> T inTransaction(Function<EntityManager, T> work) {
        EntityManager em = emf.createEntityManager();
        try {
            em.getTransaction().begin();
            T result = work.apply(em);
            em.getTransaction().commit();
            return result;
        } finally {
            if (em.getTransaction().isActive()) {
                em.getTransaction().rollback();
            }
            em.close();
        }
    }
}
