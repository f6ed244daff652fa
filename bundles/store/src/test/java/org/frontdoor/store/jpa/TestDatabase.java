package org.frontdoor.store.jpa;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.persistence.EntityManagerFactory;
import javax.sql.DataSource;

import org.eclipse.persistence.jpa.PersistenceProvider;
import org.h2.jdbcx.JdbcDataSource;
import org.postgresql.ds.PGPoolingDataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A fresh database for one test: H2 in memory, or a new PostgreSQL database dropped at close. {@link #create} gives an
 * empty one (a test of the migrations themselves), {@link #migrated} one at the current schema.
 */
final class TestDatabase implements AutoCloseable {

    /**
     * On PostgreSQL, the current schema made once per test JVM: every migration run on an empty database (as
     * {@link JpaStore} does at start), then copied for each test by {@code CREATE DATABASE ... TEMPLATE}, which takes a
     * fraction of the 17 migrations' time. The store still runs {@link Migrations#migrate} on the copy (finding
     * nothing to do); the migrations from empty and from older versions are run by MigrationsTest, every H2 test and
     * the distribution's PostgreSQL scenarios.
     */
    private static String pgTemplate;

    private final String kind;
    private final String name;
    final DataSource dataSource;
    EntityManagerFactory emf;
    @SuppressWarnings("deprecation") // PGPoolingDataSource: a plain pool is all a test needs
    private final List<PGPoolingDataSource> pools = new ArrayList<>();

    private TestDatabase(String kind, String name, DataSource dataSource) {
        this.kind = kind;
        this.name = name;
        this.dataSource = dataSource;
    }

    /** An empty database. */
    static TestDatabase create(String kind) throws SQLException {
        return create(kind, null);
    }

    /** A database at the current schema: on H2 migrated by the store as it starts, on PostgreSQL a template's copy. */
    static TestDatabase migrated(String kind) throws SQLException {
        return kind.equals("h2") ? create(kind, null) : create(kind, pgTemplate());
    }

    private static synchronized String pgTemplate() throws SQLException {
        if (pgTemplate == null) {
            TestDatabase template = create("postgresql", null);
            try {
                new Migrations(template.dataSource).migrate(); // its connections are closed: it can be copied
            } catch (SQLException | RuntimeException e) {
                template.close();
                throw e;
            }
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    template.close();
                } catch (SQLException e) {
                    System.err.println("could not drop the test template database " + template.name + ": " + e);
                }
            }));
            pgTemplate = template.name;
        }
        return pgTemplate;
    }

    private static TestDatabase create(String kind, String template) throws SQLException {
        String name = "fd_store_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        if (kind.equals("h2")) {
            JdbcDataSource ds = new JdbcDataSource();
            ds.setURL("jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1");
            return new TestDatabase(kind, name, ds);
        }
        try (Connection c = DriverManager.getConnection(adminUrl(), "postgres", "");
             Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name + (template == null ? "" : " TEMPLATE " + template));
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

    /**
     * A store on the database. On PostgreSQL it gets pooled connections, as in production (pax-jdbc), instead of a new
     * connection per transaction (a new server process each, about 100 ms on a busy build machine); the test's own
     * {@link #dataSource} keeps plain connections of its own (to hold a lock, to look at rows).
     */
    JpaStore store() throws SQLException {
        return store(true);
    }

    /**
     * A store on the database, on plain connections when {@code pooled} is false: for a test that reads what the
     * store's transactions did from {@code pg_stat_user_tables}, which a PostgreSQL 15 backend reports when it ends
     * (or after 10 s idle, as a pooled connection is).
     */
    @SuppressWarnings("deprecation")
    JpaStore store(boolean pooled) throws SQLException {
        DataSource storeSource = dataSource;
        if (pooled && dataSource instanceof PGSimpleDataSource simple) {
            PGPoolingDataSource pool = new PGPoolingDataSource();
            pool.setDataSourceName(name + "_" + pools.size()); // the driver keeps pools by name; one per store
            pool.setURL(simple.getURL());
            pool.setUser(simple.getUser());
            pool.setReWriteBatchedInserts(simple.getReWriteBatchedInserts());
            pool.setMaxConnections(16);
            pools.add(pool);
            storeSource = pool;
        }
        emf = new PersistenceProvider().createEntityManagerFactory("frontdoor",
                Map.of("javax.persistence.nonJtaDataSource", storeSource));
        return new JpaStore(emf, storeSource);
    }

    @Override
    @SuppressWarnings("deprecation")
    public void close() throws SQLException {
        if (emf != null) {
            emf.close();
        }
        for (PGPoolingDataSource pool : pools) {
            pool.close();
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
