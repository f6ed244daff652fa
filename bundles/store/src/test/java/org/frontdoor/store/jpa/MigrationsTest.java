package org.frontdoor.store.jpa;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.frontdoor.api.Scope;
import org.frontdoor.store.Ingested;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The upgrade path: a newer Frontdoor started on a database an older one made migrates it in place and keeps its data;
 * nodes started at once on one database migrate it once between them; an older one refuses a newer schema.
 */
class MigrationsTest extends StoreTest {

    private static final int NEWEST = Migrations.versionOf(Migrations.SCRIPTS.get(Migrations.SCRIPTS.size() - 1));

    /** A database an older Frontdoor left at schema version 10 (event consumer leases), with a conversation in it. */
    @ParameterizedTest
    @MethodSource("databases")
    void aDatabaseWithDataAtSchemaVersion10IsMigratedAndKeepsItsData(String kind) throws SQLException {
        db = TestDatabase.create(kind);
        List<String> upTo10 = Migrations.SCRIPTS.subList(0, Migrations.SCRIPTS.indexOf("V10__event_consumer_leases.sql") + 1);
        assertThat(new Migrations(db.dataSource, upTo10).migrate()).isEqualTo(upTo10.size());
        try (Connection c = db.dataSource.getConnection()) { // the old code's first block of ids: 1..50
            Map<SequenceIds.Sequence, Integer> one = new EnumMap<>(SequenceIds.Sequence.class);
            for (SequenceIds.Sequence sequence : EnumSet.range(SequenceIds.Sequence.CUSTOMER,
                    SequenceIds.Sequence.MERGE_SUGGESTION)) {
                one.put(sequence, 1);
            }
            new SequenceIds(Migrations.Dialect.of(c)).take(c, one);
        }
        execute("INSERT INTO customer (id, display_name, created_at) VALUES (1, 'Alice', CURRENT_TIMESTAMP)",
                "INSERT INTO customer_identity (id, customer_id, channel, handle, reach, created_at) "
                        + "VALUES (1, 1, 'api', 'alice', 0, CURRENT_TIMESTAMP)",
                "INSERT INTO conversation (id, customer_id, identity_id, conversation_key, channel, instance, status, "
                        + "priority, message_count, item_seq, created_at, last_activity_at, version) VALUES (1, 1, 1, "
                        + "'identity:1', 'api', 'demo', 'NEW', 0, 1, 1, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 1)",
                "INSERT INTO message (id, conversation_id, customer_id, identity_id, channel, instance, external_id, "
                        + "direction, visibility, body, received_at, stored_at, seq) VALUES (1, 1, 1, 1, 'api', 'demo', "
                        + "'old-1', 'INBOUND', 'PRIVATE', 'written on version 10', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 1)");

        store = db.store(); // the current code: migrates at start

        assertThat(scalar("SELECT MAX(version) FROM frontdoor_schema_version")).isEqualTo(NEWEST);
        assertThat(scalar("SELECT COUNT(*) FROM frontdoor_schema_version")).isEqualTo(Migrations.SCRIPTS.size());
        assertThat(store.conversation(Scope.ALL, 1).orElseThrow().messages()).extracting(m -> m.text())
                .containsExactly("written on version 10");
        Ingested again = ingest(message("old-1", "alice", null, "written on version 10")).get(0);
        assertThat(again.receipt().duplicate()).as("the old message is known").isTrue();
        Ingested next = ingest(message("new-1", "alice", null, "after the upgrade")).get(0);
        assertThat(next.receipt().conversationId()).as("Alice's conversation goes on").isEqualTo(1);
        assertThat(store.conversation(Scope.ALL, 1).orElseThrow().messages()).extracting(m -> m.text())
                .containsExactly("written on version 10", "after the upgrade");
        assertThat(routeAll("support")).containsExactly(1L);
    }

    /**
     * Nodes of a cluster started at the same moment on an empty database: every migration runs once, each start
     * succeeds, and each finds the schema complete (the version table's creation raced in PostgreSQL's catalog).
     */
    @ParameterizedTest
    @MethodSource("databases")
    void nodesStartingAtOnceMigrateTheDatabaseOnceBetweenThem(String kind) throws Exception {
        int nodes = 3;
        for (int round = 0; round < 3; round++) {
            try (TestDatabase fresh = TestDatabase.create(kind)) {
                db = fresh;
                CyclicBarrier together = new CyclicBarrier(nodes);
                ExecutorService starts = Executors.newFixedThreadPool(nodes);
                try {
                    List<Future<Integer>> applied = new ArrayList<>();
                    for (int n = 0; n < nodes; n++) {
                        applied.add(starts.submit(() -> {
                            together.await(1, TimeUnit.MINUTES);
                            return new Migrations(fresh.dataSource).migrate();
                        }));
                    }
                    int total = 0;
                    for (Future<Integer> start : applied) {
                        total += start.get(2, TimeUnit.MINUTES);
                    }
                    assertThat(total).as("each migration applied by one node").isEqualTo(Migrations.SCRIPTS.size());
                } finally {
                    starts.shutdownNow();
                }
                assertThat(scalar("SELECT COUNT(*) FROM frontdoor_schema_version")).isEqualTo(Migrations.SCRIPTS.size());
                assertThat(new Migrations(fresh.dataSource).migrate()).isZero();
            } finally {
                db = null;
            }
        }
    }

    /** An older Frontdoor started on a database a newer one migrated says so, rather than writing rows it misreads. */
    @ParameterizedTest
    @MethodSource("databases")
    void anOlderNodeRefusesASchemaANewerOneMigrated(String kind) throws SQLException {
        open(kind);
        execute("INSERT INTO frontdoor_schema_version (version, script, applied_at) VALUES (" + (NEWEST + 1)
                + ", 'V" + (NEWEST + 1) + "__from_the_future.sql', CURRENT_TIMESTAMP)");

        assertThatThrownBy(() -> new Migrations(db.dataSource).migrate()).isInstanceOf(SQLException.class)
                .hasMessageContaining("at version " + (NEWEST + 1))
                .hasMessageContaining("newest migration (" + NEWEST + ")")
                .hasMessageContaining("backup");
    }
}
