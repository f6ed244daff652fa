package org.frontdoor.store.jpa;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

import org.frontdoor.api.ConversationEvent;
import org.frontdoor.api.Identity;
import org.frontdoor.api.Message;
import org.frontdoor.api.RoutingDecision;
import org.frontdoor.store.IngestLimits;
import org.frontdoor.store.Ingested;
import org.frontdoor.store.PendingRoute;
import org.frontdoor.store.RouteResult;
import org.junit.jupiter.api.AfterEach;

import static org.assertj.core.api.Assertions.assertThat;

/** What the store's tests share: a fresh database per test, H2 and PostgreSQL (unless -Dfrontdoor.test.db.only). */
abstract class StoreTest {

    static final IngestLimits LIMITS = new IngestLimits(30_000, 2_000);
    static final String NODE = "node-a";

    TestDatabase db;
    JpaStore store;

    static List<String> databases() {
        String only = System.getProperty("frontdoor.test.db.only");
        return only == null || only.isBlank() ? List.of("h2", "postgresql") : List.of(only);
    }

    void open(String kind) throws SQLException {
        db = TestDatabase.migrated(kind);
        store = db.store();
    }

    @AfterEach
    void close() throws SQLException {
        if (db != null) {
            db.close();
        }
    }

    static Message message(String externalId, String handle, String thread, String text) {
        return Message.inbound("api", "demo").externalId(externalId)
                .author(new Identity("api", handle, "Name " + handle, handle + "@example.org", null, 0))
                .threadRef(thread).text(text).rawPayload("{\"id\":\"" + externalId + "\"}").build();
    }

    List<Ingested> ingest(Message... messages) {
        return store.ingest(List.of(messages), LIMITS);
    }

    long conversationOf(Message m) {
        return ingest(m).get(0).receipt().conversationId();
    }

    /** Claims everything waiting and routes it all to {@code department}. */
    List<Long> routeAll(String department) {
        List<PendingRoute> pending = store.claimConversationsToRoute(NODE, java.time.Instant.now().plusSeconds(60), 1000);
        return store.routed(NODE, pending.stream().map(p -> new RouteResult(p.conversationId(),
                new RoutingDecision(department, 0, null, "test"), java.util.Map.of(), 0)).toList());
    }

    /**
     * Runs work again after a {@link org.frontdoor.store.StoreConflictException} (two transactions taking the same rows
     * in different orders), as the pipeline does.
     */
    static <T> T retrying(java.util.function.Supplier<T> work) {
        for (int attempt = 1; ; attempt++) {
            try {
                return work.get();
            } catch (org.frontdoor.store.StoreConflictException e) {
                if (attempt == 5) {
                    throw e;
                }
            }
        }
    }

    /** Every event of the log, oldest first. */
    List<ConversationEvent> events() {
        return store.eventsAfter(0, 100_000);
    }

    List<ConversationEvent.Type> eventTypes(long conversation) {
        return events().stream().filter(e -> e.conversationId() == conversation).map(ConversationEvent::type).toList();
    }

    /** The positions are 1, 2, 3, ... in the order read: growing, without gaps. */
    void assertDensePositions() {
        List<ConversationEvent> all = events();
        for (int i = 0; i < all.size(); i++) {
            assertThat(all.get(i).position()).as("position of event " + i).isEqualTo(i + 1);
        }
        assertThat(store.head()).isEqualTo(all.size());
    }

    long scalar(String sql) throws SQLException {
        try (Connection c = db.dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    String text(String sql) throws SQLException {
        try (Connection c = db.dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    void execute(String... statements) throws SQLException {
        try (Connection c = db.dataSource.getConnection(); Statement s = c.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
        }
    }

    /**
     * Whether a session of the database waits for a lock another holds. H2 names no blocker while an insert waits for
     * another transaction's uncommitted key: such an insert is seen running.
     */
    boolean someoneWaitsForALock() throws SQLException {
        return db.toString().equals("h2")
                ? scalar("SELECT COUNT(*) FROM INFORMATION_SCHEMA.SESSIONS WHERE BLOCKER_ID IS NOT NULL "
                        + "OR UPPER(EXECUTING_STATEMENT) LIKE 'INSERT INTO CONVERSATION %'") > 0
                : scalar("SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database() "
                        + "AND wait_event_type = 'Lock'") > 0;
    }

    long count(String table) throws SQLException {
        return scalar("SELECT COUNT(*) FROM " + table);
    }
}
