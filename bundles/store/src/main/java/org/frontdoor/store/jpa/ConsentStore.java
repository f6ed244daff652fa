package org.frontdoor.store.jpa;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

import javax.sql.DataSource;

import org.frontdoor.api.ConversationEvent;
import org.frontdoor.api.consent.Consent;
import org.frontdoor.api.consent.ConsentChange;
import org.frontdoor.api.consent.ConsentSource;
import org.frontdoor.api.consent.Consents;
import org.frontdoor.store.EventStore;
import org.frontdoor.store.StoreConflictException;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * Consent in table {@code identity_consent}, one row an identity. A statement is recorded under the row's lock
 * ({@code FOR UPDATE}), compared with the time of the latest one recorded: the later by time wins whatever order two
 * nodes record them in, and at the same instant an opt-out wins. A change writes its {@code consent-changed} event and
 * audit row and, for an opt-out, fails the replies to the identity still waiting, in the same transaction.
 */
@Component(service = Consents.class, immediate = true)
public class ConsentStore implements Consents {

    private static final String COLUMNS = "channel, handle, opted_in, since, source, reference, reason";

    private final Jdbc jdbc;
    private final SequenceIds ids;

    /** In Karaf: after the store ({@code migrated}, unused otherwise) has brought the schema up to date. */
    @Activate
    public ConsentStore(@Reference(target = "(dataSourceName=frontdoor)") DataSource dataSource,
                        @Reference EventStore migrated) throws SQLException {
        this(dataSource, false);
    }

    /** Outside Karaf (tests, tools): migrates the schema first. */
    public ConsentStore(DataSource dataSource) throws SQLException {
        this(dataSource, true);
    }

    private ConsentStore(DataSource dataSource, boolean migrate) throws SQLException {
        if (migrate) {
            new Migrations(dataSource).migrate();
        }
        try (Connection c = dataSource.getConnection()) {
            Migrations.Dialect dialect = Migrations.Dialect.of(c);
            this.jdbc = new Jdbc(dataSource, dialect);
            this.ids = new SequenceIds(dialect);
        }
    }

    @Override
    public Outcome record(ConsentChange change, String actor) {
        String who = actor == null || actor.isBlank() ? TxLog.SYSTEM : Jdbc.cut(actor, 100);
        for (int attempt = 1; ; attempt++) {
            try {
                return jdbc.inTransaction("record the consent of " + change.channel() + " " + change.handle(),
                        c -> record(c, change, who));
            } catch (StoreConflictException e) {
                if (attempt == 3) {
                    throw e;
                }
                // the first statement about this identity was inserted by another node meanwhile: its row is there now
            }
        }
    }

    private Outcome record(Connection c, ConsentChange change, String actor) throws SQLException {
        Instant now = Instant.now();
        Boolean optedIn = null;
        Instant latest = null;
        try (PreparedStatement q = c.prepareStatement("SELECT opted_in, latest_at FROM identity_consent "
                + "WHERE channel = ? AND handle = ? FOR UPDATE")) {
            q.setString(1, change.channel());
            q.setString(2, change.handle());
            try (ResultSet rs = q.executeQuery()) {
                if (rs.next()) {
                    optedIn = rs.getBoolean(1);
                    latest = Jdbc.instant(rs, "latest_at");
                }
            }
        }
        if (optedIn == null) {
            insert(c, change, now);
            if (change.optedIn()) {
                return Outcome.CONFIRMED; // an identity nothing was recorded for counts as opted in already
            }
        } else {
            if (change.at().isBefore(latest) || change.at().equals(latest) && change.optedIn() && !optedIn) {
                return Outcome.OUTDATED;
            }
            if (optedIn == change.optedIn()) {
                try (PreparedStatement u = c.prepareStatement("UPDATE identity_consent SET latest_at = ? "
                        + "WHERE channel = ? AND handle = ?")) {
                    u.setTimestamp(1, Jdbc.ts(change.at()));
                    u.setString(2, change.channel());
                    u.setString(3, change.handle());
                    u.executeUpdate();
                }
                return Outcome.CONFIRMED;
            }
            try (PreparedStatement u = c.prepareStatement("UPDATE identity_consent SET opted_in = ?, since = ?, "
                    + "latest_at = ?, source = ?, reference = ?, reason = ?, recorded_at = ? "
                    + "WHERE channel = ? AND handle = ?")) {
                u.setBoolean(1, change.optedIn());
                u.setTimestamp(2, Jdbc.ts(change.at()));
                u.setTimestamp(3, Jdbc.ts(change.at()));
                u.setString(4, change.source().name());
                u.setString(5, change.reference());
                u.setString(6, change.reason());
                u.setTimestamp(7, Jdbc.ts(now));
                u.setString(8, change.channel());
                u.setString(9, change.handle());
                u.executeUpdate();
            }
        }
        Consent consent = new Consent(change.channel(), change.handle(), change.optedIn(), change.at(),
                change.source(), change.reference(), change.reason());
        TxLog log = new TxLog();
        changed(c, log, consent, actor);
        if (!change.optedIn()) {
            failWaitingReplies(c, log, consent, now);
        }
        log.flush(c, jdbc, ids, now);
        return Outcome.CHANGED;
    }

    private static void insert(Connection c, ConsentChange change, Instant now) throws SQLException {
        try (PreparedStatement i = c.prepareStatement("INSERT INTO identity_consent (channel, handle, opted_in, since, "
                + "latest_at, source, reference, reason, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            i.setString(1, change.channel());
            i.setString(2, change.handle());
            i.setBoolean(3, change.optedIn());
            i.setTimestamp(4, Jdbc.ts(change.at()));
            i.setTimestamp(5, Jdbc.ts(change.at()));
            i.setString(6, change.source().name());
            i.setString(7, change.reference());
            i.setString(8, change.reason());
            i.setTimestamp(9, Jdbc.ts(now));
            i.executeUpdate();
        }
    }

    /** The event on the identity's latest conversation on its channel (when it has one) and the audit row. */
    private static void changed(Connection c, TxLog log, Consent consent, String actor) throws SQLException {
        String detail = consent.state() + " " + consent.channel() + " " + consent.handle() + " ("
                + consent.source().name().toLowerCase(java.util.Locale.ROOT)
                + (consent.reference() == null ? "" : " " + consent.reference())
                + (consent.reason() == null ? "" : ": " + consent.reason()) + ")";
        long customer = 0;
        try (PreparedStatement q = c.prepareStatement("SELECT ci.customer_id, cv.id, cv.channel, cv.instance, "
                + "cv.department_id FROM customer_identity ci LEFT JOIN conversation cv ON cv.identity_id = ci.id "
                + "WHERE ci.channel = ? AND ci.handle = ? ORDER BY cv.last_activity_at DESC, cv.id DESC")) {
            q.setString(1, consent.channel());
            q.setString(2, consent.handle());
            q.setMaxRows(1);
            try (ResultSet rs = q.executeQuery()) {
                if (rs.next()) {
                    customer = rs.getLong(1);
                    long conversation = rs.getLong(2);
                    if (!rs.wasNull()) {
                        log.event(ConversationEvent.Type.CONSENT_CHANGED, conversation, rs.getString(3),
                                rs.getString(4), rs.getString(5), keywordMessage(consent), actor, detail);
                    }
                }
            }
        }
        log.audit(actor, "consent." + consent.state(), "customer", customer, detail);
    }

    private static long keywordMessage(Consent consent) {
        if (consent.source() != ConsentSource.KEYWORD || consent.reference() == null
                || !consent.reference().matches("[0-9]{1,18}")) {
            return 0;
        }
        return Long.parseLong(consent.reference());
    }

    /**
     * Fails the replies to the identity that wait and no door holds now, with the refusal as their reason: through
     * the conversation's own door (to its identity) or through another door to the handle they name. One the door holds
     * is in its hands; the door's claim of the next ones checks consent again ({@link #refusal}).
     */
    private static void failWaitingReplies(Connection c, TxLog log, Consent consent, Instant now)
            throws SQLException {
        String reason = Jdbc.cut(consent.refusal(), OutboxWrites.MAX_ERROR);
        List<Object[]> failed = new ArrayList<>();
        try (PreparedStatement q = c.prepareStatement("SELECT r.id, r.conversation_id, cv.channel, cv.instance, "
                + "cv.department_id FROM reply r JOIN conversation cv ON cv.id = r.conversation_id "
                + "WHERE r.channel = ? AND r.status IN ('QUEUED', 'RETRYING') "
                + "AND (r.claim_until IS NULL OR r.claim_until < ?) AND (r.recipient_handle = ? "
                + "OR r.recipient_handle IS NULL AND cv.identity_id = (SELECT id FROM customer_identity "
                + "WHERE channel = ? AND handle = ?)) ORDER BY r.id FOR UPDATE")) {
            q.setString(1, consent.channel());
            q.setTimestamp(2, Jdbc.ts(now));
            q.setString(3, consent.handle());
            q.setString(4, consent.channel());
            q.setString(5, consent.handle());
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    failed.add(new Object[] {rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4),
                            rs.getString(5)});
                }
            }
        }
        if (failed.isEmpty()) {
            return;
        }
        try (PreparedStatement u = c.prepareStatement("UPDATE reply SET status = 'FAILED', last_error = ?, "
                + "next_attempt_at = NULL, claim_owner = NULL, claim_until = NULL, claim_token = NULL, "
                + "version = version + 1 WHERE id = ?")) {
            for (Object[] r : failed) {
                u.setString(1, reason);
                u.setLong(2, (Long) r[0]);
                u.addBatch();
            }
            u.executeBatch();
        }
        for (Object[] r : failed) {
            log.event(ConversationEvent.Type.REPLY_FAILED, (Long) r[1], (String) r[2], (String) r[3], (String) r[4],
                    (Long) r[0], TxLog.SYSTEM, reason);
            log.audit(TxLog.SYSTEM, "reply.refused", "reply", (Long) r[0], "the recipient opted out: " + reason);
        }
    }

    @Override
    public Optional<Consent> find(String channel, String handle) {
        if (channel == null || handle == null) {
            return Optional.empty();
        }
        return jdbc.inTransaction("read the consent of " + channel + " " + handle, c -> find(c, channel, handle));
    }

    @Override
    public List<Consent> findAll(String channel, Collection<String> handles) {
        if (channel == null || handles.isEmpty()) {
            return List.of();
        }
        return jdbc.inTransaction("read the consent of " + handles.size() + " identities on " + channel, c -> {
            try (PreparedStatement q = c.prepareStatement("SELECT " + COLUMNS + " FROM identity_consent "
                    + "WHERE channel = ? AND handle = ANY(?) ORDER BY handle")) {
                q.setString(1, channel);
                q.setArray(2, c.createArrayOf("varchar", handles.toArray()));
                return consents(q);
            }
        });
    }

    /** The identity's consent, read in the caller's transaction. */
    static Optional<Consent> find(Connection c, String channel, String handle) throws SQLException {
        try (PreparedStatement q = c.prepareStatement("SELECT " + COLUMNS + " FROM identity_consent "
                + "WHERE channel = ? AND handle = ?")) {
            q.setString(1, channel);
            q.setString(2, handle);
            return consents(q).stream().findFirst();
        }
    }

    /** Why nothing may be sent to the identity, or null when it may: read in the caller's transaction. */
    static String refusal(Connection c, String channel, String handle) throws SQLException {
        return find(c, channel, handle).map(Consent::refusal).orElse(null);
    }

    /** The consent of every identity of a customer, read in the caller's transaction. */
    static List<Consent> ofCustomer(Connection c, long customerId) throws SQLException {
        try (PreparedStatement q = c.prepareStatement("SELECT k.channel, k.handle, k.opted_in, k.since, k.source, "
                + "k.reference, k.reason FROM identity_consent k JOIN customer_identity ci ON ci.channel = k.channel "
                + "AND ci.handle = k.handle WHERE ci.customer_id = ?")) {
            q.setLong(1, customerId);
            return consents(q);
        }
    }

    private static List<Consent> consents(PreparedStatement q) throws SQLException {
        List<Consent> found = new ArrayList<>();
        try (ResultSet rs = q.executeQuery()) {
            while (rs.next()) {
                found.add(new Consent(rs.getString(1), rs.getString(2), rs.getBoolean(3), Jdbc.instant(rs, "since"),
                        ConsentSource.valueOf(rs.getString(5)), rs.getString(6), rs.getString(7)));
            }
        }
        return found;
    }
}
