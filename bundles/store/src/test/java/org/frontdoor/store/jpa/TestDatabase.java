package org.frontdoor.store.jpa;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.UUID;

import javax.persistence.EntityManagerFactory;
import javax.sql.DataSource;

import org.eclipse.persistence.jpa.PersistenceProvider;
import org.h2.jdbcx.JdbcDataSource;
import org.postgresql.ds.PGSimpleDataSource;

/** A fresh, empty database for one test: H2 in memory, or a new PostgreSQL database dropped at close. */
final class TestDatabase implements AutoCloseable {

    private final String kind;
    private final String name;
    final DataSource dataSource;
    EntityManagerFactory emf;

    private TestDatabase(String kind, String name, DataSource dataSource) {
        this.kind = kind;
        this.name = name;
        this.dataSource = dataSource;
    }

    static TestDatabase create(String kind) throws SQLException {
        String name = "fd_store_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        if (kind.equals("h2")) {
            JdbcDataSource ds = new JdbcDataSource();
            ds.setURL("jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1");
            return new TestDatabase(kind, name, ds);
        }
        try (Connection c = DriverManager.getConnection(adminUrl(), "postgres", "");
             Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new SQLException("PostgreSQL is needed for this test (" + adminUrl() + "): " + e.getMessage(), e);
        }
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setURL(adminUrl().replaceFirst("/[^/?]+(\\?|$)", "/" + name + "$1"));
        ds.setUser("postgres");
        ds.setReWriteBatchedInserts(true);
        return new TestDatabase(kind, name, ds);
    }

    static String adminUrl() {
        return System.getProperty("frontdoor.test.pg.url", "jdbc:postgresql://127.0.0.1:5432/test");
    }

    JpaStore store() throws SQLException {
        emf = new PersistenceProvider().createEntityManagerFactory("frontdoor",
                Map.of("javax.persistence.nonJtaDataSource", dataSource));
        return new JpaStore(emf, dataSource);
    }

    @Override
    public void close() throws SQLException {
        if (emf != null) {
            emf.close();
        }
        if (kind.equals("h2")) {
            try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
                s.execute("SHUTDOWN");
            }
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
