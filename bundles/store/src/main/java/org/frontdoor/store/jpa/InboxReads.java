package org.frontdoor.store.jpa;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import javax.persistence.EntityManager;
import javax.persistence.EntityManagerFactory;
import javax.persistence.TypedQuery;

import org.frontdoor.api.Annotation;
import org.frontdoor.api.Attachment;
import org.frontdoor.api.Identity;
import org.frontdoor.api.Scope;
import org.frontdoor.api.Visibility;
import org.frontdoor.api.delivery.Delivery;
import org.frontdoor.api.consent.Consent;
import org.frontdoor.api.consent.ConsentSource;
import org.frontdoor.api.inbox.ConversationDetail;
import org.frontdoor.api.inbox.ConversationQuery;
import org.frontdoor.api.inbox.ConversationSummary;
import org.frontdoor.api.inbox.ConversationWhy;
import org.frontdoor.api.inbox.CustomerView;
import org.frontdoor.api.inbox.IdentityView;
import org.frontdoor.api.inbox.MessageView;
import org.frontdoor.api.inbox.NoteView;
import org.frontdoor.api.inbox.Page;
import org.frontdoor.api.inbox.ReplyRoute;
import org.frontdoor.api.inbox.ReplyView;
import org.frontdoor.store.Door;
import org.frontdoor.store.InboxStore.ReplyTarget;

/** The agents' reads on EclipseLink, each within a scope: what lies outside it is treated as absent. */
final class InboxReads {

    /** The most conversations a customer view lists. */
    static final int CUSTOMER_CONVERSATIONS = 100;

    /** The author's name shown for a message whose author identity row is missing. */
    static final String UNKNOWN_AUTHOR = "unknown author";

    private final EntityManagerFactory emf;

    InboxReads(EntityManagerFactory emf) {
        this.emf = emf;
    }

    Optional<ConversationDetail> conversation(Scope scope, long id) {
        return read(em -> {
            ConversationEntity c = em.find(ConversationEntity.class, id);
            if (c == null || !scope.covers(c.department)) {
                return Optional.empty();
            }
            List<MessageEntity> messages = em.createQuery(
                            "SELECT m FROM MessageEntity m WHERE m.conversationId = :c ORDER BY m.seq", MessageEntity.class)
                    .setParameter("c", id).getResultList();
            Map<Long, IdentityEntity> authors = byId(em, IdentityEntity.class,
                    messages.stream().map(m -> m.identityId).collect(Collectors.toSet()), i -> i.id);
            Map<Long, List<Annotation>> annotations = annotations(em, id);
            Map<Long, List<Attachment>> attachments = attachments(em, id);
            List<MessageView> views = messages.stream().map(m -> {
                // a message whose author row is missing is still shown, by an unknown author
                IdentityEntity a = authors.get(m.identityId);
                return new MessageView(m.id, m.externalId, m.visibility, m.customerId, a == null ? null : a.handle,
                        a == null ? UNKNOWN_AUTHOR : a.displayName, m.text,
                        m.receivedAt, annotations.getOrDefault(m.id, List.of()),
                        attachments.getOrDefault(m.id, List.of()), m.seq, m.hiddenAt == null ? null
                        : new MessageView.Hidden(m.hiddenBy, m.hiddenAt, m.hiddenReason));
            }).toList();
            List<ReplyView> replies = em.createQuery(
                            "SELECT r FROM ReplyEntity r WHERE r.conversationId = :c ORDER BY r.seq", ReplyEntity.class)
                    .setParameter("c", id).getResultList().stream().map(InboxReads::toView).toList();
            return Optional.of(new ConversationDetail(summaries(em, List.of(c)).get(0), views, replies,
                    c.readUpTo == null ? 0 : c.readUpTo, notes(em, id)));
        });
    }

    /** The audit actions that move a conversation, as the why view names them. */
    private static final List<String> MOVES = List.of("conversation.created", "conversation.routed",
            "conversation.transferred", "conversation.assigned", "conversation.resolved", "conversation.reopened",
            "conversation.message-hidden", "conversation.message-unhidden", "conversation.message-hide-failed",
            "conversation.message-unhide-failed");

    /** The most history steps the why view shows: the newest ones. */
    static final int WHY_STEPS = 500;

    Optional<ConversationWhy> why(Scope scope, long id) {
        return read(em -> {
            ConversationEntity c = em.find(ConversationEntity.class, id);
            if (c == null || !scope.covers(c.department)) {
                return Optional.empty();
            }
            Object[] routed = (Object[]) em.createNativeQuery("SELECT routed_rule, routed_reason FROM conversation "
                    + "WHERE id = ?").setParameter(1, id).getSingleResult();
            @SuppressWarnings("unchecked")
            List<Object[]> found = em.createNativeQuery("SELECT a.message_id, a.name, a.annotation_value, "
                            + "a.confidence, a.source FROM message_annotation a JOIN message m ON m.id = a.message_id "
                            + "WHERE m.conversation_id = ? ORDER BY m.seq, a.name")
                    .setParameter(1, id).getResultList();
            List<ConversationWhy.Found> annotations = new ArrayList<>();
            for (Object[] r : found) {
                annotations.add(new ConversationWhy.Found(((Number) r[0]).longValue(),
                        (String) r[1], (String) r[2], ((Number) r[3]).doubleValue(), (String) r[4]));
            }
            javax.persistence.Query steps = em.createNativeQuery("SELECT at, actor, action, detail, id FROM audit_event "
                            + "WHERE subject_type = 'conversation' AND subject_id = ? AND action IN ("
                            + String.join(", ", java.util.Collections.nCopies(MOVES.size(), "?")) + ") "
                            + "ORDER BY at DESC, id DESC")
                    .setParameter(1, id);
            for (int i = 0; i < MOVES.size(); i++) {
                steps.setParameter(i + 2, MOVES.get(i));
            }
            @SuppressWarnings("unchecked")
            List<Object[]> audit = steps.setMaxResults(WHY_STEPS).getResultList();
            List<ConversationWhy.Step> history = new ArrayList<>();
            for (Object[] r : audit) {
                String action = ((String) r[2]).substring("conversation.".length());
                history.add(0, new ConversationWhy.Step(instant(r[0]), (String) r[1], action,
                        (String) r[3]));
            }
            return Optional.of(new ConversationWhy(summaries(em, List.of(c)).get(0),
                    (String) routed[0], (String) routed[1], annotations, history));
        });
    }

    /** A conversation's row, whatever the scope: what a caller just changed. */
    ConversationSummary summary(long id) {
        return read(em -> summaries(em, List.of(em.find(ConversationEntity.class, id))).get(0));
    }

    Optional<ReplyView> reply(Scope scope, long replyId) {
        return read(em -> {
            ReplyEntity r = em.find(ReplyEntity.class, replyId);
            if (r == null) {
                return Optional.empty();
            }
            ConversationEntity c = em.find(ConversationEntity.class, r.conversationId);
            return c != null && scope.covers(c.department) ? Optional.of(toView(r)) : Optional.empty();
        });
    }

    Optional<CustomerView> customer(Scope scope, long id) {
        if (!scope.all() && scope.departments().isEmpty()) {
            return Optional.empty();
        }
        return read(em -> {
            CustomerEntity customer = em.find(CustomerEntity.class, id);
            if (customer == null) {
                return Optional.empty();
            }
            String where = scope.all() ? "" : " AND c.department IN :scope";
            TypedQuery<ConversationEntity> q = em.createQuery("SELECT c FROM ConversationEntity c "
                    + "WHERE c.customerId = :c" + where + " ORDER BY c.lastActivityAt DESC, c.id DESC",
                    ConversationEntity.class).setParameter("c", id);
            if (!scope.all()) {
                q.setParameter("scope", scope.departments());
            }
            List<ConversationEntity> conversations = q.setMaxResults(CUSTOMER_CONVERSATIONS).getResultList();
            if (!scope.all() && conversations.isEmpty()) {
                return Optional.empty(); // a customer the scope has no conversation with is not the caller's to see
            }
            // a door outside the scope: a channel on which none of the customer's conversations is the caller's;
            // the customer's identities there (an address, a phone number) are not shown
            Set<String> doors = null;
            if (!scope.all()) {
                doors = new HashSet<>(em.createQuery("SELECT DISTINCT c.channel FROM ConversationEntity c "
                                + "WHERE c.customerId = :c AND c.department IN :scope", String.class)
                        .setParameter("c", id).setParameter("scope", scope.departments()).getResultList());
            }
            Set<String> inScope = doors;
            Map<List<String>, Consent> consents = consents(em, id);
            List<IdentityView> identities = em.createQuery(
                            "SELECT i FROM IdentityEntity i WHERE i.customerId = :c ORDER BY i.id", IdentityEntity.class)
                    .setParameter("c", id).getResultList().stream()
                    .filter(i -> inScope == null || inScope.contains(i.channel))
                    .map(i -> new IdentityView(i.channel, i.handle, i.displayName, i.email, i.phone,
                            i.verifiedAt, consents.get(List.of(i.channel, i.handle)))).toList();
            return Optional.of(new CustomerView(customer.id, customer.displayName, customer.createdAt, identities,
                    summaries(em, conversations)));
        });
    }

    /** The consent recorded for the customer's identities, by channel and handle. */
    private static Map<List<String>, Consent> consents(EntityManager em, long customerId) {
        Map<List<String>, Consent> found = new HashMap<>();
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("SELECT k.channel, k.handle, k.opted_in, k.since, k.source, "
                        + "k.reference, k.reason FROM identity_consent k JOIN customer_identity ci "
                        + "ON ci.channel = k.channel AND ci.handle = k.handle WHERE ci.customer_id = ?")
                .setParameter(1, customerId).getResultList();
        for (Object[] r : rows) {
            Consent consent = new Consent((String) r[0], (String) r[1], Boolean.TRUE.equals(r[2]), instant(r[3]),
                    ConsentSource.valueOf((String) r[4]), (String) r[5], (String) r[6]);
            found.put(List.of(consent.channel(), consent.handle()), consent);
        }
        return found;
    }

    Optional<ReplyTarget> replyTarget(Scope scope, long conversationId) {
        return read(em -> {
            ConversationEntity c = em.find(ConversationEntity.class, conversationId);
            if (c == null || !scope.covers(c.department)) {
                return Optional.empty();
            }
            List<Visibility> latest = em.createQuery("SELECT m.visibility FROM MessageEntity m "
                            + "WHERE m.conversationId = :c ORDER BY m.seq DESC", Visibility.class)
                    .setParameter("c", conversationId).setMaxResults(1).getResultList();
            return Optional.of(new ReplyTarget(new Door(c.channel, c.instance),
                    latest.isEmpty() ? Visibility.PRIVATE : latest.get(0)));
        });
    }

    static List<ConversationSummary> summaries(EntityManager em, List<ConversationEntity> rows) {
        Map<Long, CustomerEntity> customers = byId(em, CustomerEntity.class,
                rows.stream().map(c -> c.customerId).collect(Collectors.toSet()), c -> c.id);
        return rows.stream().map(c -> new ConversationSummary(c.id, c.customerId,
                customers.containsKey(c.customerId) ? customers.get(c.customerId).displayName : null,
                c.channel, c.instance, c.threadRef, c.department, c.status, c.assignee, c.priority, c.preview,
                c.messageCount, c.createdAt, c.lastActivityAt)).toList();
    }

    /** The annotations of a conversation's messages, per message id. */
    private static Map<Long, List<Annotation>> annotations(EntityManager em, long conversationId) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("SELECT a.message_id, a.name, a.annotation_value, a.confidence "
                        + "FROM message_annotation a JOIN message m ON m.id = a.message_id WHERE m.conversation_id = ?")
                .setParameter(1, conversationId).getResultList();
        Map<Long, List<Annotation>> found = new HashMap<>();
        for (Object[] r : rows) {
            found.computeIfAbsent(((Number) r[0]).longValue(), id -> new ArrayList<>())
                    .add(new Annotation((String) r[1], (String) r[2], ((Number) r[3]).doubleValue()));
        }
        return found;
    }

    private static Map<Long, List<Attachment>> attachments(EntityManager em, long conversationId) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("SELECT a.message_id, a.file_name, a.media_type, a.size_bytes, "
                        + "a.blob_ref FROM message_attachment a JOIN message m ON m.id = a.message_id "
                        + "WHERE m.conversation_id = ? ORDER BY a.message_id, a.ordinal")
                .setParameter(1, conversationId).getResultList();
        Map<Long, List<Attachment>> found = new HashMap<>();
        for (Object[] r : rows) {
            found.computeIfAbsent(((Number) r[0]).longValue(), id -> new ArrayList<>())
                    .add(new Attachment((String) r[1], (String) r[2], ((Number) r[3]).longValue(), (String) r[4]));
        }
        return found;
    }

    private static <T> Map<Long, T> byId(EntityManager em, Class<T> type, Set<Long> ids, Function<T, Long> id) {
        if (ids.isEmpty()) {
            return Map.of();
        }
        return em.createQuery("SELECT e FROM " + type.getSimpleName() + " e WHERE e.id IN :ids", type)
                .setParameter("ids", ids).getResultList().stream()
                .collect(Collectors.toMap(id, Function.identity()));
    }

    static ReplyView toView(ReplyEntity r) {
        ReplyRoute via = r.recipientHandle == null ? null : new ReplyRoute(r.channel, r.instance,
                new Identity(r.channel, r.recipientHandle, r.recipientName, null, null, 0));
        return new ReplyView(r.id, r.conversationId, r.text, r.visibility, r.author, r.status, r.attempts, r.lastError,
                r.createdAt, r.sentAt, r.nextAttemptAt, via, r.seq,
                r.deliveryState == null ? null : new Delivery(r.deliveryState, r.deliveryAt, r.deliveryReason));
    }

    List<String> departments() {
        return read(em -> {
            List<?> ids = em.createNativeQuery("SELECT id FROM department ORDER BY id").getResultList();
            return ids.stream().map(Object::toString).toList();
        });
    }

    /** The conversation's internal notes, in the order they were committed. */
    @SuppressWarnings("unchecked")
    private static List<NoteView> notes(EntityManager em, long conversationId) {
        List<Object[]> rows = em.createNativeQuery("SELECT id, author, body, mentions, created_at, seq "
                        + "FROM conversation_note WHERE conversation_id = ? ORDER BY seq")
                .setParameter(1, conversationId).getResultList();
        List<NoteView> notes = new ArrayList<>();
        for (Object[] r : rows) {
            String mentions = (String) r[3];
            notes.add(new NoteView(((Number) r[0]).longValue(), conversationId, (String) r[1], (String) r[2],
                    mentions == null || mentions.isEmpty() ? List.of() : List.of(mentions.split(",")),
                    instant(r[4]), ((Number) r[5]).longValue()));
        }
        return notes;
    }

    private static java.time.Instant instant(Object value) {
        if (value instanceof java.sql.Timestamp t) {
            return t.toInstant();
        }
        if (value instanceof java.time.OffsetDateTime t) {
            return t.toInstant();
        }
        if (value instanceof java.time.ZonedDateTime t) {
            return t.toInstant();
        }
        if (value instanceof java.time.Instant t) {
            return t;
        }
        if (value instanceof java.time.LocalDateTime t) {
            return java.sql.Timestamp.valueOf(t).toInstant();
        }
        throw new IllegalStateException("not a time: " + (value == null ? "null" : value.getClass().getName()));
    }

    private <T> T read(Function<EntityManager, T> work) {
        return read(emf, work);
    }

    /** {@code work} in a transaction of its own on a new entity manager, rolled back when it throws. */
    static <T> T read(EntityManagerFactory emf, Function<EntityManager, T> work) {
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
