package org.frontdoor.store.jpa;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import org.eclipse.persistence.jpa.PersistenceProvider;
import org.postgresql.ds.PGPoolingDataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The store module's test databases for core's tests: a fresh H2 or PostgreSQL database with a real JpaStore on it.
 * It lives in the store's package because {@link TestDatabase} (from the store's test-jar) is package-private.
 * On PostgreSQL the store gets pooled connections, as in production (pax-jdbc), instead of one new connection per
 * query, which costs about 100 ms each on a busy build machine.
 */
public final class StoreTestDatabase implements AutoCloseable {

    private final TestDatabase db;
    private final PGPoolingDataSource pool;
    private final JpaStore store;

    @SuppressWarnings("deprecation") // PGPoolingDataSource: a plain pool is all a test needs
    private StoreTestDatabase(TestDatabase db) throws SQLException {
        this.db = db;
        this.pool = db.dataSource instanceof PGSimpleDataSource simple ? new PGPoolingDataSource() : null;
        try {
            if (pool == null) {
                this.store = db.store();
            } else {
                PGSimpleDataSource simple = (PGSimpleDataSource) db.dataSource;
                pool.setDataSourceName(simple.getDatabaseName()); // the driver keeps pools by name
                pool.setURL(simple.getURL());
                pool.setUser(simple.getUser());
                pool.setReWriteBatchedInserts(simple.getReWriteBatchedInserts());
                pool.setMaxConnections(8);
                db.emf = new PersistenceProvider().createEntityManagerFactory("frontdoor",
                        Map.of("javax.persistence.nonJtaDataSource", (DataSource) pool));
                this.store = new JpaStore(db.emf, pool);
            }
        } catch (SQLException | RuntimeException e) {
            close();
            throw e;
        }
    }

    /** The databases the store's tests run on: H2 and PostgreSQL, unless {@code -Dfrontdoor.test.db.only} names one. */
    public static List<String> kinds() {
        return StoreTest.databases();
    }

    public static StoreTestDatabase create(String kind) throws SQLException {
        return new StoreTestDatabase(TestDatabase.migrated(kind));
    }

    public JpaStore store() {
        return store;
    }

    /** A connection of its own to the database, outside the store (to hold a lock, to look at rows). */
    /** The database's connections, for a component that takes a DataSource (the login accounts). */
    public javax.sql.DataSource dataSource() {
        return db.dataSource;
    }

    public Connection connection() throws SQLException {
        return db.dataSource.getConnection();
    }

    /** A second store on the same database: another pipeline's, another node's. */
    public JpaStore anotherStore() throws SQLException {
        return new JpaStore(db.emf, pool != null ? pool : db.dataSource);
    }

    public long scalar(String sql) throws SQLException {
        try (Connection c = db.dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    public long count(String table) throws SQLException {
        try (Connection c = db.dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Override
    @SuppressWarnings("deprecation")
    public void close() throws SQLException {
        try {
            if (db.emf != null) {
                db.emf.close();
                db.emf = null;
            }
            if (pool != null) {
                pool.close();
            }
        } finally {
            db.close();
        }
    }

    @Override
    public String toString() {
        return db.toString();
    }
}
