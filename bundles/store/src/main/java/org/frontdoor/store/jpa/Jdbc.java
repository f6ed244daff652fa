package org.frontdoor.store.jpa;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTimeoutException;
import java.sql.SQLTransientConnectionException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.function.Function;

import javax.sql.DataSource;

import org.frontdoor.store.StoreConflictException;
import org.frontdoor.store.StoreUnavailableException;

/**
 * The store's plain JDBC transactions: each runs on one connection of the pool with its waits bounded (a lock held
 * elsewhere, a statement, the network), and its failure classified for the caller: {@link StoreUnavailableException}
 * when the database cannot be reached or does not answer in time, {@link StoreConflictException} when another
 * transaction wrote the same rows at once, anything else being about the data.
 */
final class Jdbc {

    /** Bounds of a transaction outside ingest (agents' changes, routing, delivery). */
    static final long LOCK_WAIT_MILLIS = 10_000;
    static final long STATEMENT_TIMEOUT_MILLIS = 60_000;
    /**
     * The wait for the event log's counter row, whatever the transaction's own lock wait: every event-writing
     * transaction passes that row one at a time, so a short wait there would refuse work a conversation lock would not.
     */
    static final long EVENT_LOG_LOCK_WAIT_MILLIS = 10_000;

    /** {@link #EVENT_LOG_LOCK_WAIT_MILLIS}, shorter only in a test that waits it out on purpose. */
    volatile long eventLogLockWaitMillis = EVENT_LOG_LOCK_WAIT_MILLIS;

    /** Work in a transaction. */
    @FunctionalInterface
    interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    private static final Executor NETWORK_TIMEOUTS = Runnable::run;

    private final DataSource dataSource;
    final Migrations.Dialect dialect;

    Jdbc(DataSource dataSource, Migrations.Dialect dialect) {
        this.dataSource = dataSource;
        this.dialect = dialect;
    }

    boolean postgresql() {
        return dialect == Migrations.Dialect.POSTGRESQL;
    }

    <T> T inTransaction(String what, Work<T> work) {
        return inTransaction(what, LOCK_WAIT_MILLIS, STATEMENT_TIMEOUT_MILLIS, work);
    }

    /**
     * Runs {@code work} in a transaction that waits at most {@code lockWaitMillis} for a row another transaction holds
     * and at most {@code statementMillis} for any statement or the network.
     */
    <T> T inTransaction(String what, long lockWaitMillis, long statementMillis, Work<T> work) {
        return inTransaction(what, lockWaitMillis, statementMillis, false, work);
    }

    /**
     * As {@link #inTransaction(String, long, long, Work)}; {@code byIndexOnly} keeps PostgreSQL's planner off sequential
     * scans in this transaction (ingest's lookups by key, before the tables have statistics).
     */
    <T> T inTransaction(String what, long lockWaitMillis, long statementMillis, boolean byIndexOnly, Work<T> work) {
        Connection c;
        try {
            c = dataSource.getConnection();
        } catch (SQLException e) {
            // the pool's wait ran out, or the database refused a new connection
            throw new StoreUnavailableException("could not " + what + ": no database connection (" + e.getMessage()
                    + ")", e);
        }
        try (c) {
            boolean autoCommit = c.getAutoCommit();
            c.setAutoCommit(false);
            try {
                bound(c, lockWaitMillis, statementMillis, byIndexOnly);
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException | Error e) {
                rollbackQuietly(c);
                throw e;
            } finally {
                try {
                    c.setAutoCommit(autoCommit);
                } catch (SQLException ignored) {
                    // the connection is broken; the pool validates it before handing it out again
                }
            }
        } catch (SQLException e) {
            throw classify("could not " + what, e);
        }
    }

    private void bound(Connection c, long lockWaitMillis, long statementMillis, boolean byIndexOnly)
            throws SQLException {
        if (postgresql()) {
            c.setNetworkTimeout(NETWORK_TIMEOUTS, (int) Math.min(Integer.MAX_VALUE, statementMillis + 5_000));
            try (Statement s = c.createStatement()) {
                // values, not parameters: SET takes none; both are numbers formatted here. One round trip for all.
                s.execute("SET LOCAL lock_timeout = " + lockWaitMillis + "; SET LOCAL statement_timeout = "
                        + statementMillis + (byIndexOnly ? "; SET LOCAL enable_seqscan = off" : ""));
            }
        } else {
            try (Statement s = c.createStatement()) {
                s.execute("SET LOCK_TIMEOUT " + lockWaitMillis);
            }
        }
    }

    /**
     * A query on a connection of the pool, its statement and network waits bounded by {@code timeout} (the wait for a
     * connection is the pool's own: the caller bounds the whole).
     *
     * @throws StoreUnavailableException when the database cannot be reached or does not answer
     */
    void ping(java.time.Duration timeout) {
        int millis = (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis()));
        try (Connection c = dataSource.getConnection()) {
            if (postgresql()) {
                c.setNetworkTimeout(NETWORK_TIMEOUTS, millis);
            }
            try (Statement s = c.createStatement()) {
                s.setQueryTimeout(Math.max(1, millis / 1000));
                s.execute("SELECT 1");
            }
        } catch (SQLException e) {
            RuntimeException classified = classify("answer a health check", e);
            throw classified instanceof StoreUnavailableException ? classified
                    : new StoreUnavailableException(classified.getMessage(), e);
        }
    }

    /** Sets the wait for locks of the rest of this transaction. */
    void lockWait(Connection c, long millis) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(postgresql() ? "SET LOCAL lock_timeout = " + millis : "SET LOCK_TIMEOUT " + millis);
        }
    }

    private static void rollbackQuietly(Connection c) {
        try {
            c.rollback();
        } catch (SQLException ignored) {
            // the connection is gone: so is the transaction
        }
    }

    /** A failure as the caller should take it. */
    static RuntimeException classify(String what, SQLException e) {
        String message = what + ": " + firstLine(e.getMessage());
        if (isUnavailable(e)) {
            return new StoreUnavailableException(message, e);
        }
        if (isConflict(e)) {
            return new StoreConflictException(message, e);
        }
        return new IllegalStateException(message, e);
    }

    static boolean isUnavailable(SQLException e) {
        if (e instanceof SQLTransientConnectionException || e instanceof SQLRecoverableException
                || e instanceof SQLTimeoutException) {
            return true;
        }
        String state = e.getSQLState();
        return state == null // the driver could not even tell: the connection broke
                || state.startsWith("08") // connection exception
                || state.startsWith("53") // insufficient resources
                || state.startsWith("57") // query canceled (statement timeout), server shutting down
                || state.startsWith("58") // system error
                || isLockTimeout(e)
                || "HYT00".equals(state); // H2: timeout
    }

    static boolean isConflict(SQLException e) {
        String state = e.getSQLState();
        return "23505".equals(state) // unique key taken meanwhile
                || "40001".equals(state) // serialization failure
                || "40P01".equals(state); // deadlock
    }

    /** A lock another transaction held longer than this one would wait. */
    static boolean isLockTimeout(SQLException e) {
        return "55P03".equals(e.getSQLState()) || e.getErrorCode() == 50200; // PostgreSQL, H2
    }

    private static String firstLine(String s) {
        return s == null ? "no reason given" : s.lines().findFirst().orElse(s);
    }

    // ---------------------------------------------------------------- statements

    /** The first column of what a query selects, as ids. */
    static List<Long> ids(PreparedStatement query) throws SQLException {
        List<Long> ids = new java.util.ArrayList<>();
        try (ResultSet rs = query.executeQuery()) {
            while (rs.next()) {
                ids.add(rs.getLong(1));
            }
        }
        return ids;
    }

    /** The first column of what a query selects, as strings. */
    static List<String> strings(PreparedStatement query) throws SQLException {
        List<String> found = new java.util.ArrayList<>();
        try (ResultSet rs = query.executeQuery()) {
            while (rs.next()) {
                found.add(rs.getString(1));
            }
        }
        return found;
    }

    /** Marks rows as claimed by a node until an instant (the rows were selected FOR UPDATE in this transaction). */
    static void claim(Connection c, String table, String ownerColumn, String untilColumn, String node, Instant until,
                      List<Long> ids) throws SQLException {
        try (PreparedStatement u = c.prepareStatement("UPDATE " + table + " SET " + ownerColumn + " = ?, " + untilColumn
                + " = ? WHERE id = ANY(?)")) {
            u.setString(1, node);
            u.setTimestamp(2, ts(until));
            u.setArray(3, c.createArrayOf("bigint", ids.toArray()));
            u.executeUpdate();
        }
    }

    /** A SQL array of one column of the rows, for {@code unnest} and {@code = ANY(?)}. */
    static <T> Array array(Connection c, String type, List<T> rows, Function<T, Object> column) throws SQLException {
        Object[] values = new Object[rows.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = column.apply(rows.get(i));
        }
        return c.createArrayOf(type, values);
    }

    static Timestamp ts(Instant instant) {
        return instant == null ? null : Timestamp.from(instant);
    }

    static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }

    static String cut(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max);
    }

    /** One column of a multi-row insert: its name, SQL type and value per row. */
    record Column<T>(String name, String type, Function<T, Object> value) {
    }

    /**
     * Inserts rows in one statement: over arrays ({@code unnest}) on PostgreSQL, planned once whatever the number of
     * rows; as a JDBC batch on H2.
     */
    @SafeVarargs
    final <T> void insert(Connection c, String table, List<T> rows, Column<T>... columns) throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        StringBuilder names = new StringBuilder();
        StringBuilder values = new StringBuilder();
        for (Column<T> column : columns) {
            if (names.length() > 0) {
                names.append(", ");
                values.append(", ");
            }
            names.append(column.name());
            values.append(postgresql() ? "?::" + column.type() + "[]" : "?");
        }
        if (postgresql()) {
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO " + table + " (" + names
                    + ") SELECT * FROM unnest(" + values + ")")) {
                for (int i = 0; i < columns.length; i++) {
                    Column<T> column = columns[i];
                    // instants as ISO-8601 text with their zone, so the session's time zone plays no part
                    insert.setArray(i + 1, array(c, column.type().equals("timestamptz") ? "text" : column.type(), rows,
                            row -> {
                                Object v = column.value().apply(row);
                                return v instanceof Instant at ? at.toString() : v;
                            }));
                }
                insert.executeUpdate();
            }
            return;
        }
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO " + table + " (" + names + ") VALUES ("
                + values + ")")) {
            for (T row : rows) {
                for (int i = 0; i < columns.length; i++) {
                    Object v = columns[i].value().apply(row);
                    insert.setObject(i + 1, v instanceof Instant at ? Timestamp.from(at) : v);
                }
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }
}
