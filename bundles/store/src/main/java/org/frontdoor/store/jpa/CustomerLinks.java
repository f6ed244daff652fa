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

import org.frontdoor.api.Identity;
import org.frontdoor.store.jpa.SequenceIds.Sequence;

/**
 * Identities proven to belong to one person become one customer. Only a proof joins (a code typed back, a confirmed
 * link), never a claim: ingest records what an author says of themselves and joins nothing.
 */
final class CustomerLinks {

    private final Jdbc jdbc;
    private final SequenceIds ids;

    CustomerLinks(Jdbc jdbc, SequenceIds ids) {
        this.jdbc = jdbc;
        this.ids = ids;
    }

    long linkVerified(Identity known, Identity proven, String actor) {
        String who = Jdbc.cut(actor, InboxWrites.MAX_NAME);
        return jdbc.inTransaction("link " + proven.channel() + " identity to " + known.channel() + " identity", c -> {
            Long[] knownRow = identity(c, known);
            if (knownRow == null) {
                throw new NoSuchElementException("no message from " + known.channel() + " " + known.handle()
                        + " was ever stored");
            }
            long visitor = knownRow[1];
            long customer = visitor;
            Instant now = Instant.now();
            TxLog log = new TxLog();
            Long[] provenRow = identity(c, proven);
            if (provenRow == null) {
                long id = ids.take(c, Map.of(Sequence.IDENTITY, 1)).get(Sequence.IDENTITY)[0];
                jdbc.insert(c, "customer_identity", List.of(id),
                        new Jdbc.Column<>("id", "bigint", r -> r),
                        new Jdbc.Column<>("customer_id", "bigint", r -> visitor),
                        new Jdbc.Column<>("channel", "varchar", r -> proven.channel()),
                        new Jdbc.Column<>("handle", "varchar", r -> Jdbc.cut(proven.handle(), 255)),
                        new Jdbc.Column<>("display_name", "varchar", r -> Jdbc.cut(proven.displayName(), 255)),
                        new Jdbc.Column<>("email", "varchar", r -> Jdbc.cut(proven.email(), 320)),
                        new Jdbc.Column<>("phone", "varchar", r -> Jdbc.cut(proven.phone(), 32)),
                        new Jdbc.Column<>("reach", "bigint", r -> proven.reach()),
                        new Jdbc.Column<>("created_at", "timestamptz", r -> now),
                        new Jdbc.Column<>("verified_at", "timestamptz", r -> now));
                log.audit(who, "customer.identity-verified", "customer", customer,
                        proven.channel() + " identity added, proven by " + known.channel() + " identity "
                                + knownRow[0]);
            } else {
                markVerified(c, provenRow[0], now);
                long target = provenRow[1];
                if (target != customer) {
                    // the established customer stays; everything of the visitor's moves to it
                    for (String table : new String[] {"customer_identity", "conversation", "message"}) {
                        try (PreparedStatement u = c.prepareStatement("UPDATE " + table
                                + " SET customer_id = ? WHERE customer_id = ?")) {
                            u.setLong(1, target);
                            u.setLong(2, customer);
                            u.executeUpdate();
                        }
                    }
                    log.audit(who, "customer.merged", "customer", target, "customer " + customer
                            + " joined: its " + known.channel() + " identity " + knownRow[0] + " proved to own "
                            + proven.channel() + " identity " + provenRow[0]);
                    customer = target;
                } else {
                    log.audit(who, "customer.identity-verified", "customer", customer,
                            proven.channel() + " identity " + provenRow[0] + " proven");
                }
            }
            log.flush(c, jdbc, ids, now);
            return customer;
        });
    }

    List<Identity> verifiedIdentities(Identity of, String channel) {
        return jdbc.inTransaction("read verified identities", c -> {
            List<Identity> found = new ArrayList<>();
            try (PreparedStatement q = c.prepareStatement("SELECT v.channel, v.handle, v.display_name, v.email, "
                    + "v.phone, v.reach FROM customer_identity i JOIN customer_identity v "
                    + "ON v.customer_id = i.customer_id WHERE i.handle = ? AND i.channel = ? AND v.channel = ? "
                    + "AND v.verified_at IS NOT NULL ORDER BY v.verified_at DESC, v.id DESC")) {
                q.setString(1, of.handle());
                q.setString(2, of.channel());
                q.setString(3, channel);
                try (ResultSet rs = q.executeQuery()) {
                    while (rs.next()) {
                        found.add(new Identity(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                                rs.getString(5), rs.getLong(6)));
                    }
                }
            }
            return found;
        });
    }

    /** {identity id, customer id} of an identity, locked, or null. */
    private static Long[] identity(Connection c, Identity identity) throws SQLException {
        try (PreparedStatement q = c.prepareStatement("SELECT id, customer_id FROM customer_identity "
                + "WHERE handle = ? AND channel = ? FOR UPDATE")) {
            q.setString(1, identity.handle());
            q.setString(2, identity.channel());
            try (ResultSet rs = q.executeQuery()) {
                return rs.next() ? new Long[] {rs.getLong(1), rs.getLong(2)} : null;
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
