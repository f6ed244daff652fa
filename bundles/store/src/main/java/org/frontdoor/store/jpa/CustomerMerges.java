package org.frontdoor.store.jpa;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

import org.frontdoor.api.ConversationEvent;
import org.frontdoor.api.Identity;
import org.frontdoor.api.Scope;
import org.frontdoor.api.inbox.CustomerMerge;
import org.frontdoor.api.inbox.MergeSuggestion;
import org.frontdoor.api.inbox.StoreCheck;
import org.frontdoor.store.jpa.SequenceIds.Sequence;

/**
 * Who a customer is: a proof links an address to the prover's customer when no other customer with history has it,
 * else it suggests a merge; only an agent merges, and every merge records what it moved so that an unmerge puts each
 * row back. Ingest reads an author's identity under a lock that a merge's lock on the same row waits for (and the
 * other way round), so a message is always written with the customer its author has when it commits.
 */
final class CustomerMerges {

    private final Jdbc jdbc;
    private final SequenceIds ids;

    CustomerMerges(Jdbc jdbc, SequenceIds ids) {
        this.jdbc = jdbc;
        this.ids = ids;
    }

    /** What a proof did: linked to {@code customerId}, or suggested a merge and moved nothing. */
    record Linked(long customerId, boolean suggested) {
    }

    long linkVerified(Identity known, Identity proven, String actor) {
        return jdbc.inTransaction("link " + proven.channel() + " identity to " + known.channel() + " identity",
                c -> linkOrSuggest(c, known, proven, actor, known.channel() + " identity " + known.handle()
                        + " proved " + proven.channel() + " " + proven.handle()).customerId());
    }

    /**
     * In the caller's transaction: {@code proven} becomes a verified identity of {@code known}'s customer when it is
     * new, already that customer's, or the only identity of a customer without messages; when another customer with
     * history has it, a merge suggestion is recorded with the reason, and nothing moves.
     */
    Linked linkOrSuggest(Connection c, Identity known, Identity proven, String actor, String reason)
            throws SQLException {
        String who = Jdbc.cut(actor, InboxWrites.MAX_NAME);
        long[] knownRow = identity(c, known, true);
        if (knownRow == null) {
            throw new NoSuchElementException("no message from " + known.channel() + " " + known.handle()
                    + " was ever stored");
        }
        long customer = knownRow[1];
        Instant now = Instant.now();
        TxLog log = new TxLog();
        long[] provenRow = identity(c, proven, true);
        Linked result;
        if (provenRow == null) {
            long id = ids.take(c, Map.of(Sequence.IDENTITY, 1)).get(Sequence.IDENTITY)[0];
            jdbc.insert(c, "customer_identity", List.of(id),
                    new Jdbc.Column<>("id", "bigint", r -> r),
                    new Jdbc.Column<>("customer_id", "bigint", r -> customer),
                    new Jdbc.Column<>("channel", "varchar", r -> proven.channel()),
                    new Jdbc.Column<>("handle", "varchar", r -> Jdbc.cut(proven.handle(), 255)),
                    new Jdbc.Column<>("display_name", "varchar", r -> Jdbc.cut(proven.displayName(), 255)),
                    new Jdbc.Column<>("email", "varchar", r -> Jdbc.cut(proven.email(), 320)),
                    new Jdbc.Column<>("phone", "varchar", r -> Jdbc.cut(proven.phone(), 32)),
                    new Jdbc.Column<>("reach", "bigint", r -> proven.reach()),
                    new Jdbc.Column<>("created_at", "timestamptz", r -> now),
                    new Jdbc.Column<>("verified_at", "timestamptz", r -> now));
            log.audit(who, "customer.identity-verified", "customer", customer,
                    proven.channel() + " identity added, proven by " + known.channel() + " identity " + knownRow[0]);
            result = new Linked(customer, false);
        } else if (provenRow[1] == customer) {
            markVerified(c, provenRow[0], now);
            log.audit(who, "customer.identity-verified", "customer", customer,
                    proven.channel() + " identity " + provenRow[0] + " proven");
            result = new Linked(customer, false);
        } else if (!hasHistory(c, provenRow[1], provenRow[0])) {
            // an identity nobody wrote from: it simply becomes the prover's
            try (PreparedStatement u = c.prepareStatement("UPDATE customer_identity SET customer_id = ?, "
                    + "verified_at = ? WHERE id = ?")) {
                u.setLong(1, customer);
                u.setTimestamp(2, Jdbc.ts(now));
                u.setLong(3, provenRow[0]);
                u.executeUpdate();
            }
            log.audit(who, "customer.identity-verified", "customer", customer, proven.channel() + " identity "
                    + provenRow[0] + " proven, taken from customer " + provenRow[1] + " which had no history");
            result = new Linked(customer, false);
        } else {
            // the address was proven (it stays with its customer): once an agent merges, the prover may be reached there
            markVerified(c, provenRow[0], now);
            suggest(c, customer, provenRow[1], reason, who, now);
            log.audit(who, "customer.merge-suggested", "customer", provenRow[1], "customer " + customer + ": "
                    + reason);
            result = new Linked(customer, true);
        }
        log.flush(c, jdbc, ids, now);
        return result;
    }

    private void suggest(Connection c, long from, long into, String reason, String who, Instant now)
            throws SQLException {
        try (PreparedStatement q = c.prepareStatement("SELECT id FROM merge_suggestion WHERE from_customer = ? AND "
                + "into_customer = ? AND merge_id IS NULL")) {
            q.setLong(1, from);
            q.setLong(2, into);
            if (!Jdbc.ids(q).isEmpty()) {
                return; // asked already: one open suggestion per pair
            }
        }
        long id = ids.take(c, Map.of(Sequence.MERGE_SUGGESTION, 1)).get(Sequence.MERGE_SUGGESTION)[0];
        try (PreparedStatement i = c.prepareStatement("INSERT INTO merge_suggestion (id, from_customer, into_customer, "
                + "reason, suggested_by, suggested_at) VALUES (?, ?, ?, ?, ?, ?)")) {
            i.setLong(1, id);
            i.setLong(2, from);
            i.setLong(3, into);
            i.setString(4, Jdbc.cut(reason, 1000));
            i.setString(5, who);
            i.setTimestamp(6, Jdbc.ts(now));
            i.executeUpdate();
        }
    }

    private static boolean hasHistory(Connection c, long customer, long identityId) throws SQLException {
        try (PreparedStatement q = c.prepareStatement("SELECT 1 FROM message WHERE identity_id = ? UNION ALL "
                + "SELECT 1 FROM conversation WHERE customer_id = ? UNION ALL "
                + "SELECT 1 FROM customer_identity WHERE customer_id = ? AND id <> ?")) {
            q.setLong(1, identityId);
            q.setLong(2, customer);
            q.setLong(3, customer);
            q.setLong(4, identityId);
            q.setMaxRows(1);
            try (ResultSet rs = q.executeQuery()) {
                return rs.next();
            }
        }
    }

    // ---------------------------------------------------------------- merge, unmerge

    CustomerMerge merge(Scope scope, long from, long into, String actor) {
        if (from == into) {
            throw new IllegalArgumentException("a customer is not merged into itself");
        }
        String who = Jdbc.cut(actor, InboxWrites.MAX_NAME);
        long mergeId = jdbc.inTransaction("merge customer " + from + " into " + into, c -> {
            lockCustomers(c, scope, from, into);
            Long away = activeMergeFrom(c, from);
            if (away != null) {
                throw new IllegalStateException("customer " + from + " was merged away already (merge " + away + ")");
            }
            away = activeMergeFrom(c, into);
            if (away != null) {
                throw new IllegalStateException("customer " + into + " was merged away (merge " + away
                        + "): merge into the customer it went to");
            }
            Instant now = Instant.now();
            long id = ids.take(c, Map.of(Sequence.CUSTOMER_MERGE, 1)).get(Sequence.CUSTOMER_MERGE)[0];
            String reason = null;
            try (PreparedStatement q = c.prepareStatement("SELECT reason FROM merge_suggestion WHERE merge_id IS NULL "
                    + "AND ((from_customer = ? AND into_customer = ?) OR (from_customer = ? AND into_customer = ?)) "
                    + "ORDER BY id")) {
                q.setLong(1, from);
                q.setLong(2, into);
                q.setLong(3, into);
                q.setLong(4, from);
                try (ResultSet rs = q.executeQuery()) {
                    if (rs.next()) {
                        reason = rs.getString(1);
                    }
                }
            }
            try (PreparedStatement i = c.prepareStatement("INSERT INTO customer_merge (id, from_customer, "
                    + "into_customer, reason, merged_by, merged_at) VALUES (?, ?, ?, ?, ?, ?)")) {
                i.setLong(1, id);
                i.setLong(2, from);
                i.setLong(3, into);
                i.setString(4, reason);
                i.setString(5, who);
                i.setTimestamp(6, Jdbc.ts(now));
                i.executeUpdate();
            }
            // the identities first, locked: an ingest of their messages waits for this merge, or this merge for it
            List<Long> identities;
            try (PreparedStatement q = c.prepareStatement("SELECT id FROM customer_identity WHERE customer_id = ? "
                    + "ORDER BY id FOR UPDATE")) {
                q.setLong(1, from);
                identities = Jdbc.ids(q);
            }
            Object[] identityArray = identities.toArray();
            record(c, id, "identity", "SELECT id, customer_id FROM customer_identity WHERE id = ANY(?)", (Object) identityArray);
            List<Object[]> conversations = conversations(c, "customer_id = ?", from);
            record(c, id, "conversation", "SELECT id, customer_id FROM conversation WHERE customer_id = ?", from);
            record(c, id, "message", "SELECT id, customer_id FROM message WHERE identity_id = ANY(?) "
                    + "AND customer_id <> ?", identityArray, into);
            update(c, "UPDATE message SET customer_id = ? WHERE identity_id = ANY(?) AND customer_id <> ?", into,
                    identityArray, into);
            update(c, "UPDATE conversation SET customer_id = ? WHERE customer_id = ?", into, from);
            update(c, "UPDATE customer_identity SET customer_id = ? WHERE id = ANY(?)", into, identityArray);
            update(c, "UPDATE merge_suggestion SET merge_id = ? WHERE merge_id IS NULL AND ((from_customer = ? AND "
                    + "into_customer = ?) OR (from_customer = ? AND into_customer = ?))", id, from, into, into, from);
            TxLog log = new TxLog();
            String detail = "customer " + from + " merged into customer " + into + " (merge " + id + ")";
            for (Object[] conversation : conversations) {
                log.event(ConversationEvent.Type.CUSTOMER_MERGED, (Long) conversation[0], (String) conversation[1],
                        (String) conversation[2], (String) conversation[3], id, who, detail);
            }
            log.audit(who, "customer.merged", "customer", into, detail + (reason == null ? "" : ": " + reason));
            log.flush(c, jdbc, ids, now);
            return id;
        });
        return find(mergeId);
    }

    CustomerMerge unmerge(Scope scope, long mergeId, String actor) {
        String who = Jdbc.cut(actor, InboxWrites.MAX_NAME);
        jdbc.inTransaction("undo merge " + mergeId, c -> {
            long from;
            long into;
            try (PreparedStatement q = c.prepareStatement("SELECT from_customer, into_customer, unmerged_at FROM "
                    + "customer_merge WHERE id = ? FOR UPDATE")) {
                q.setLong(1, mergeId);
                try (ResultSet rs = q.executeQuery()) {
                    if (!rs.next()) {
                        throw new NoSuchElementException("merge " + mergeId + " does not exist");
                    }
                    from = rs.getLong(1);
                    into = rs.getLong(2);
                    if (rs.getTimestamp(3) != null) {
                        throw new IllegalStateException("merge " + mergeId + " was undone already");
                    }
                }
            }
            // the customer merged away has no conversations of its own any more: the merge is the caller's when the
            // customer kept is and so is a conversation the merge moved (what the customer merged away had)
            lockCustomers(c, Scope.ALL, from, into);
            if (!visible(c, scope, into) || !movedWithin(c, scope, mergeId)) {
                throw new NoSuchElementException("merge " + mergeId + " does not exist");
            }
            Long later = activeMergeFrom(c, into);
            if (later != null) {
                throw new IllegalStateException("customer " + into + " was merged into another since (merge " + later
                        + "): undo merge " + later + " first");
            }
            List<Long> identities;
            try (PreparedStatement q = c.prepareStatement("SELECT id FROM customer_identity WHERE id IN (SELECT item_id "
                    + "FROM customer_merge_item WHERE merge_id = ? AND kind = 'identity') ORDER BY id FOR UPDATE")) {
                q.setLong(1, mergeId);
                identities = Jdbc.ids(q);
            }
            Object[] identityArray = identities.toArray();
            // what the merge moved goes back to the customer each had, then what the moved identities wrote since
            update(c, "UPDATE message SET customer_id = (SELECT i.previous_customer FROM customer_merge_item i WHERE "
                    + "i.merge_id = ? AND i.kind = 'message' AND i.item_id = message.id) WHERE id IN (SELECT item_id "
                    + "FROM customer_merge_item WHERE merge_id = ? AND kind = 'message') AND customer_id = ?",
                    mergeId, mergeId, into);
            update(c, "UPDATE message SET customer_id = ? WHERE identity_id = ANY(?) AND customer_id = ?", from,
                    identityArray, into);
            List<Object[]> conversations = conversations(c, "customer_id = ? AND (id IN (SELECT item_id FROM "
                    + "customer_merge_item WHERE merge_id = ? AND kind = 'conversation') OR identity_id = ANY(?))",
                    into, mergeId, identityArray);
            update(c, "UPDATE conversation SET customer_id = (SELECT i.previous_customer FROM customer_merge_item i "
                    + "WHERE i.merge_id = ? AND i.kind = 'conversation' AND i.item_id = conversation.id) WHERE id IN "
                    + "(SELECT item_id FROM customer_merge_item WHERE merge_id = ? AND kind = 'conversation') AND "
                    + "customer_id = ?", mergeId, mergeId, into);
            update(c, "UPDATE conversation SET customer_id = ? WHERE identity_id = ANY(?) AND customer_id = ?", from,
                    identityArray, into);
            update(c, "UPDATE customer_identity SET customer_id = ? WHERE id = ANY(?) AND customer_id = ?", from,
                    identityArray, into);
            Instant now = Instant.now();
            update(c, "UPDATE customer_merge SET unmerged_by = ?, unmerged_at = ? WHERE id = ?", who, Jdbc.ts(now),
                    mergeId);
            TxLog log = new TxLog();
            String detail = "customer " + from + " taken out of customer " + into + " (merge " + mergeId + " undone)";
            for (Object[] conversation : conversations) {
                log.event(ConversationEvent.Type.CUSTOMER_UNMERGED, (Long) conversation[0], (String) conversation[1],
                        (String) conversation[2], (String) conversation[3], mergeId, who, detail);
            }
            log.audit(who, "customer.unmerged", "customer", from, detail);
            log.flush(c, jdbc, ids, now);
            return null;
        });
        return find(mergeId);
    }

    CustomerMerge find(long mergeId) {
        return jdbc.inTransaction("read merge " + mergeId, c -> {
            try (PreparedStatement q = c.prepareStatement("SELECT m.id, m.from_customer, m.into_customer, m.reason, "
                    + "m.merged_by, m.merged_at, m.unmerged_by, m.unmerged_at, "
                    + "(SELECT COUNT(*) FROM customer_merge_item i WHERE i.merge_id = m.id AND i.kind = 'identity'), "
                    + "(SELECT COUNT(*) FROM customer_merge_item i WHERE i.merge_id = m.id AND i.kind = 'conversation'), "
                    + "(SELECT COUNT(*) FROM customer_merge_item i WHERE i.merge_id = m.id AND i.kind = 'message') "
                    + "FROM customer_merge m WHERE m.id = ?")) {
                q.setLong(1, mergeId);
                try (ResultSet rs = q.executeQuery()) {
                    if (!rs.next()) {
                        throw new NoSuchElementException("merge " + mergeId + " does not exist");
                    }
                    return new CustomerMerge(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getString(4),
                            rs.getString(5), Jdbc.instant(rs, "merged_at"), rs.getString(7),
                            Jdbc.instant(rs, "unmerged_at"), rs.getInt(9), rs.getInt(10), rs.getInt(11));
                }
            }
        });
    }

    List<MergeSuggestion> suggestions(Scope scope) {
        return jdbc.inTransaction("read merge suggestions", c -> {
            List<MergeSuggestion> found = new ArrayList<>();
            try (PreparedStatement q = c.prepareStatement("SELECT s.id, s.from_customer, f.display_name, "
                    + "s.into_customer, t.display_name, s.reason, s.suggested_by, s.suggested_at FROM merge_suggestion s "
                    + "JOIN customer f ON f.id = s.from_customer JOIN customer t ON t.id = s.into_customer "
                    + "WHERE s.merge_id IS NULL ORDER BY s.suggested_at DESC, s.id DESC")) {
                q.setMaxRows(500);
                try (ResultSet rs = q.executeQuery()) {
                    while (rs.next()) {
                        found.add(new MergeSuggestion(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getLong(4),
                                rs.getString(5), rs.getString(6), rs.getString(7),
                                Jdbc.instant(rs, "suggested_at")));
                    }
                }
            }
            if (scope.all()) {
                return found;
            }
            List<MergeSuggestion> visible = new ArrayList<>();
            for (MergeSuggestion s : found) {
                if (visible(c, scope, s.fromCustomer()) && visible(c, scope, s.intoCustomer())) {
                    visible.add(s);
                }
            }
            return visible;
        });
    }

    StoreCheck check() {
        return jdbc.inTransaction("check the store", c -> {
            long misplaced;
            long orphans;
            List<Long> examples;
            try (PreparedStatement q = c.prepareStatement("SELECT COUNT(*) FROM message m JOIN customer_identity i "
                    + "ON i.id = m.identity_id WHERE m.customer_id <> i.customer_id")) {
                try (ResultSet rs = q.executeQuery()) {
                    rs.next();
                    misplaced = rs.getLong(1);
                }
            }
            try (PreparedStatement q = c.prepareStatement("SELECT COUNT(*) FROM message m WHERE NOT EXISTS "
                    + "(SELECT 1 FROM customer_identity i WHERE i.id = m.identity_id)")) {
                try (ResultSet rs = q.executeQuery()) {
                    rs.next();
                    orphans = rs.getLong(1);
                }
            }
            try (PreparedStatement q = c.prepareStatement("SELECT m.id FROM message m LEFT JOIN customer_identity i "
                    + "ON i.id = m.identity_id WHERE i.id IS NULL OR m.customer_id <> i.customer_id ORDER BY m.id")) {
                q.setMaxRows(20);
                examples = Jdbc.ids(q);
            }
            return new StoreCheck(misplaced, orphans, examples);
        });
    }

    // ---------------------------------------------------------------- helpers

    /** Both customers locked (in id order), each existing and within the scope. */
    private void lockCustomers(Connection c, Scope scope, long a, long b) throws SQLException {
        // NO KEY UPDATE on PostgreSQL: merges of one customer wait for each other, ingest's foreign key checks do not
        try (PreparedStatement q = c.prepareStatement("SELECT id FROM customer WHERE id IN (?, ?) ORDER BY id "
                + (jdbc.postgresql() ? "FOR NO KEY UPDATE" : "FOR UPDATE"))) {
            q.setLong(1, Math.min(a, b));
            q.setLong(2, Math.max(a, b));
            List<Long> found = Jdbc.ids(q);
            for (long id : new long[] {a, b}) {
                if (!found.contains(id) || !visible(c, scope, id)) {
                    throw new NoSuchElementException("customer " + id + " does not exist");
                }
            }
        }
    }

    /** Whether a conversation a merge moved is within the scope. */
    private static boolean movedWithin(Connection c, Scope scope, long mergeId) throws SQLException {
        if (scope.all()) {
            return true;
        }
        if (scope.departments().isEmpty()) {
            return false;
        }
        try (PreparedStatement q = c.prepareStatement("SELECT 1 FROM conversation WHERE id IN (SELECT item_id FROM "
                + "customer_merge_item WHERE merge_id = ? AND kind = 'conversation') AND department_id = ANY(?)")) {
            q.setLong(1, mergeId);
            q.setArray(2, c.createArrayOf("varchar", scope.departments().toArray()));
            q.setMaxRows(1);
            try (ResultSet rs = q.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** A scope sees a customer it has a conversation with (as the customer view does). */
    private static boolean visible(Connection c, Scope scope, long customer) throws SQLException {
        if (scope.all()) {
            return true;
        }
        if (scope.departments().isEmpty()) {
            return false;
        }
        try (PreparedStatement q = c.prepareStatement("SELECT 1 FROM conversation WHERE customer_id = ? AND "
                + "department_id = ANY(?)")) {
            q.setLong(1, customer);
            q.setArray(2, c.createArrayOf("varchar", scope.departments().toArray()));
            q.setMaxRows(1);
            try (ResultSet rs = q.executeQuery()) {
                return rs.next();
            }
        }
    }

    private static Long activeMergeFrom(Connection c, long customer) throws SQLException {
        try (PreparedStatement q = c.prepareStatement("SELECT id FROM customer_merge WHERE from_customer = ? AND "
                + "unmerged_at IS NULL")) {
            q.setLong(1, customer);
            List<Long> found = Jdbc.ids(q);
            return found.isEmpty() ? null : found.get(0);
        }
    }

    /** {id, channel, instance, department} of the conversations matching a condition. */
    private static List<Object[]> conversations(Connection c, String where, Object... args) throws SQLException {
        List<Object[]> found = new ArrayList<>();
        try (PreparedStatement q = c.prepareStatement("SELECT id, channel, instance, department_id FROM conversation "
                + "WHERE " + where + " ORDER BY id")) {
            bind(c, q, args);
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    found.add(new Object[] {rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4)});
                }
            }
        }
        return found;
    }

    /** Records the rows a query selects (id, customer it has) as moved by a merge. */
    private static void record(Connection c, long mergeId, String kind, String select, Object... args)
            throws SQLException {
        try (PreparedStatement i = c.prepareStatement("INSERT INTO customer_merge_item (merge_id, kind, item_id, "
                + "previous_customer) SELECT " + mergeId + ", '" + kind + "', s.id, s.customer_id FROM (" + select
                + ") s")) {
            bind(c, i, args);
            i.executeUpdate();
        }
    }

    private static int update(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement u = c.prepareStatement(sql)) {
            bind(c, u, args);
            return u.executeUpdate();
        }
    }

    private static void bind(Connection c, PreparedStatement p, Object... args) throws SQLException {
        for (int n = 0; n < args.length; n++) {
            Object a = args[n];
            if (a instanceof Object[] array) {
                p.setArray(n + 1, c.createArrayOf("bigint", array));
            } else {
                p.setObject(n + 1, a);
            }
        }
    }

    /** {identity id, customer id} of an identity, locked when asked, or null. */
    static long[] identity(Connection c, Identity identity, boolean lock) throws SQLException {
        try (PreparedStatement q = c.prepareStatement("SELECT id, customer_id FROM customer_identity "
                + "WHERE handle = ? AND channel = ?" + (lock ? " FOR UPDATE" : ""))) {
            q.setString(1, identity.handle());
            q.setString(2, identity.channel());
            try (ResultSet rs = q.executeQuery()) {
                return rs.next() ? new long[] {rs.getLong(1), rs.getLong(2)} : null;
            }
        }
    }

    private static void markVerified(Connection c, long identityId, Instant now) throws SQLException {
        try (PreparedStatement u = c.prepareStatement("UPDATE customer_identity SET verified_at = ? WHERE id = ?")) {
            u.setTimestamp(1, Jdbc.ts(now));
            u.setLong(2, identityId);
            u.executeUpdate();
        }
    }
}
