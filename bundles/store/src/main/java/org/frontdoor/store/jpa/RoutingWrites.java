package org.frontdoor.store.jpa;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.frontdoor.api.Annotation;
import org.frontdoor.api.ConversationEvent;
import org.frontdoor.api.Identity;
import org.frontdoor.api.Message;
import org.frontdoor.api.RoutingContext;
import org.frontdoor.api.RoutingDecision;
import org.frontdoor.api.Visibility;
import org.frontdoor.api.Direction;
import org.frontdoor.store.PendingRoute;
import org.frontdoor.store.RouteResult;
import org.frontdoor.store.StoredMessage;

/**
 * Routing's transactions. A pipeline claims the conversations it routes for a while (rows other transactions hold are
 * skipped, not waited for), decides outside any transaction, then records each decision only where the conversation
 * is still NEW and still its claim: two pipelines on one database never route the same conversation twice.
 */
final class RoutingWrites {

    private final Jdbc jdbc;
    private final SequenceIds ids;

    RoutingWrites(Jdbc jdbc, SequenceIds ids) {
        this.jdbc = jdbc;
        this.ids = ids;
    }

    List<PendingRoute> claim(String node, Instant until, int limit) {
        return jdbc.inTransaction("claim conversations to route", c -> {
            Instant now = Instant.now();
            List<Long> claimed;
            try (PreparedStatement q = c.prepareStatement("SELECT id FROM conversation WHERE status = 'NEW' "
                    + "AND (route_claim_until IS NULL OR route_claim_until < ?) ORDER BY id LIMIT ? "
                    + "FOR UPDATE SKIP LOCKED")) {
                q.setTimestamp(1, Jdbc.ts(now));
                q.setInt(2, limit);
                claimed = Jdbc.ids(q);
            }
            if (claimed.isEmpty()) {
                return List.of();
            }
            Jdbc.claim(c, "conversation", "route_claim", "route_claim_until", node, until, claimed);
            return pending(c, claimed);
        });
    }

    private static List<PendingRoute> pending(Connection c, List<Long> claimed) throws SQLException {
        Map<Long, Object[]> conversations = new LinkedHashMap<>();
        try (PreparedStatement q = c.prepareStatement("SELECT id, customer_id, department_id, classified_seq "
                + "FROM conversation WHERE id = ANY(?) ORDER BY id")) {
            q.setArray(1, c.createArrayOf("bigint", claimed.toArray()));
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    conversations.put(rs.getLong(1), new Object[] {rs.getLong(2), rs.getString(3), rs.getLong(4)});
                }
            }
        }
        Map<Long, List<StoredMessage>> messages = latestMessages(c, claimed, RoutingContext.MAX_MESSAGES);
        List<PendingRoute> out = new ArrayList<>();
        for (Map.Entry<Long, Object[]> e : conversations.entrySet()) {
            List<StoredMessage> history = messages.getOrDefault(e.getKey(), List.of());
            if (history.isEmpty()) {
                continue; // nothing to route on: cannot happen, a conversation is opened by a message
            }
            String department = (String) e.getValue()[1];
            // only routing and transfers set a department, and a NEW conversation with one was resolved and reopened
            out.add(new PendingRoute(e.getKey(), (Long) e.getValue()[0], department, department != null, history,
                    (Long) e.getValue()[2]));
        }
        return out;
    }

    /**
     * The latest {@code max} customer messages of each conversation, oldest first (in commit order: seq, never ids),
     * with authors and annotations.
     */
    static Map<Long, List<StoredMessage>> latestMessages(Connection c, List<Long> conversationIds, int max)
            throws SQLException {
        record Row(long id, long conversationId, long customerId, long identityId, String channel, String instance,
                   String externalId, String direction, String visibility, String threadRef, String text,
                   Instant receivedAt, long seq) {
        }
        List<Row> rows = new ArrayList<>();
        try (PreparedStatement q = c.prepareStatement("SELECT id, conversation_id, customer_id, identity_id, channel, "
                + "instance, external_id, direction, visibility, thread_ref, body, received_at, seq FROM ("
                + "SELECT m.*, ROW_NUMBER() OVER (PARTITION BY m.conversation_id ORDER BY m.seq DESC) AS rn "
                + "FROM message m WHERE m.conversation_id = ANY(?)) latest WHERE rn <= ? ORDER BY conversation_id, seq")) {
            q.setArray(1, c.createArrayOf("bigint", conversationIds.toArray()));
            q.setInt(2, max);
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    rows.add(new Row(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getString(5),
                            rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9), rs.getString(10),
                            rs.getString(11), Jdbc.instant(rs, "received_at"), rs.getLong(13)));
                }
            }
        }
        Set<Long> identityIds = new HashSet<>();
        rows.forEach(r -> identityIds.add(r.identityId()));
        Map<Long, Identity> authors = identities(c, identityIds);
        Map<Long, List<Annotation>> annotations = Annotations.of(c, rows.stream().map(Row::id).toList());
        Map<Long, List<StoredMessage>> out = new HashMap<>();
        for (Row r : rows) {
            Message m = Message.builder().channel(r.channel()).instance(r.instance()).externalId(r.externalId())
                    .direction(Direction.valueOf(r.direction())).visibility(Visibility.valueOf(r.visibility()))
                    .author(authors.get(r.identityId())).threadRef(r.threadRef()).text(r.text())
                    .receivedAt(r.receivedAt()).annotations(annotations.getOrDefault(r.id(), List.of())).build();
            out.computeIfAbsent(r.conversationId(), id -> new ArrayList<>())
                    .add(new StoredMessage(r.id(), r.customerId(), m, r.seq()));
        }
        return out;
    }

    static Map<Long, Identity> identities(Connection c, Set<Long> ids) throws SQLException {
        Map<Long, Identity> found = new HashMap<>();
        if (ids.isEmpty()) {
            return found;
        }
        try (PreparedStatement q = c.prepareStatement("SELECT id, channel, handle, display_name, email, phone, reach "
                + "FROM customer_identity WHERE id = ANY(?)")) {
            q.setArray(1, c.createArrayOf("bigint", ids.toArray()));
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    found.put(rs.getLong(1), new Identity(rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getString(5), rs.getString(6), rs.getLong(7)));
                }
            }
        }
        return found;
    }

    List<Long> routed(String node, List<RouteResult> results) {
        if (results.isEmpty()) {
            return List.of();
        }
        try {
            return record(node, results);
        } catch (RuntimeException e) {
            // let go of the batch at once, so the next run (here or on another node) retries it instead of waiting
            // for the claim to run out
            release(node, results.stream().map(RouteResult::conversationId).toList(), e);
            throw e;
        }
    }

    private void release(String node, List<Long> conversations, RuntimeException cause) {
        try {
            jdbc.inTransaction("let go of " + conversations.size() + " routing claims", c -> {
                try (PreparedStatement u = c.prepareStatement("UPDATE conversation SET route_claim = NULL, "
                        + "route_claim_until = NULL WHERE id = ANY(?) AND route_claim = ? AND status = 'NEW'")) {
                    u.setArray(1, c.createArrayOf("bigint", conversations.toArray()));
                    u.setString(2, node);
                    return u.executeUpdate();
                }
            });
        } catch (RuntimeException e) {
            cause.addSuppressed(e); // the claims run out on their own
        }
    }

    private List<Long> record(String node, List<RouteResult> results) {
        return jdbc.inTransaction("record " + results.size() + " routing decisions", c -> {
            Instant now = Instant.now();
            Departments.ensure(c, jdbc, results.stream().map(r -> r.decision().department()).toList(), now);
            // routed before: a customer's message reopened it, and this routes it again (the event says which)
            Set<Long> again = new HashSet<>();
            try (PreparedStatement q = c.prepareStatement("SELECT id FROM conversation WHERE id = ANY(?) "
                    + "AND routed_at IS NOT NULL")) {
                q.setArray(1, c.createArrayOf("bigint", results.stream().map(RouteResult::conversationId).toArray()));
                again.addAll(Jdbc.ids(q));
            }
            int[] counts;
            try (PreparedStatement u = c.prepareStatement("UPDATE conversation SET status = 'QUEUED', "
                    + "department_id = ?, priority = ?, skill = ?, routed_at = ?, route_claim = NULL, "
                    + "route_claim_until = NULL, classified_seq = GREATEST(classified_seq, ?), version = version + 1, "
                    + "routed_rule = ?, routed_reason = ? WHERE id = ? AND status = 'NEW' AND route_claim = ?")) {
                for (RouteResult r : results) {
                    RoutingDecision d = r.decision();
                    u.setString(1, d.department());
                    u.setInt(2, d.priority());
                    u.setString(3, d.skill());
                    u.setTimestamp(4, Jdbc.ts(now));
                    u.setLong(5, r.classifiedThrough());
                    u.setString(6, d.rule());
                    u.setString(7, d.reason());
                    u.setLong(8, r.conversationId());
                    u.setString(9, node);
                    u.addBatch();
                }
                counts = u.executeBatch();
            }
            List<RouteResult> done = new ArrayList<>();
            for (int i = 0; i < counts.length; i++) {
                if (counts[i] != 0) {
                    done.add(results.get(i));
                }
            }
            if (done.isEmpty()) {
                return List.of();
            }
            Map<Long, String[]> doors = Conversations.doors(c, done.stream().map(RouteResult::conversationId).toList());
            TxLog log = new TxLog();
            List<Object[]> annotations = new ArrayList<>();
            for (RouteResult r : done) {
                RoutingDecision d = r.decision();
                String[] door = doors.get(r.conversationId());
                boolean reopened = again.contains(r.conversationId());
                String detail = (reopened ? "reopened; " : "")
                        + "rule " + d.rule() + ", priority " + d.priority()
                        + (d.skill() == null ? "" : ", skill " + d.skill());
                log.event(ConversationEvent.Type.ROUTED, r.conversationId(), door[0], door[1], d.department(), 0,
                        TxLog.SYSTEM, detail, null, reopened);
                log.audit(TxLog.SYSTEM, "conversation.routed", "conversation", r.conversationId(),
                        "to " + d.department() + " by " + detail);
                r.annotations().forEach((messageId, found) -> found.forEach(a ->
                        annotations.add(new Object[] {messageId, a.annotation(), a.source()})));
            }
            Annotations.insert(c, jdbc, annotations);
            log.flush(c, jdbc, ids, now);
            return done.stream().map(RouteResult::conversationId).toList();
        });
    }
}
