package org.frontdoor.store.jpa;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;

import org.frontdoor.api.Annotation;
import org.frontdoor.api.ConversationEvent.Type;
import org.frontdoor.api.Message;
import org.frontdoor.api.Scope;
import org.frontdoor.api.inbox.ConversationDetail;
import org.frontdoor.api.inbox.ConversationStatus;
import org.frontdoor.api.inbox.ConversationSummary;
import org.frontdoor.api.inbox.CustomerView;
import org.frontdoor.store.Ingested;
import org.frontdoor.store.StoreConflictException;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** Ingest's transactions against real databases. */
class IngestStoreTest extends StoreTest {

    @ParameterizedTest
    @MethodSource("databases")
    void storesEachExternalIdOnceAndAnswersRepeatsWithTheFirstIds(String kind) throws SQLException {
        open(kind);
        Ingested first = ingest(message("m-1", "alice", null, "hello")).get(0);
        Ingested again = ingest(message("m-1", "alice", null, "hello, changed")).get(0);

        assertThat(first.receipt().duplicate()).isFalse();
        assertThat(first.newConversation()).isTrue();
        assertThat(again.receipt().duplicate()).isTrue();
        assertThat(again.receipt().messageId()).isEqualTo(first.receipt().messageId());
        assertThat(again.receipt().conversationId()).isEqualTo(first.receipt().conversationId());
        assertThat(count("message")).isEqualTo(1);
        ConversationDetail detail = store.conversation(Scope.ALL, first.receipt().conversationId()).orElseThrow();
        assertThat(detail.messages()).extracting(m -> m.text()).containsExactly("hello");
        assertThat(eventTypes(first.receipt().conversationId())).as("a repeat writes no event")
                .containsExactly(Type.CREATED, Type.MESSAGE_ADDED);
    }

    @ParameterizedTest
    @MethodSource("databases")
    void groupsIdentifyCustomersAndThreadsInOneCommit(String kind) throws SQLException {
        open(kind);
        List<Ingested> out = ingest(
                message("a-1", "alice", null, "first"),
                message("b-1", "bob", null, "bob here"),
                message("a-2", "alice", null, "second"),
                message("a-1", "alice", null, "first"),
                message("a-3", "alice", "order-7", "about my order"));

        assertThat(out).hasSize(5);
        assertThat(out.get(0).receipt().customerId()).isEqualTo(out.get(2).receipt().customerId());
        assertThat(out.get(0).receipt().conversationId()).isEqualTo(out.get(2).receipt().conversationId());
        assertThat(out.get(1).receipt().customerId()).isNotEqualTo(out.get(0).receipt().customerId());
        assertThat(out.get(3).receipt().duplicate()).isTrue();
        assertThat(out.get(3).receipt().messageId()).isEqualTo(out.get(0).receipt().messageId());
        assertThat(out.get(4).receipt().conversationId()).isNotEqualTo(out.get(0).receipt().conversationId());
        assertThat(out.get(4).receipt().customerId()).isEqualTo(out.get(0).receipt().customerId());
        assertThat(out).filteredOn(Ingested::newConversation).hasSize(3);
        assertThat(count("message")).isEqualTo(4);
        assertThat(count("customer")).isEqualTo(2);

        CustomerView alice = store.customer(Scope.ALL, out.get(0).receipt().customerId()).orElseThrow();
        assertThat(alice.identities()).singleElement().satisfies(i -> {
            assertThat(i.handle()).isEqualTo("alice");
            assertThat(i.email()).isEqualTo("alice@example.org");
        });
        assertThat(alice.conversations()).hasSize(2);
        ConversationSummary main = store.conversation(Scope.ALL, out.get(0).receipt().conversationId()).orElseThrow()
                .summary();
        assertThat(main.messageCount()).isEqualTo(2);
        assertThat(main.preview()).isEqualTo("second");
        assertThat(main.customerName()).isEqualTo("Name alice");
    }

    /** An e-mail with people in copy, the comments under one post: one thread, one conversation, each author kept. */
    @ParameterizedTest
    @MethodSource("databases")
    void aThreadSeveralPeopleWriteInIsOneConversationAndEachMessageKeepsItsAuthor(String kind) throws SQLException {
        open(kind);
        List<Ingested> first = ingest(message("1", "alice", "post-9", "this product broke"),
                message("2", "bob", "post-9", "mine too"));
        Ingested later = ingest(message("3", "carol", "post-9", "same here")).get(0);
        Ingested elsewhere = ingest(message("4", "bob", null, "a private word")).get(0);

        long thread = first.get(0).receipt().conversationId();
        assertThat(first.get(1).receipt().conversationId()).isEqualTo(thread);
        assertThat(later.receipt().conversationId()).isEqualTo(thread);
        assertThat(later.newConversation()).isFalse();
        assertThat(elsewhere.receipt().conversationId()).isNotEqualTo(thread);
        ConversationDetail detail = store.conversation(Scope.ALL, thread).orElseThrow();
        assertThat(detail.summary().customerId()).as("the thread's customer is who opened it")
                .isEqualTo(first.get(0).receipt().customerId());
        assertThat(detail.summary().threadRef()).isEqualTo("post-9");
        assertThat(detail.summary().messageCount()).isEqualTo(3);
        assertThat(detail.messages()).extracting(m -> m.authorHandle()).containsExactly("alice", "bob", "carol");
        assertThat(detail.messages()).extracting(m -> m.customerId()).containsExactly(
                first.get(0).receipt().customerId(), first.get(1).receipt().customerId(),
                later.receipt().customerId());
        assertThat(text("SELECT identity_id FROM conversation WHERE id = " + thread)).isEqualTo(
                text("SELECT id FROM customer_identity WHERE handle = 'alice'"));
        assertThat(store.customer(Scope.ALL, first.get(1).receipt().customerId()).orElseThrow().conversations())
                .as("bob's own conversations: the one he opened").extracting(ConversationSummary::id)
                .containsExactly(elsewhere.receipt().conversationId());
    }

    /** Two writers, or two nodes, opening the same thread at once collide on its key instead of splitting it. */
    @ParameterizedTest
    @MethodSource("databases")
    void twoTransactionsOpeningTheSameThreadCollideAndTheRetryJoinsIt(String kind) throws Exception {
        open(kind);
        try (Connection other = db.dataSource.getConnection()) {
            other.setAutoCommit(false);
            try (Statement s = other.createStatement()) {
                s.execute("INSERT INTO customer (id, display_name, created_at) VALUES (900001, 'Zed', CURRENT_TIMESTAMP)");
                s.execute("INSERT INTO customer_identity (id, customer_id, channel, handle, reach, created_at) "
                        + "VALUES (900001, 900001, 'api', 'zed', 0, CURRENT_TIMESTAMP)");
                s.execute("INSERT INTO conversation (id, customer_id, identity_id, channel, instance, thread_ref, "
                        + "conversation_key, status, priority, message_count, created_at, last_activity_at, version) "
                        + "VALUES (900001, 900001, 900001, 'api', 'demo', 'shared', 'thread:shared', 'NEW', 0, 0, "
                        + "CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 1)");
            }
            ExecutorService pool = Executors.newSingleThreadExecutor();
            try {
                Future<List<Ingested>> racing = pool.submit(() -> store.ingest(
                        List.of(message("r-1", "alice", "shared", "x")), new org.frontdoor.store.IngestLimits(60_000, 60_000)));
                await("the racing ingest waiting for the other transaction").until(this::someoneWaitsForALock);
                other.commit();
                assertThatThrownBy(racing::get).hasCauseInstanceOf(StoreConflictException.class);
            } finally {
                pool.shutdown();
            }
        }
        assertThat(ingest(message("r-1", "alice", "shared", "x")).get(0).receipt().conversationId())
                .isEqualTo(900001);
    }

    /**
     * The message table has no foreign keys (migration V3): ingest alone keeps its references right. Groups mixing new
     * and known authors, several threads, repeats within and across groups, and two groups stored at once on threads
     * of their own.
     */
    @ParameterizedTest
    @MethodSource("databases")
    void everyStoredMessageReferencesItsOwnConversationCustomerAndIdentity(String kind) throws Exception {
        open(kind);
        ingest(message("1", "alice", "t1", "a"), message("2", "bob", null, "b"), message("3", "alice", "t2", "c"),
                message("1", "alice", "t1", "repeat in the group"));
        ingest(message("4", "bob", "t1", "d"), message("5", "carol", null, "e"),
                message("2", "bob", null, "repeat of an earlier group"), message("6", "bob", null, "f"));
        List<Future<List<Ingested>>> concurrent = new ArrayList<>();
        ExecutorService two = Executors.newFixedThreadPool(2);
        try {
            for (int g = 0; g < 2; g++) {
                int group = g;
                concurrent.add(two.submit(() -> store.ingest(IntStream.range(0, 60)
                        .mapToObj(i -> message("g" + group + "-" + i, "author-" + group + "-" + i % 20,
                                i % 2 == 0 ? "g" + group + "-t" + i % 3 : null, "x"))
                        .toList(), LIMITS)));
            }
            for (Future<List<Ingested>> f : concurrent) {
                assertThat(f.get()).hasSize(60);
            }
        } finally {
            two.shutdown();
        }

        assertThat(count("message")).isEqualTo(6 + 120);
        assertThat(count("customer")).isEqualTo(3 + 40);
        // t1, t2, bob's, carol's; per group three threads and the ten authors who wrote without one
        assertThat(count("conversation")).isEqualTo(4 + 2 * (3 + 10));
        assertThat(scalar("SELECT COUNT(*) FROM message m "
                + "LEFT JOIN conversation c ON c.id = m.conversation_id "
                + "LEFT JOIN customer_identity i ON i.id = m.identity_id "
                + "LEFT JOIN customer cu ON cu.id = m.customer_id "
                + "WHERE c.id IS NULL OR i.id IS NULL OR cu.id IS NULL OR i.customer_id <> m.customer_id "
                + "OR c.channel <> m.channel OR c.instance <> m.instance "
                + "OR COALESCE(c.thread_ref, '') <> COALESCE(m.thread_ref, '') "
                + "OR (m.thread_ref IS NULL AND c.identity_id <> m.identity_id)")).isZero();
        assertThat(scalar("SELECT COUNT(*) FROM conversation c WHERE c.message_count <> "
                + "(SELECT COUNT(*) FROM message m WHERE m.conversation_id = c.id)")).isZero();
        assertThat(scalar("SELECT COUNT(*) FROM information_schema.table_constraints WHERE constraint_type = "
                + "'FOREIGN KEY' AND LOWER(table_name) = 'message' AND table_schema = CURRENT_SCHEMA")).isZero();
        assertThat(events()).filteredOn(e -> e.type() == Type.MESSAGE_ADDED).hasSize(126);
        assertThat(events()).filteredOn(e -> e.type() == Type.CREATED).hasSize((int) count("conversation"));
        assertDensePositions();
    }

    /** A message on a resolved conversation reopens it (to be routed again), with its event and audit row. */
    @ParameterizedTest
    @MethodSource("databases")
    void aMessageOnAResolvedConversationReopensItWithItsEventAndAudit(String kind) throws SQLException {
        open(kind);
        long conversation = conversationOf(message("1", "alice", "t", "refund please"));
        routeAll("billing");
        store.resolve(Scope.ALL, conversation, "jane");

        Ingested again = ingest(message("2", "alice", "t", "it happened again")).get(0);

        assertThat(again.receipt().conversationId()).isEqualTo(conversation);
        assertThat(again.newConversation()).as("reopened: to be routed again").isTrue();
        ConversationSummary reopened = store.conversation(Scope.ALL, conversation).orElseThrow().summary();
        assertThat(reopened.status()).isEqualTo(ConversationStatus.NEW);
        assertThat(reopened.department()).as("kept for the rules to see").isEqualTo("billing");
        assertThat(reopened.messageCount()).isEqualTo(2);
        assertThat(eventTypes(conversation)).containsExactly(Type.CREATED, Type.MESSAGE_ADDED, Type.ROUTED,
                Type.RESOLVED, Type.REOPENED, Type.MESSAGE_ADDED);
        assertThat(events().get(events().size() - 1).department()).isEqualTo("billing");
        assertThat(scalar("SELECT COUNT(*) FROM audit_event WHERE action = 'conversation.reopened' AND subject_id = "
                + conversation + " AND detail = 'new message 2'")).isEqualTo(1);
        assertThat(scalar("SELECT COUNT(*) FROM audit_event WHERE action = 'conversation.created'")).isEqualTo(1);
        assertThat(scalar("SELECT COUNT(DISTINCT id) FROM audit_event")).isEqualTo(count("audit_event"));

        Ingested onceMore = ingest(message("3", "alice", "t", "hello?")).get(0);
        assertThat(onceMore.newConversation()).as("open already: not reopened twice").isFalse();
        assertThat(eventTypes(conversation)).filteredOn(t -> t == Type.REOPENED).hasSize(1);
    }

    /**
     * A conversation another transaction holds (an admin's long update, a stuck session) stalls nobody: the group's
     * other messages are stored, its own are deferred after one lock wait, and a later group skips it at once.
     */
    @ParameterizedTest
    @MethodSource("databases")
    void aConversationHeldByAnotherTransactionDefersOnlyItsOwnMessages(String kind) throws Exception {
        open(kind);
        long held = conversationOf(message("1", "alice", null, "first"));
        conversationOf(message("2", "bob", null, "first"));
        try (Connection other = db.dataSource.getConnection()) {
            other.setAutoCommit(false);
            try (Statement s = other.createStatement()) {
                s.execute("UPDATE conversation SET priority = 5 WHERE id = " + held);
            }
            List<Ingested> out = store.ingest(List.of(message("3", "alice", null, "still there?"),
                    message("4", "bob", null, "hello again"), message("5", "carol", null, "new here")),
                    new org.frontdoor.store.IngestLimits(30_000, 300));

            assertThat(out.get(0).isDeferred()).isTrue();
            assertThat(out.get(0).deferredReason()).contains("conversation " + held);
            assertThat(out.get(1).receipt().duplicate()).isFalse();
            assertThat(out.get(2).newConversation()).isTrue();

            assertThat(store.ingestWaits()).as("groups that waited for a lock").isEqualTo(1);
            List<Ingested> next = store.ingest(List.of(message("6", "alice", null, "anyone?"),
                    message("7", "dan", null, "hi")), new org.frontdoor.store.IngestLimits(30_000, 60_000));
            assertThat(next.get(0).isDeferred()).as("remembered as held").isTrue();
            assertThat(next.get(1).isDeferred()).isFalse();
            assertThat(store.ingestWaits()).as("skipped without waiting again").isEqualTo(1);
            other.rollback();
        }
        assertThat(ingest(message("3", "alice", null, "still there?")).get(0).isDeferred()).isFalse();
        assertThat(store.conversation(Scope.ALL, held).orElseThrow().summary().messageCount()).isEqualTo(2);
        assertDensePositions();
    }

    @ParameterizedTest
    @MethodSource("databases")
    void keepsWhatTheChannelSaidOfAMessageAsItsAnnotations(String kind) throws SQLException {
        open(kind);
        Message m = message("1", "alice", null, "bonjour").toBuilder()
                .annotations(List.of(new Annotation("language", "fr", 0.9))).build();
        long conversation = conversationOf(m);

        assertThat(store.conversation(Scope.ALL, conversation).orElseThrow().messages().get(0).annotations())
                .containsExactly(new Annotation("language", "fr", 0.9));
        assertThat(text("SELECT source FROM message_annotation")).isEqualTo("channel:api");
    }

    @ParameterizedTest
    @MethodSource("databases")
    void migratesOnceAndKeepsCustomerTextAsData(String kind) throws SQLException {
        open(kind);
        assertThat(new Migrations(db.dataSource).migrate()).isZero();
        String hostile = "<script>alert('x')</script> '; DROP TABLE message; -- $(rm -rf /) ünïcødé 🚪";
        long conversation = conversationOf(message("h-1", "mallory", null, hostile));
        assertThat(store.conversation(Scope.ALL, conversation).orElseThrow().messages().get(0).text()).isEqualTo(hostile);
    }

    /** Ids are handed out in blocks of 50: a sequence stepping otherwise would give an id twice, so the store refuses. */
    @ParameterizedTest
    @MethodSource("databases")
    void refusesToStartOnSequencesThatDoNotStepByTheBlock(String kind) throws SQLException {
        open(kind);
        execute("ALTER SEQUENCE message_seq INCREMENT BY 1");

        assertThatThrownBy(() -> new JpaStore(db.emf, db.dataSource)).isInstanceOf(SQLException.class)
                .hasMessageContaining("message_seq").hasMessageContaining("steps by 1");
    }

    /**
     * A database at schema version 2, with data, is upgraded in place when the store starts: old messages found as
     * duplicates, new ones join their conversation, and a thread two customers shared keeps its latest conversation.
     */
    @ParameterizedTest
    @MethodSource("databases")
    void upgradesADatabaseWithDataFromSchemaVersion2(String kind) throws SQLException {
        db = TestDatabase.create(kind);
        assertThat(new Migrations(db.dataSource, Migrations.SCRIPTS.subList(0, 2)).migrate()).isEqualTo(2);
        try (Connection c = db.dataSource.getConnection()) { // the ids 1 are those of a first block, as before
            SequenceIds old = new SequenceIds(Migrations.Dialect.of(c));
            Map<SequenceIds.Sequence, Integer> one = new EnumMap<>(SequenceIds.Sequence.class);
            // the sequences schema version 1 made (later ones came with their migrations)
            for (SequenceIds.Sequence sequence : java.util.EnumSet.range(SequenceIds.Sequence.CUSTOMER,
                    SequenceIds.Sequence.AUDIT_EVENT)) {
                one.put(sequence, 1);
            }
            assertThat(old.take(c, one).values()).allSatisfy(ids -> assertThat(ids).containsExactly(1L));
        }
        execute("INSERT INTO customer (id, display_name, created_at) VALUES (1, 'Alice', CURRENT_TIMESTAMP)",
                "INSERT INTO customer (id, display_name, created_at) VALUES (2, 'Bob', CURRENT_TIMESTAMP)",
                "INSERT INTO customer_identity (id, customer_id, channel, handle, reach, created_at) "
                        + "VALUES (1, 1, 'api', 'alice', 0, CURRENT_TIMESTAMP)",
                "INSERT INTO customer_identity (id, customer_id, channel, handle, reach, created_at) "
                        + "VALUES (2, 2, 'api', 'bob', 0, CURRENT_TIMESTAMP)",
                "INSERT INTO conversation (id, customer_id, channel, instance, status, priority, message_count, "
                        + "created_at, last_activity_at, version) "
                        + "VALUES (1, 1, 'api', 'demo', 'NEW', 0, 1, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 1)",
                "INSERT INTO conversation (id, customer_id, channel, instance, thread_ref, status, priority, "
                        + "message_count, created_at, last_activity_at, version) "
                        + "VALUES (2, 1, 'api', 'demo', 'order-1', 'QUEUED', 0, 0, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 1)",
                "INSERT INTO conversation (id, customer_id, channel, instance, thread_ref, status, priority, "
                        + "message_count, created_at, last_activity_at, version) "
                        + "VALUES (3, 2, 'api', 'demo', 'order-1', 'QUEUED', 0, 0, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 1)",
                "INSERT INTO message (id, conversation_id, customer_id, identity_id, channel, instance, external_id, "
                        + "direction, visibility, body, received_at, stored_at) VALUES (1, 1, 1, 1, 'api', 'demo', "
                        + "'old-1', 'INBOUND', 'PRIVATE', 'stored before the upgrade', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)");

        store = db.store(); // migrates to the current version

        assertThat(scalar("SELECT MAX(version) FROM frontdoor_schema_version")).isEqualTo(
                (long) Migrations.versionOf(Migrations.SCRIPTS.get(Migrations.SCRIPTS.size() - 1)));
        assertThat(scalar("SELECT COUNT(*) FROM information_schema.table_constraints WHERE constraint_type = "
                + "'FOREIGN KEY' AND LOWER(table_name) = 'message' AND table_schema = CURRENT_SCHEMA")).isZero();
        Ingested again = ingest(message("old-1", "alice", null, "stored before the upgrade")).get(0);
        assertThat(again.receipt().duplicate()).isTrue();
        assertThat(again.receipt().messageId()).isEqualTo(1);
        Ingested next = ingest(message("new-1", "alice", null, "after the upgrade")).get(0);
        assertThat(next.receipt().conversationId()).isEqualTo(1);
        assertThat(store.conversation(Scope.ALL, 1).orElseThrow().messages()).extracting(m -> m.text())
                .containsExactly("stored before the upgrade", "after the upgrade");
        assertThat(ingest(message("new-2", "alice", "order-1", "the shared thread")).get(0).receipt().conversationId())
                .as("the thread's latest conversation").isEqualTo(3);
    }

    /**
     * Ingest finds stored messages, identities and conversations through their indexes even before PostgreSQL has
     * statistics for the tables (a fresh deployment under load; autovacuum late or off). With the door first in
     * the keys, the planner once read every row of the door for each batch, so ingest slowed as the tables grew.
     */
    @Test
    void aBatchReadsAboutItsOwnRowsNotTheWholeTableBeforeTheTablesHaveStatistics() throws SQLException {
        Assumptions.assumeTrue(databases().contains("postgresql"), "PostgreSQL is not among the test databases");
        // plain connections: each ends with its transaction and so reports its counts to pg_stat_user_tables at once
        db = TestDatabase.migrated("postgresql");
        store = db.store(false);
        execute("ALTER TABLE message SET (autovacuum_enabled = false)",
                "ALTER TABLE conversation SET (autovacuum_enabled = false)",
                "ALTER TABLE customer_identity SET (autovacuum_enabled = false)");
        int customers = 4000;
        for (int batch = 0; batch < customers / 500; batch++) {
            List<Message> seed = new ArrayList<>();
            for (int i = batch * 500; i < (batch + 1) * 500; i++) {
                seed.add(message("seed-" + i, "customer-" + i, null, "order " + i + " is late"));
            }
            store.ingest(seed, LIMITS);
        }
        await().until(() -> statistic("n_tup_ins", "message") == customers); // the seeding's counts are in
        long readBefore = rowsRead();

        List<Message> batch = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            batch.add(message("again-" + i, "customer-" + (i * 97 % customers), null, "still waiting"));
        }
        for (int i = 0; i < 20; i++) {
            batch.add(message("new-" + i, "newcomer-" + i, null, "hello"));
        }
        batch.add(message("seed-7", "customer-7", null, "order 7 is late")); // a repeat
        List<Ingested> out = store.ingest(batch, LIMITS);
        await().until(() -> statistic("n_tup_ins", "message") == customers + 60);

        assertThat(out).filteredOn(in -> in.receipt().duplicate()).hasSize(1);
        assertThat(statistic("reltuples", "message")).as("PostgreSQL has no statistics for message").isLessThan(0);
        // the batch's own lookups: a few rows per message, not the 4000 of any table
        assertThat(rowsRead() - readBefore).isLessThan(1000);
    }

    /** A column of pg_stat_user_tables (or reltuples of pg_class) for one table. */
    private long statistic(String column, String table) throws SQLException {
        return scalar(column.equals("reltuples") ? "SELECT reltuples FROM pg_class WHERE relname = '" + table + "'"
                : "SELECT " + column + " FROM pg_stat_user_tables WHERE relname = '" + table + "'");
    }

    /** Rows read by sequential and index scans of the tables ingest looks up. */
    private long rowsRead() throws SQLException {
        return scalar("SELECT SUM(COALESCE(seq_tup_read, 0) + COALESCE(idx_tup_read, 0)) "
                + "FROM pg_stat_user_tables t JOIN (SELECT relid, SUM(idx_tup_read) idx_tup_read "
                + "FROM pg_stat_user_indexes GROUP BY relid) i USING (relid) "
                + "WHERE t.relname IN ('message', 'conversation', 'customer_identity')");
    }
}
