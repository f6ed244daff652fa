package org.frontdoor.store.jpa;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import org.frontdoor.api.ConversationEvent;
import org.frontdoor.api.delivery.DeliveryReceipt;
import org.frontdoor.api.delivery.DeliveryReceipts;
import org.frontdoor.api.delivery.DeliveryState;
import org.frontdoor.api.delivery.ReceiptOutcome;
import org.frontdoor.store.StoreConflictException;

/**
 * Delivery receipts' transactions. A receipt is written to {@code delivery_receipt} in a transaction of its own, then
 * applied in another one to the reply that carries its vendor id; recording a send with its vendor id is also followed
 * by an apply of its own. Whichever of the two commits second finds the other's row, so a receipt that overtakes the
 * recording of its send is never lost. Applying locks the reply's row: two nodes applying at once write one event.
 */
final class DeliveryWrites {

    private final Jdbc jdbc;
    private final SequenceIds ids;

    DeliveryWrites(Jdbc jdbc, SequenceIds ids) {
        this.jdbc = jdbc;
        this.ids = ids;
    }

    ReceiptOutcome receipt(DeliveryReceipt r, Instant now) {
        boolean kept;
        try {
            kept = jdbc.inTransaction("keep a delivery receipt of " + r.channel() + "/" + r.instance(), c -> {
                try (PreparedStatement d = c.prepareStatement("DELETE FROM delivery_receipt WHERE received_at < ?")) {
                    d.setTimestamp(1, Jdbc.ts(now.minus(Duration.ofDays(DeliveryReceipts.KEPT_DAYS))));
                    d.executeUpdate();
                }
                try (PreparedStatement i = c.prepareStatement("INSERT INTO delivery_receipt (channel, instance, "
                        + "vendor_id, state, at, reason, received_at) SELECT ?, ?, ?, ?, ?, ?, ? WHERE NOT EXISTS "
                        + "(SELECT 1 FROM delivery_receipt WHERE channel = ? AND instance = ? AND vendor_id = ? "
                        + "AND state = ?)")) {
                    i.setString(1, r.channel());
                    i.setString(2, r.instance());
                    i.setString(3, r.vendorId());
                    i.setString(4, r.state().name());
                    i.setTimestamp(5, Jdbc.ts(r.at()));
                    i.setString(6, r.reason());
                    i.setTimestamp(7, Jdbc.ts(now));
                    i.setString(8, r.channel());
                    i.setString(9, r.instance());
                    i.setString(10, r.vendorId());
                    i.setString(11, r.state().name());
                    return i.executeUpdate() == 1;
                }
            });
        } catch (StoreConflictException e) {
            kept = false; // the same receipt, kept by another node at the same moment
        }
        int applied = applyReceipts(r.channel(), r.instance(), r.vendorId());
        if (applied > 0) {
            return ReceiptOutcome.APPLIED;
        }
        return kept && waiting(r) ? ReceiptOutcome.KEPT : ReceiptOutcome.UNCHANGED;
    }

    /** Whether this receipt still waits for its reply. */
    private boolean waiting(DeliveryReceipt r) {
        return jdbc.inTransaction("look for a waiting delivery receipt", c -> {
            try (PreparedStatement q = c.prepareStatement("SELECT 1 FROM delivery_receipt WHERE channel = ? "
                    + "AND instance = ? AND vendor_id = ? AND state = ?")) {
                q.setString(1, r.channel());
                q.setString(2, r.instance());
                q.setString(3, r.vendorId());
                q.setString(4, r.state().name());
                try (ResultSet rs = q.executeQuery()) {
                    return rs.next();
                }
            }
        });
    }

    int applyReceipts(String channel, String instance, String vendorId) {
        return jdbc.inTransaction("apply the delivery receipts of " + channel + "/" + instance, c -> {
            long replyId;
            long conversationId;
            DeliveryState current;
            try (PreparedStatement q = c.prepareStatement("SELECT id, conversation_id, delivery_state FROM reply "
                    + "WHERE channel = ? AND instance = ? AND vendor_id = ? FOR UPDATE")) {
                q.setString(1, channel);
                q.setString(2, instance);
                q.setString(3, vendorId);
                try (ResultSet rs = q.executeQuery()) {
                    if (!rs.next()) {
                        return 0; // not sent yet, or not ours: the receipt waits
                    }
                    replyId = rs.getLong(1);
                    conversationId = rs.getLong(2);
                    String state = rs.getString(3);
                    current = state == null ? null : DeliveryState.valueOf(state);
                }
            }
            record Kept(DeliveryState state, Instant at, String reason) {
            }
            List<Kept> kept = new ArrayList<>();
            try (PreparedStatement q = c.prepareStatement("SELECT state, at, reason FROM delivery_receipt "
                    + "WHERE channel = ? AND instance = ? AND vendor_id = ?")) {
                q.setString(1, channel);
                q.setString(2, instance);
                q.setString(3, vendorId);
                try (ResultSet rs = q.executeQuery()) {
                    while (rs.next()) {
                        kept.add(new Kept(DeliveryState.valueOf(rs.getString(1)), Jdbc.instant(rs, "at"),
                                rs.getString(3)));
                    }
                }
            }
            if (kept.isEmpty()) {
                return 0;
            }
            kept.sort(Comparator.comparing(Kept::state));
            int moved = 0;
            TxLog log = null;
            Kept last = null;
            for (Kept k : kept) {
                if (!k.state().advances(current)) {
                    continue;
                }
                if (log == null) {
                    log = new TxLog();
                }
                String[] door = door(c, conversationId);
                log.event(type(k.state()), conversationId, door[0], door[1], door[2], replyId, TxLog.SYSTEM,
                        k.reason());
                log.audit(TxLog.SYSTEM, "reply." + k.state().id(), "reply", replyId,
                        "vendor id " + vendorId + (k.reason() == null ? "" : ": " + k.reason()));
                current = k.state();
                last = k;
                moved++;
            }
            if (last != null) {
                try (PreparedStatement u = c.prepareStatement("UPDATE reply SET delivery_state = ?, delivery_at = ?, "
                        + "delivery_reason = ?, version = version + 1 WHERE id = ?")) {
                    u.setString(1, last.state().name());
                    u.setTimestamp(2, Jdbc.ts(last.at()));
                    u.setString(3, last.reason());
                    u.setLong(4, replyId);
                    u.executeUpdate();
                }
            }
            // only the rows read above: one another node kept meanwhile is applied by that node's own apply
            try (PreparedStatement d = c.prepareStatement("DELETE FROM delivery_receipt WHERE channel = ? "
                    + "AND instance = ? AND vendor_id = ? AND state = ?")) {
                for (Kept k : kept) {
                    d.setString(1, channel);
                    d.setString(2, instance);
                    d.setString(3, vendorId);
                    d.setString(4, k.state().name());
                    d.addBatch();
                }
                d.executeBatch();
            }
            if (log != null) {
                log.flush(c, jdbc, ids, Instant.now());
            }
            return moved;
        });
    }

    /** The conversation's channel, instance and department, as its events carry them. */
    private static String[] door(Connection c, long conversationId) throws SQLException {
        try (PreparedStatement q = c.prepareStatement("SELECT channel, instance, department_id FROM conversation "
                + "WHERE id = ?")) {
            q.setLong(1, conversationId);
            try (ResultSet rs = q.executeQuery()) {
                rs.next();
                return new String[] {rs.getString(1), rs.getString(2), rs.getString(3)};
            }
        }
    }

    private static ConversationEvent.Type type(DeliveryState state) {
        return switch (state) {
            case DELIVERED -> ConversationEvent.Type.REPLY_DELIVERED;
            case READ -> ConversationEvent.Type.REPLY_READ;
            case FAILED -> ConversationEvent.Type.REPLY_DELIVERY_FAILED;
        };
    }
}
