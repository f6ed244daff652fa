package org.frontdoor.testkit;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.UUID;

/**
 * The database a {@link Distribution} under test runs on: the embedded default (H2 under the copy's data/), or a
 * fresh PostgreSQL database of its own, configured through the documented {@code FRONTDOOR_DB_*} variables and
 * dropped at {@link #close()}.
 *
 * <p>PostgreSQL is reached through the system property {@code frontdoor.test.pg.url} (default
 * {@code jdbc:postgresql://127.0.0.1:5432/test}, user {@code postgres} without a password, as CI runs it); the
 * database named in that URL is only used to create and drop the test's own.
 */
public final class Database implements AutoCloseable {

    private final String kind;
    private final String name;
    private final String url;

    private Database(String kind, String name, String url) {
        this.kind = kind;
        this.name = name;
        this.url = url;
    }

    /** The distribution's embedded default: H2 under its data/ directory, gone with the copy. */
    public static Database h2() {
        return new Database("h2", null, null);
    }

    /** A new, empty PostgreSQL database of its own, dropped at {@link #close()}. */
    public static Database postgresql() throws SQLException {
        String name = "fd_it_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection c = DriverManager.getConnection(adminUrl(), "postgres", "");
             Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new SQLException("PostgreSQL is needed for this test (" + adminUrl() + "): " + e.getMessage(), e);
        }
        return new Database("postgresql", name, adminUrl().replaceFirst("/[^/?]+(\\?|$)", "/" + name + "$1"));
    }

    private static String adminUrl() {
        return System.getProperty("frontdoor.test.pg.url", "jdbc:postgresql://127.0.0.1:5432/test");
    }

    /** {@code h2} or {@code postgresql}. */
    public String kind() {
        return kind;
    }

    /** The JDBC URL of the test's own PostgreSQL database (for checks in SQL); {@code null} for H2. */
    public String jdbcUrl() {
        return url;
    }

    /** A connection to the test's own PostgreSQL database, as the distribution's user; not for H2. */
    public Connection connect() throws SQLException {
        if (url == null) {
            throw new IllegalStateException("the embedded H2 database belongs to the running distribution");
        }
        return DriverManager.getConnection(url, "postgres", "");
    }

    /** The environment that points the distribution at this database, as the README documents it. */
    public Map<String, String> environment() {
        if (url == null) {
            return Map.of();
        }
        return Map.of("FRONTDOOR_DB_DRIVER", "org.postgresql.Driver",
                "FRONTDOOR_DB_URL", url + (url.contains("?") ? "&" : "?") + "reWriteBatchedInserts=true",
                "FRONTDOOR_DB_USER", "postgres",
                "FRONTDOOR_DB_PASSWORD", "");
    }

    @Override
    public void close() throws SQLException {
        if (name == null) {
            return;
        }
        try (Connection c = DriverManager.getConnection(adminUrl(), "postgres", "");
             Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        }
    }

    @Override
    public String toString() {
        return kind;
    }
}
