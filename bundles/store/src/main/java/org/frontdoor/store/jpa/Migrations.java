package org.frontdoor.store.jpa;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Versioned schema migrations: each {@code V<n>__<what>.sql} in {@link #SCRIPTS} runs once, in order, in its own
 * transaction, and is recorded in {@code frontdoor_schema_version}. Scripts are written once for H2 and
 * PostgreSQL; {@code ${text}}, {@code ${timestamp}} and {@code ${binary}} stand for the dialect's types. A step that
 * SQL cannot say the same way on both (dropping a constraint whose name the database chose) is Java, named like a
 * script without {@code .sql}.
 */
public final class Migrations {

    /** The migrations, oldest first. A released script is never edited: add a new one. */
    static final List<String> SCRIPTS = List.of("V1__initial.sql", "V2__selective_keys_first.sql",
            "V3__message_without_foreign_keys", "V4__event_log_claims_threads.sql", "V5__attachments.sql",
            "V6__verified_identities_reply_routes.sql", "V7__read_mark.sql", "V8__commit_order.sql",
            "V9__identity_proofs.sql", "V10__event_consumer_leases.sql", "V11__reply_claim_tokens.sql",
            "V12__agent_typing.sql", "V13__internal_notes.sql", "V14__agents.sql", "V15__login_accounts.sql",
            "V16__sla_timers.sql", "V18__routing_reason.sql", "V19__hidden_messages.sql",
            "V20__delivery_receipts.sql", "V21__identity_consent.sql", "V22__door_state.sql",
            "V23__browser_sessions.sql", "V24__inbox_views.sql", "V25__inbox_indexes.sql", "V26__callback_calls.sql",
            "V28__message_stored_at_index.sql");

    /** A migration step in Java, run on the migration's connection and in its transaction. */
    @FunctionalInterface
    private interface JavaStep {
        void apply(Connection c) throws SQLException;
    }

    private static final Map<String, JavaStep> JAVA_STEPS = Map.of(
            "V3__message_without_foreign_keys", c -> dropForeignKeys(c, "message"));

    private static final Logger LOG = LoggerFactory.getLogger(Migrations.class);

    private final DataSource dataSource;

    private final List<String> scripts;

    public Migrations(DataSource dataSource) {
        this(dataSource, SCRIPTS);
    }

    /** Only the first migrations: for testing an upgrade from an older schema. */
    Migrations(DataSource dataSource, List<String> scripts) {
        this.dataSource = dataSource;
        this.scripts = List.copyOf(scripts);
    }

    /**
     * Embedded H2 is opened by one JVM only (its file is locked), so within the JVM is where starts can race; a
     * PostgreSQL database shared by nodes is locked in the database ({@link #lock}).
     */
    private static final Object H2_LOCK = new Object();

    /**
     * Brings the schema up to date; returns the number of migrations applied. Nodes starting at once on one database
     * take turns: each step, and the creation of the version table, runs under a lock, so each migration runs once.
     * A database already migrated past the newest migration this code knows is refused (an older node on a newer
     * schema would write rows the newer code does not expect).
     */
    public int migrate() throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            if (Dialect.of(c) == Dialect.H2) {
                synchronized (H2_LOCK) {
                    return migrate(c);
                }
            }
            return migrate(c);
        }
    }

    private int migrate(Connection c) throws SQLException {
        Dialect dialect = Dialect.of(c);
        boolean autoCommit = c.getAutoCommit();
        c.setAutoCommit(false);
        try {
            // under the lock: two nodes creating the table at once collide in PostgreSQL's catalog
            lock(c, dialect);
            createVersionTable(c);
            refuseANewerSchema(c);
            c.commit();
            int applied = 0;
            for (String script : scripts) {
                int version = versionOf(script);
                lock(c, dialect);
                if (isApplied(c, version)) {
                    c.commit();
                    continue;
                }
                long t0 = System.nanoTime();
                if (JAVA_STEPS.containsKey(script)) {
                    JAVA_STEPS.get(script).apply(c);
                } else {
                    for (String sql : statements(read(script), dialect)) {
                        try (Statement s = c.createStatement()) {
                            s.execute(sql);
                        }
                    }
                }
                try (PreparedStatement p = c.prepareStatement(
                        "INSERT INTO frontdoor_schema_version (version, script, applied_at) VALUES (?, ?, ?)")) {
                    p.setInt(1, version);
                    p.setString(2, script);
                    p.setTimestamp(3, Timestamp.from(Instant.now()));
                    p.executeUpdate();
                }
                c.commit();
                applied++;
                LOG.info("Applied schema migration {} in {} ms", script, (System.nanoTime() - t0) / 1_000_000);
            }
            return applied;
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(autoCommit);
        }
    }

    private static void createVersionTable(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS frontdoor_schema_version (version INTEGER NOT NULL PRIMARY KEY, "
                    + "script VARCHAR(255) NOT NULL, applied_at TIMESTAMP WITH TIME ZONE NOT NULL)");
        }
    }

    private void refuseANewerSchema(Connection c) throws SQLException {
        int newest = SCRIPTS.stream().mapToInt(Migrations::versionOf).max().orElse(0);
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT MAX(version) FROM frontdoor_schema_version")) {
            int current = rs.next() ? rs.getInt(1) : 0;
            if (current > newest) {
                throw new SQLException("the database's schema is at version " + current + ", newer than this Frontdoor's "
                        + "newest migration (" + newest + "): a newer Frontdoor migrated it. Run that version (or a "
                        + "newer one) on it, or restore the backup taken before the upgrade");
            }
        }
    }

    /**
     * Serializes nodes that start at the same time against one PostgreSQL database, until the transaction ends (H2 is
     * serialized in the JVM, {@link #H2_LOCK}).
     */
    private static void lock(Connection c, Dialect dialect) throws SQLException {
        if (dialect == Dialect.POSTGRESQL) {
            try (Statement s = c.createStatement()) {
                s.execute("SELECT pg_advisory_xact_lock(4242001)");
            }
        }
    }

    private static boolean isApplied(Connection c, int version) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT 1 FROM frontdoor_schema_version WHERE version = ?")) {
            p.setInt(1, version);
            try (ResultSet rs = p.executeQuery()) {
                return rs.next();
            }
        }
    }

    static int versionOf(String script) {
        if (!script.matches("V\\d+__\\w+(\\.sql)?")) {
            throw new IllegalArgumentException("migration name must be V<n>__<what>.sql (or without .sql, for Java): "
                    + script);
        }
        return Integer.parseInt(script.substring(1, script.indexOf("__")));
    }

    /**
     * Version 3: the message table keeps no foreign keys. Each one cost a row lock (a write to the referenced row's
     * page, and to the log) and a lookup per message stored: about a quarter of PostgreSQL's time on ingest's serial
     * path.
     * Messages are written only by ingest, in the transaction that writes or reads by key the conversation, customer
     * and identity they point to, and no row of those tables is ever deleted; JpaStoreTest checks every message's
     * references. The constraints were declared without names, so their names are read from the database.
     */
    private static void dropForeignKeys(Connection c, String table) throws SQLException {
        List<String> names = new ArrayList<>();
        try (PreparedStatement q = c.prepareStatement("SELECT constraint_name FROM information_schema.table_constraints "
                + "WHERE constraint_type = 'FOREIGN KEY' AND LOWER(table_name) = ? AND table_schema = CURRENT_SCHEMA")) {
            q.setString(1, table);
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    names.add(rs.getString(1));
                }
            }
        }
        for (String name : names) {
            try (Statement s = c.createStatement()) {
                s.execute("ALTER TABLE " + table + " DROP CONSTRAINT \"" + name.replace("\"", "\"\"") + "\"");
            }
        }
    }

    private static String read(String script) {
        try (InputStream in = Migrations.class.getResourceAsStream("/org/frontdoor/store/migration/" + script)) {
            if (in == null) {
                throw new IllegalStateException("migration script missing from the bundle: " + script);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read migration " + script, e);
        }
    }

    /** Splits a script into statements: they end with ';' at the end of a line; '--' lines are comments. */
    static List<String> statements(String script, Dialect dialect) {
        List<String> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : script.split("\n")) {
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("--")) {
                continue;
            }
            current.append(line).append('\n');
            if (trimmed.endsWith(";")) {
                String sql = current.toString().strip();
                out.add(sql.substring(0, sql.length() - 1).replace("${text}", dialect.textType)
                        .replace("${timestamp}", dialect.timestampType).replace("${binary}", dialect.binaryType));
                current.setLength(0);
            }
        }
        if (!current.toString().isBlank()) {
            throw new IllegalArgumentException("migration ends without ';': " + current.toString().strip());
        }
        return out;
    }

    /** The databases Frontdoor runs on. */
    public enum Dialect {
        /** H2 2 reads TIMESTAMP WITH TIME ZONE back as OffsetDateTime, which JPA 2.2 cannot convert; embedded H2 has one JVM zone. */
        H2("CHARACTER LARGE OBJECT", "TIMESTAMP", "BINARY LARGE OBJECT"),
        POSTGRESQL("TEXT", "TIMESTAMP WITH TIME ZONE", "BYTEA");

        final String textType;
        final String timestampType;
        final String binaryType;

        Dialect(String textType, String timestampType, String binaryType) {
            this.textType = textType;
            this.timestampType = timestampType;
            this.binaryType = binaryType;
        }

        static Dialect of(Connection c) throws SQLException {
            String product = c.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT);
            if (product.contains("postgres")) {
                return POSTGRESQL;
            }
            if (product.contains("h2")) {
                return H2;
            }
            throw new SQLException("unsupported database: " + product + " (Frontdoor runs on H2 and PostgreSQL)");
        }
    }
}
