package org.frontdoor.store.jpa;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.frontdoor.api.ConversationEvent;
import org.frontdoor.api.Identity;
import org.frontdoor.api.OutboundReply;
import org.frontdoor.api.Visibility;
import org.frontdoor.store.Door;
import org.frontdoor.store.ReplyClaim;

/**
 * Reply delivery's transactions. A door's worker claims due replies for a while (rows other transactions hold are
 * skipped): two pipelines on one database never send the same reply at once, and a pipeline that dies lets its
 * claims run out. Each claim has a token of its own; renewing a claim and recording an outcome are fenced by owner
 * and token, so a node whose claim ran out and was taken again cannot overwrite what the new holder records.
 */
final class OutboxWrites {

    static final int MAX_ERROR = 1000;
    private static final String PENDING = "('QUEUED', 'RETRYING')";

    private final Jdbc jdbc;
    private final SequenceIds ids;

    OutboxWrites(Jdbc jdbc, SequenceIds ids) {
        this.jdbc = jdbc;
        this.ids = ids;
    }

    List<Door> doorsWithDueReplies(Collection<String> channels, Instant now) {
        if (channels.isEmpty()) {
            return List.of();
        }
        return jdbc.inTransaction("find doors with due replies", c -> {
            List<Door> doors = new ArrayList<>();
            try (PreparedStatement q = c.prepareStatement("SELECT DISTINCT channel, instance FROM reply WHERE "
                    + "channel = ANY(?) AND status IN " + PENDING + " AND next_attempt_at <= ? "
                    + "AND (claim_until IS NULL OR claim_until < ?)")) {
                q.setArray(1, c.createArrayOf("varchar", channels.toArray()));
                q.setTimestamp(2, Jdbc.ts(now));
                q.setTimestamp(3, Jdbc.ts(now));
                try (ResultSet rs = q.executeQuery()) {
                    while (rs.next()) {
                        doors.add(new Door(rs.getString(1), rs.getString(2)));
                    }
                }
            }
            return doors;
        });
    }

    /** Counted by index-friendly GROUP BYs in one read-only transaction: a scrape costs three small queries. */
    org.frontdoor.store.QueueDepths queueDepths() {
        return jdbc.inTransaction("count the queues", c -> {
            Map<Door, Long> replies = new HashMap<>();
            try (PreparedStatement q = c.prepareStatement("SELECT channel, instance, COUNT(*) FROM reply WHERE status IN "
                    + PENDING + " GROUP BY channel, instance");
                 ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    replies.put(new Door(rs.getString(1), rs.getString(2)), rs.getLong(3));
                }
            }
            long unrouted;
            try (PreparedStatement q = c.prepareStatement("SELECT COUNT(*) FROM conversation WHERE status = 'NEW'");
                 ResultSet rs = q.executeQuery()) {
                rs.next();
                unrouted = rs.getLong(1);
            }
            Map<String, Long> unassigned = new HashMap<>();
            try (PreparedStatement q = c.prepareStatement("SELECT department_id, COUNT(*) FROM conversation WHERE "
                    + "status = 'QUEUED' AND assignee IS NULL AND department_id IS NOT NULL GROUP BY department_id");
                 ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    unassigned.put(rs.getString(1), rs.getLong(2));
                }
            }
            return new org.frontdoor.store.QueueDepths(replies, unrouted, unassigned);
        });
    }

    List<ReplyClaim> claim(Door door, String node, String token, Instant now, Instant until, int limit) {
        return jdbc.inTransaction("claim replies of " + door, c -> {
            List<Long> claimed;
            // the earliest pending reply of each conversation only: its replies leave in the order they were committed
            // (seq: ids come from blocks each node caches, so a later reply may have a smaller id)
            try (PreparedStatement q = c.prepareStatement("SELECT r.id FROM reply r WHERE r.channel = ? "
                    + "AND r.instance = ? AND r.status IN " + PENDING + " AND r.next_attempt_at <= ? "
                    + "AND (r.claim_until IS NULL OR r.claim_until < ?) AND NOT EXISTS (SELECT 1 FROM reply p "
                    + "WHERE p.conversation_id = r.conversation_id AND p.seq < r.seq AND p.status IN " + PENDING + ") "
                    + "ORDER BY r.id LIMIT ? FOR UPDATE SKIP LOCKED")) {
                q.setString(1, door.channel());
                q.setString(2, door.instance());
                q.setTimestamp(3, Jdbc.ts(now));
                q.setTimestamp(4, Jdbc.ts(now));
                q.setInt(5, limit);
                claimed = Jdbc.ids(q);
            }
            if (claimed.isEmpty()) {
                return List.of();
            }
            // a recipient who opted out since the reply was queued gets nothing: it fails here, with the reason
            List<OutboundReply> sendable = new ArrayList<>();
            for (OutboundReply r : outbound(c, claimed)) {
                String optedOut = ConsentStore.refusal(c, r.channel(), r.recipient().handle());
                if (optedOut == null) {
                    sendable.add(r);
                } else {
                    refuseUnsent(c, r.replyId(), optedOut, now);
                }
            }
            if (sendable.isEmpty()) {
                return List.of();
            }
            claimRows(c, node, token, until, sendable.stream().map(OutboundReply::replyId).toList());
            return sendable.stream().map(r -> new ReplyClaim(r, node, token, until)).toList();
        });
    }

    private static void claimRows(Connection c, String node, String token, Instant until, List<Long> ids)
            throws SQLException {
        try (PreparedStatement u = c.prepareStatement("UPDATE reply SET claim_owner = ?, claim_token = ?, "
                + "claim_until = ? WHERE id = ANY(?)")) {
            u.setString(1, node);
            u.setString(2, token);
            u.setTimestamp(3, Jdbc.ts(until));
            u.setArray(4, c.createArrayOf("bigint", ids.toArray()));
            u.executeUpdate();
        }
    }

    /** The condition that the claim is still this one: same owner, same token, reply not done. */
    private static final String HELD = " AND claim_owner = ? AND claim_token = ? AND status IN " + PENDING;

    private static void held(PreparedStatement s, int from, ReplyClaim claim) throws SQLException {
        s.setString(from, claim.node());
        s.setString(from + 1, claim.token());
    }

    boolean renew(ReplyClaim claim, Instant until) {
        return jdbc.inTransaction("renew the claim on reply " + claim.replyId(), c -> {
            try (PreparedStatement u = c.prepareStatement("UPDATE reply SET claim_until = ? WHERE id = ?" + HELD)) {
                u.setTimestamp(1, Jdbc.ts(until));
                u.setLong(2, claim.replyId());
                held(u, 3, claim);
                return u.executeUpdate() == 1;
            }
        });
    }

    /** The claimed replies as their channel sends them: to the author of the message answered, in its thread. */
    private static List<OutboundReply> outbound(Connection c, List<Long> replyIds) throws SQLException {
        record Row(long id, long conversationId, String channel, String instance, String text, String visibility,
                   String author, Instant createdAt, int attempts, Long inReplyTo, String threadRef,
                   long conversationIdentity, String recipientHandle, String recipientName, long seq) {
        }
        List<Row> rows = new ArrayList<>();
        try (PreparedStatement q = c.prepareStatement("SELECT r.id, r.conversation_id, r.channel, r.instance, r.body, "
                + "r.visibility, r.author, r.created_at, r.attempts, r.in_reply_to_message_id, c.thread_ref, "
                + "c.identity_id, r.recipient_handle, r.recipient_name, r.seq FROM reply r JOIN conversation c "
                + "ON c.id = r.conversation_id WHERE r.id = ANY(?) "
                + "ORDER BY r.id")) {
            q.setArray(1, c.createArrayOf("bigint", replyIds.toArray()));
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    long inReplyTo = rs.getLong(10);
                    rows.add(new Row(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4), rs.getString(5),
                            rs.getString(6), rs.getString(7), Jdbc.instant(rs, "created_at"), rs.getInt(9),
                            rs.wasNull() ? null : inReplyTo, rs.getString(11), rs.getLong(12), rs.getString(13),
                            rs.getString(14), rs.getLong(15)));
                }
            }
        }
        Map<Long, Object[]> answered = new HashMap<>();
        Set<Long> messageIds = new HashSet<>();
        rows.stream().filter(r -> r.inReplyTo() != null).forEach(r -> messageIds.add(r.inReplyTo()));
        if (!messageIds.isEmpty()) {
            try (PreparedStatement q = c.prepareStatement("SELECT id, external_id, identity_id FROM message "
                    + "WHERE id = ANY(?)")) {
                q.setArray(1, c.createArrayOf("bigint", messageIds.toArray()));
                try (ResultSet rs = q.executeQuery()) {
                    while (rs.next()) {
                        answered.put(rs.getLong(1), new Object[] {rs.getString(2), rs.getLong(3)});
                    }
                }
            }
        }
        Set<Long> identityIds = new HashSet<>();
        for (Row r : rows) {
            Object[] message = r.inReplyTo() == null ? null : answered.get(r.inReplyTo());
            identityIds.add(message == null ? r.conversationIdentity() : (Long) message[1]);
        }
        Map<Long, Identity> identities = RoutingWrites.identities(c, identityIds);
        List<OutboundReply> out = new ArrayList<>();
        for (Row r : rows) {
            if (r.recipientHandle() != null) {
                // through another door than the conversation's: to the recipient it names, in a new thread there
                Identity to = new Identity(r.channel(), r.recipientHandle(), r.recipientName(), null, null, 0);
                out.add(new OutboundReply(r.id(), r.conversationId(), r.channel(), r.instance(), to, null, null,
                        Visibility.valueOf(r.visibility()), r.text(), r.author(), r.createdAt(), r.attempts() + 1,
                        r.seq()));
                continue;
            }
            Object[] message = r.inReplyTo() == null ? null : answered.get(r.inReplyTo());
            Identity to = identities.get(message == null ? r.conversationIdentity() : (Long) message[1]);
            out.add(new OutboundReply(r.id(), r.conversationId(), r.channel(), r.instance(), to, r.threadRef(),
                    message == null ? null : (String) message[0], Visibility.valueOf(r.visibility()), r.text(),
                    r.author(), r.createdAt(), r.attempts() + 1, r.seq()));
        }
        return out;
    }

    boolean sent(ReplyClaim claim, Instant at, String vendorId) {
        long replyId = claim.replyId();
        OutboundReply reply = claim.reply();
        return jdbc.inTransaction("record reply " + replyId + " as sent", c -> {
            String keep = vendorId;
            if (keep != null && taken(c, reply.channel(), reply.instance(), keep, replyId)) {
                // the door named an id another reply has: kept on neither, so no receipt lands on the wrong reply
                TxLog log = new TxLog();
                log.audit(TxLog.SYSTEM, "reply.vendor-id-taken", "reply", replyId, "vendor id " + keep
                        + " is already another reply's on " + reply.channel() + "/" + reply.instance());
                log.flush(c, jdbc, ids, at);
                keep = null;
            }
            int n;
            try (PreparedStatement u = c.prepareStatement("UPDATE reply SET status = 'SENT', attempts = attempts + 1, "
                    + "sent_at = ?, next_attempt_at = NULL, last_error = NULL, claim_owner = NULL, claim_until = NULL, "
                    + "claim_token = NULL, vendor_id = ?, version = version + 1 WHERE id = ?" + HELD)) {
                u.setTimestamp(1, Jdbc.ts(at));
                u.setString(2, keep);
                u.setLong(3, replyId);
                held(u, 4, claim);
                n = u.executeUpdate();
            }
            if (n == 1) {
                outcome(c, replyId, ConversationEvent.Type.REPLY_SENT, "reply.sent", null, at);
            }
            return n == 1;
        });
    }

    private static boolean taken(Connection c, String channel, String instance, String vendorId, long replyId)
            throws SQLException {
        try (PreparedStatement q = c.prepareStatement("SELECT 1 FROM reply WHERE channel = ? AND instance = ? "
                + "AND vendor_id = ? AND id <> ?")) {
            q.setString(1, channel);
            q.setString(2, instance);
            q.setString(3, vendorId);
            q.setLong(4, replyId);
            try (ResultSet rs = q.executeQuery()) {
                return rs.next();
            }
        }
    }

    boolean failed(ReplyClaim claim, String reason, Instant nextAttemptAt, int maxAttempts) {
        long replyId = claim.replyId();
        String why = Jdbc.cut(reason == null || reason.isBlank() ? "sending failed without a reason" : reason, MAX_ERROR);
        return jdbc.inTransaction("record a failed attempt of reply " + replyId, c -> {
            Instant now = Instant.now();
            int attempts;
            try (PreparedStatement q = c.prepareStatement("SELECT attempts FROM reply WHERE id = ?" + HELD
                    + " FOR UPDATE")) {
                q.setLong(1, replyId);
                held(q, 2, claim);
                try (ResultSet rs = q.executeQuery()) {
                    if (!rs.next()) {
                        return false; // the claim was lost: taken again, or the reply is done
                    }
                    attempts = rs.getInt(1) + 1;
                }
            }
            boolean givenUp = attempts >= maxAttempts;
            String error = givenUp ? Jdbc.cut("gave up after " + attempts + " attempts: " + why, MAX_ERROR) : why;
            try (PreparedStatement u = c.prepareStatement("UPDATE reply SET status = ?, attempts = ?, last_error = ?, "
                    + "next_attempt_at = ?, claim_owner = NULL, claim_until = NULL, claim_token = NULL, version = version + 1 "
                    + "WHERE id = ?")) {
                u.setString(1, givenUp ? "FAILED" : "RETRYING");
                u.setInt(2, attempts);
                u.setString(3, error);
                u.setTimestamp(4, givenUp ? null : Jdbc.ts(nextAttemptAt));
                u.setLong(5, replyId);
                u.executeUpdate();
            }
            if (givenUp) {
                outcome(c, replyId, ConversationEvent.Type.REPLY_FAILED, "reply.failed", error, now);
            } else {
                TxLog log = new TxLog();
                log.audit(TxLog.SYSTEM, "reply.attempt-failed", "reply", replyId, "attempt " + attempts + ": " + why);
                log.flush(c, jdbc, ids, now);
            }
            return true;
        });
    }

    boolean refused(ReplyClaim claim, String reason) {
        long replyId = claim.replyId();
        String why = Jdbc.cut(reason == null || reason.isBlank() ? "the door refused the reply without a reason"
                : reason, MAX_ERROR);
        return jdbc.inTransaction("record reply " + replyId + " as refused", c -> {
            int n;
            try (PreparedStatement u = c.prepareStatement("UPDATE reply SET status = 'FAILED', attempts = attempts + 1, "
                    + "last_error = ?, next_attempt_at = NULL, claim_owner = NULL, claim_until = NULL, claim_token = NULL, "
                    + "version = version + 1 WHERE id = ?" + HELD)) {
                u.setString(1, why);
                u.setLong(2, replyId);
                held(u, 3, claim);
                n = u.executeUpdate();
            }
            if (n == 1) {
                outcome(c, replyId, ConversationEvent.Type.REPLY_FAILED, "reply.refused", why, Instant.now());
            }
            return n == 1;
        });
    }

    /** Fails a reply found unsendable as it was claimed, before any door saw it. */
    private void refuseUnsent(Connection c, long replyId, String reason, Instant now) throws SQLException {
        String why = Jdbc.cut(reason, MAX_ERROR);
        try (PreparedStatement u = c.prepareStatement("UPDATE reply SET status = 'FAILED', last_error = ?, "
                + "next_attempt_at = NULL, claim_owner = NULL, claim_until = NULL, claim_token = NULL, "
                + "version = version + 1 WHERE id = ?")) {
            u.setString(1, why);
            u.setLong(2, replyId);
            u.executeUpdate();
        }
        outcome(c, replyId, ConversationEvent.Type.REPLY_FAILED, "reply.refused", why, now);
    }

    /** The event and audit row of a reply's outcome, in the caller's transaction. */
    private void outcome(Connection c, long replyId, ConversationEvent.Type type, String action, String detail,
                         Instant now) throws SQLException {
        try (PreparedStatement q = c.prepareStatement("SELECT r.conversation_id, c.channel, c.instance, "
                + "c.department_id, r.attempts FROM reply r JOIN conversation c ON c.id = r.conversation_id "
                + "WHERE r.id = ?")) {
            q.setLong(1, replyId);
            try (ResultSet rs = q.executeQuery()) {
                rs.next();
                TxLog log = new TxLog();
                log.event(type, rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), replyId,
                        TxLog.SYSTEM, detail);
                log.audit(TxLog.SYSTEM, action, "reply", replyId,
                        "attempt " + rs.getInt(5) + (detail == null ? "" : ": " + detail));
                log.flush(c, jdbc, ids, now);
            }
        }
    }

    void release(Collection<ReplyClaim> notStarted) {
        if (notStarted.isEmpty()) {
            return;
        }
        jdbc.inTransaction("let go of " + notStarted.size() + " reply claims", c -> {
            try (PreparedStatement u = c.prepareStatement("UPDATE reply SET claim_owner = NULL, claim_until = NULL, "
                    + "claim_token = NULL WHERE id = ?" + HELD)) {
                for (ReplyClaim claim : notStarted) {
                    u.setLong(1, claim.replyId());
                    held(u, 2, claim);
                    u.addBatch();
                }
                u.executeBatch();
            }
            return null;
        });
    }

    int takeBack(String node, String runPrefix) {
        return jdbc.inTransaction("take back the reply claims of an earlier run of " + node, c -> {
            try (PreparedStatement u = c.prepareStatement("UPDATE reply SET claim_owner = NULL, claim_until = NULL, "
                    + "claim_token = NULL WHERE claim_owner = ? AND (claim_token IS NULL OR claim_token NOT LIKE ?)")) {
                u.setString(1, node);
                u.setString(2, runPrefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%");
                return u.executeUpdate();
            }
        });
    }

    void releaseRouteClaims(String node) {
        jdbc.inTransaction("let go of the route claims of " + node, c -> {
            try (PreparedStatement u = c.prepareStatement("UPDATE conversation SET route_claim = NULL, "
                    + "route_claim_until = NULL WHERE route_claim = ?")) {
                u.setString(1, node);
                u.executeUpdate();
            }
            return null;
        });
    }
}
