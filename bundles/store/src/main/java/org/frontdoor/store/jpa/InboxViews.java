package org.frontdoor.store.jpa;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import javax.persistence.EntityManager;
import javax.persistence.EntityManagerFactory;
import javax.persistence.Query;

import org.frontdoor.api.Scope;
import org.frontdoor.api.inbox.ConversationQuery;
import org.frontdoor.api.inbox.ConversationStatus;
import org.frontdoor.api.inbox.ConversationSummary;
import org.frontdoor.api.inbox.InboxCounts;
import org.frontdoor.api.inbox.Page;
import org.frontdoor.api.inbox.SlaState;

/**
 * The inbox's views in SQL: the conversation list with its filters and orders, the counts per view, and the SLA state
 * of rows. The scope is a condition of every statement, so what lies outside it is neither listed nor counted.
 *
 * <p>A conversation's SLA state comes from its timers that are not stopped and belong to its current department: the
 * earliest due time passed is breached, else the earliest warning time passed is at risk. Resolved ones are ok.
 */
final class InboxViews {

    /**
     * Per open conversation with timers of its department that still count: the earliest warning and due times. The
     * timers not stopped are few (those of open conversations), so this stays small beside the conversation table.
     */
    private static final String SLA_JOIN = " LEFT JOIN (SELECT t.conversation_id, t.department_id, "
            + "MIN(t.warn_at) AS warn_at, MIN(t.due_at) AS due_at FROM sla_timer t "
            + "WHERE t.state IN ('RUNNING', 'DONE') "
            + "GROUP BY t.conversation_id, t.department_id) s ON s.conversation_id = c.id "
            + "AND s.department_id = c.department_id AND c.status <> 'RESOLVED'";

    /** 2 breached, 1 at risk, 0 ok: the two times are bound as parameters in this order. */
    private static final String SLA_RANK = "CASE WHEN s.due_at <= ? THEN 2 WHEN s.warn_at <= ? THEN 1 ELSE 0 END";

    /** The open statuses, as an IN list (an index range each, where "not resolved" would read every row). */
    private static final String OPEN = java.util.Arrays.stream(ConversationStatus.values())
            .filter(s -> s != ConversationStatus.RESOLVED).map(s -> "'" + s.name() + "'")
            .collect(Collectors.joining(", "));

    private final EntityManagerFactory emf;

    InboxViews(EntityManagerFactory emf) {
        this.emf = emf;
    }

    /** A WHERE clause and its positional parameters, built in order. */
    private static final class Sql {
        final StringBuilder text = new StringBuilder();
        final List<Object> params = new ArrayList<>();

        Sql add(String part, Object... values) {
            text.append(part);
            params.addAll(List.of(values));
            return this;
        }

        Query bind(Query q) {
            for (int i = 0; i < params.size(); i++) {
                q.setParameter(i + 1, params.get(i));
            }
            return q;
        }
    }

    Page<ConversationSummary> conversations(Scope scope, ConversationQuery q, Instant now) {
        if (!scope.all() && scope.departments().isEmpty()) {
            return new Page<>(List.of(), 0, q.offset(), q.limit());
        }
        Timestamp at = Timestamp.from(now);
        boolean sla = q.sla() != null || q.sort() == ConversationQuery.Sort.URGENCY;
        Sql where = new Sql().add(" WHERE 1 = 1");
        scope(where, scope);
        if (q.status() != null) {
            where.add(" AND c.status = ?", q.status().name());
        }
        if (q.department() != null) {
            where.add(" AND c.department_id = ?", q.department());
        }
        if (q.channel() != null) {
            where.add(" AND c.channel = ?", q.channel());
        }
        if (q.priority() != null) {
            where.add(" AND c.priority = ?", q.priority());
        }
        if (q.assignee() != null) {
            where.add(" AND c.assignee = ?", q.assignee());
        }
        if (q.tag() != null) {
            where.add(" AND EXISTS (SELECT 1 FROM message_annotation a JOIN message m ON m.id = a.message_id "
                            + "WHERE m.conversation_id = c.id AND a.name = ? AND a.annotation_value = ?)",
                    ConversationQuery.tagName(q.tag()), ConversationQuery.tagValue(q.tag()));
        }
        if (q.sla() != null) {
            switch (q.sla()) {
                case BREACHED -> where.add(" AND s.due_at <= ?", at);
                case AT_RISK -> where.add(" AND s.due_at > ? AND s.warn_at <= ?", at, at);
                case OK -> where.add(" AND c.status <> 'RESOLVED' AND (s.conversation_id IS NULL "
                        + "OR (s.due_at > ? AND (s.warn_at IS NULL OR s.warn_at > ?)))", at, at);
            }
        }
        String from = " FROM conversation c" + (sla ? SLA_JOIN : "");
        return read(em -> {
            Sql count = new Sql().add("SELECT COUNT(*)" + from);
            count.text.append(where.text);
            count.params.addAll(where.params);
            long total = ((Number) count.bind(em.createNativeQuery(count.text.toString())).getSingleResult())
                    .longValue();
            if (total <= q.offset()) {
                return new Page<>(List.of(), total, q.offset(), q.limit());
            }
            Sql page = new Sql().add("SELECT c.id" + from);
            page.text.append(where.text);
            page.params.addAll(where.params);
            if (q.sort() == ConversationQuery.Sort.URGENCY) {
                page.add(" ORDER BY " + SLA_RANK + " DESC, c.priority DESC, c.last_activity_at ASC, c.id ASC", at, at);
            } else {
                page.add(" ORDER BY c.last_activity_at DESC, c.id DESC");
            }
            page.add(" LIMIT ? OFFSET ?", q.limit(), q.offset());
            @SuppressWarnings("unchecked")
            List<Object> ids = page.bind(em.createNativeQuery(page.text.toString())).getResultList();
            List<Long> order = ids.stream().map(id -> ((Number) id).longValue()).toList();
            Map<Long, ConversationEntity> rows = em.createQuery(
                            "SELECT c FROM ConversationEntity c WHERE c.id IN :ids", ConversationEntity.class)
                    .setParameter("ids", order).getResultList().stream()
                    .collect(Collectors.toMap(c -> c.id, Function.identity()));
            List<ConversationEntity> ordered = order.stream().map(rows::get).filter(r -> r != null).toList();
            return new Page<>(InboxReads.summaries(em, ordered), total, q.offset(), q.limit());
        });
    }

    /**
     * The counts of every view in one statement: the conversations grouped by everything a view filters on (a few
     * hundred groups at most), summed per view here.
     */
    InboxCounts counts(Scope scope, String me, Instant now) {
        Map<ConversationStatus, Long> byStatus = new EnumMap<>(ConversationStatus.class);
        Map<String, Long> byDepartment = new HashMap<>();
        Map<String, Long> byChannel = new HashMap<>();
        Map<Integer, Long> byPriority = new HashMap<>();
        Map<SlaState, Long> bySla = new EnumMap<>(SlaState.class);
        for (SlaState s : SlaState.values()) {
            bySla.put(s, 0L);
        }
        if (!scope.all() && scope.departments().isEmpty()) {
            return new InboxCounts(0, byStatus, byDepartment, byChannel, byPriority, bySla, 0);
        }
        Timestamp at = Timestamp.from(now);
        // the open ones grouped by every view's column; the resolved ones (most rows, in no view but their status)
        // only counted, without the SLA join
        Sql sql = new Sql().add("SELECT v.status, v.department_id, v.channel, v.priority, v.sla, v.mine, COUNT(*) "
                + "FROM (SELECT c.status, c.department_id, c.channel, c.priority, " + SLA_RANK + " AS sla, "
                + "CASE WHEN c.assignee = ? THEN 1 ELSE 0 END AS mine FROM conversation c" + SLA_JOIN
                + " WHERE c.status IN (" + OPEN + ")", at, at, me);
        scope(sql, scope);
        sql.add(") v GROUP BY v.status, v.department_id, v.channel, v.priority, v.sla, v.mine");
        sql.add(" UNION ALL SELECT c.status, NULL, NULL, NULL, NULL, NULL, COUNT(*) FROM conversation c "
                + "WHERE c.status = 'RESOLVED'");
        scope(sql, scope);
        sql.add(" GROUP BY c.status");
        List<Object[]> groups = read(em -> {
            @SuppressWarnings("unchecked")
            List<Object[]> rows = sql.bind(em.createNativeQuery(sql.text.toString())).getResultList();
            return rows;
        });
        long open = 0;
        long mine = 0;
        for (Object[] g : groups) {
            ConversationStatus status = ConversationStatus.valueOf((String) g[0]);
            long n = ((Number) g[6]).longValue();
            byStatus.merge(status, n, Long::sum);
            if (status == ConversationStatus.RESOLVED) {
                continue;
            }
            open += n;
            byDepartment.merge(g[1] == null ? "" : (String) g[1], n, Long::sum);
            byChannel.merge((String) g[2], n, Long::sum);
            byPriority.merge(((Number) g[3]).intValue(), n, Long::sum);
            bySla.merge(SlaState.values()[((Number) g[4]).intValue()], n, Long::sum);
            if (((Number) g[5]).intValue() == 1) {
                mine += n;
            }
        }
        return new InboxCounts(open, byStatus, byDepartment, byChannel, byPriority, bySla, mine);
    }

    /** The SLA state of the conversations named that are within the scope. */
    Map<Long, SlaState> sla(Scope scope, Collection<Long> ids, Instant now) {
        Map<Long, SlaState> found = new HashMap<>();
        if (ids.isEmpty() || !scope.all() && scope.departments().isEmpty()) {
            return found;
        }
        Timestamp at = Timestamp.from(now);
        Sql sql = new Sql().add("SELECT c.id, " + SLA_RANK + " FROM conversation c" + SLA_JOIN + " WHERE c.id IN ("
                + ids.stream().map(id -> "?").collect(Collectors.joining(", ")) + ")", at, at);
        sql.params.addAll(ids);
        scope(sql, scope);
        read(em -> {
            @SuppressWarnings("unchecked")
            List<Object[]> rows = sql.bind(em.createNativeQuery(sql.text.toString())).getResultList();
            rows.forEach(r -> found.put(((Number) r[0]).longValue(), SlaState.values()[((Number) r[1]).intValue()]));
            return null;
        });
        return found;
    }

    private static void scope(Sql sql, Scope scope) {
        if (!scope.all()) {
            sql.add(" AND c.department_id IN (" + scope.departments().stream().map(d -> "?")
                    .collect(Collectors.joining(", ")) + ")");
            sql.params.addAll(scope.departments());
        }
    }

    private <T> T read(Function<EntityManager, T> work) {
        return InboxReads.read(emf, work);
    }
}
