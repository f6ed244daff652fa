package org.frontdoor.store.jpa;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

import org.frontdoor.api.Identity;
import org.frontdoor.api.Message;
import org.frontdoor.api.OutboundReply;
import org.frontdoor.api.RoutingDecision;
import org.frontdoor.api.inbox.ConversationDetail;
import org.frontdoor.api.inbox.ConversationQuery;
import org.frontdoor.api.inbox.ConversationStatus;
import org.frontdoor.api.inbox.ConversationSummary;
import org.frontdoor.api.inbox.CustomerView;
import org.frontdoor.api.inbox.Page;
import org.frontdoor.api.inbox.ReplyStatus;
import org.frontdoor.api.inbox.ReplyView;
import org.frontdoor.store.Ingested;
import org.frontdoor.store.PendingRoute;
import org.frontdoor.store.RouteResult;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The store against real databases: H2 and PostgreSQL (unless -Dfrontdoor.test.db.only names one). */
class JpaStoreTest {

    private TestDatabase db;
    private JpaStore store;

    static List<String> databases() {
        String only = System.getProperty("frontdoor.test.db.only");
        return only == null || only.isBlank() ? List.of("h2", "postgresql") : List.of(only);
    }

    private void open(String kind) throws SQLException {
        db = TestDatabase.create(kind);
        store = db.store();
    }

    @AfterEach
    void close() throws SQLException {
        if (db != null) {
            db.close();
        }
    }

    private static Message message(String externalId, String handle, String thread, String text) {
        return Message.inbound("api", "demo").externalId(externalId)
                .author(new Identity("api", handle, "Name " + handle, handle + "@example.org", null, 0))
                .threadRef(thread).text(text).rawPayload("{\"id\":\"" + externalId + "\"}").build();
    }

    @ParameterizedTest
    @MethodSource("databases")
    void storesEachExternalIdOnceAndAnswersRepeatsWithTheFirstIds(String kind) throws SQLException {
        open(kind);
        Ingested first = store.ingest(List.of(message("m-1", "alice", null, "hello"))).get(0);
        Ingested again = store.ingest(List.of(message("m-1", "alice", null, "hello, changed"))).get(0);

        assertThat(first.receipt().duplicate()).isFalse();
        assertThat(first.newConversation()).isTrue();
        assertThat(again.receipt().duplicate()).isTrue();
        assertThat(again.receipt().messageId()).isEqualTo(first.receipt().messageId());
        assertThat(again.receipt().conversationId()).isEqualTo(first.receipt().conversationId());
        assertThat(count("message")).isEqualTo(1);
        ConversationDetail detail = store.conversation(first.receipt().conversationId()).orElseThrow();
        assertThat(detail.messages()).extracting(m -> m.text()).containsExactly("hello");
    }

    @ParameterizedTest
    @MethodSource("databases")
    void groupsIdentifyCustomersAndThreadsInOneCommit(String kind) throws SQLException {
        open(kind);
        List<Ingested> out = store.ingest(List.of(
                message("a-1", "alice", null, "first"),
                message("b-1", "bob", null, "bob here"),
                message("a-2", "alice", null, "second"),
                message("a-1", "alice", null, "first"),
                message("a-3", "alice", "order-7", "about my order")));

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

        CustomerView alice = store.customer(out.get(0).receipt().customerId()).orElseThrow();
        assertThat(alice.identities()).singleElement().satisfies(i -> {
            assertThat(i.handle()).isEqualTo("alice");
            assertThat(i.email()).isEqualTo("alice@example.org");
        });
        assertThat(alice.conversations()).hasSize(2);
        ConversationSummary main = store.conversation(out.get(0).receipt().conversationId()).orElseThrow().summary();
        assertThat(main.messageCount()).isEqualTo(2);
        assertThat(main.preview()).isEqualTo("second");
        assertThat(main.customerName()).isEqualTo("Name alice");
    }

    @ParameterizedTest
    @MethodSource("databases")
    void routesNewConversationsIntoDepartmentQueues(String kind) throws SQLException {
        open(kind);
        List<Ingested> in = store.ingest(List.of(message("1", "alice", null, "refund please"),
                message("2", "bob", null, "where is my parcel")));
        List<PendingRoute> pending = store.conversationsToRoute(10);
        assertThat(pending).extracting(p -> p.message().text()).containsExactly("refund please", "where is my parcel");
        assertThat(pending.get(0).message().author().handle()).isEqualTo("alice");

        store.routed(List.of(
                new RouteResult(pending.get(0).conversationId(), new RoutingDecision("billing", 1, null, "refunds")),
                new RouteResult(pending.get(1).conversationId(), new RoutingDecision("support", 0, null, "default"))));

        assertThat(store.conversationsToRoute(10)).isEmpty();
        Page<ConversationSummary> billing = store.conversations(
                new ConversationQuery(ConversationStatus.QUEUED, "billing", null, 0, 10));
        assertThat(billing.total()).isEqualTo(1);
        assertThat(billing.items()).singleElement().satisfies(c -> {
            assertThat(c.id()).isEqualTo(in.get(0).receipt().conversationId());
            assertThat(c.priority()).isEqualTo(1);
        });
        assertThat(count("department")).isEqualTo(2);
        assertThat(count("audit_event")).isEqualTo(2);
    }

    @ParameterizedTest
    @MethodSource("databases")
    void listsNewestActivityFirstWithTotalAndPaging(String kind) throws SQLException {
        open(kind);
        for (int i = 0; i < 5; i++) {
            store.ingest(List.of(message("p-" + i, "customer-" + i, null, "text " + i)));
        }
        store.ingest(List.of(message("p-again", "customer-1", null, "newest")));

        Page<ConversationSummary> first = store.conversations(new ConversationQuery(null, null, "api", 0, 2));
        Page<ConversationSummary> second = store.conversations(new ConversationQuery(null, null, "api", 2, 2));
        assertThat(first.total()).isEqualTo(5);
        assertThat(first.items()).extracting(ConversationSummary::preview).containsExactly("newest", "text 4");
        assertThat(second.items()).extracting(ConversationSummary::preview).containsExactly("text 3", "text 2");
        assertThat(store.conversations(new ConversationQuery(null, null, "email", 0, 2)).total()).isZero();
    }

    @ParameterizedTest
    @MethodSource("databases")
    void keepsRepliesInTheOutboxUntilSentAndShowsWhyTheyFailed(String kind) throws SQLException {
        open(kind);
        Ingested in = store.ingest(List.of(message("x-1", "alice", "t-9", "help"))).get(0);
        long conversation = in.receipt().conversationId();
        ReplyView queued = store.queueReply(conversation, "We are on it", "agent-smith");
        assertThat(queued.status()).isEqualTo(ReplyStatus.QUEUED);

        assertThat(store.dueReplies(Set.of("email"), Instant.now(), 10)).isEmpty();
        List<OutboundReply> due = store.dueReplies(Set.of("api"), Instant.now(), 10);
        assertThat(due).singleElement().satisfies(r -> {
            assertThat(r.replyId()).isEqualTo(queued.id());
            assertThat(r.recipient().handle()).isEqualTo("alice");
            assertThat(r.threadRef()).isEqualTo("t-9");
            assertThat(r.inReplyTo()).isEqualTo("x-1");
            assertThat(r.instance()).isEqualTo("demo");
            assertThat(r.attempt()).isEqualTo(1);
        });

        Instant later = Instant.now().plusSeconds(60);
        store.replyFailed(queued.id(), "callback answered 500", later);
        assertThat(store.dueReplies(Set.of("api"), Instant.now(), 10)).isEmpty();
        assertThat(store.nextReplyDue(Set.of("api"))).isPresent();
        ReplyView retrying = store.conversation(conversation).orElseThrow().replies().get(0);
        assertThat(retrying.status()).isEqualTo(ReplyStatus.RETRYING);
        assertThat(retrying.lastError()).isEqualTo("callback answered 500");
        assertThat(retrying.attempts()).isEqualTo(1);

        assertThat(store.dueReplies(Set.of("api"), later.plusSeconds(1), 10)).singleElement()
                .satisfies(r -> assertThat(r.attempt()).isEqualTo(2));
        store.replySent(queued.id(), Instant.now());
        ReplyView sent = store.conversation(conversation).orElseThrow().replies().get(0);
        assertThat(sent.status()).isEqualTo(ReplyStatus.SENT);
        assertThat(sent.attempts()).isEqualTo(2);
        assertThat(sent.sentAt()).isNotNull();
        assertThat(store.dueReplies(Set.of("api"), later.plusSeconds(1), 10)).isEmpty();
        assertThat(store.nextReplyDue(Set.of("api"))).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("databases")
    void refusesRepliesToMissingConversationsAndEmptyText(String kind) throws SQLException {
        open(kind);
        assertThatThrownBy(() -> store.queueReply(424242, "hi", "agent"))
                .isInstanceOf(NoSuchElementException.class).hasMessageContaining("424242");
        long conversation = store.ingest(List.of(message("e-1", "alice", null, "x"))).get(0).receipt().conversationId();
        assertThatThrownBy(() -> store.queueReply(conversation, "  ", "agent"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("empty");
        assertThat(store.conversation(424242)).isEmpty();
        assertThat(store.customer(424242)).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("databases")
    void migratesOnceAndKeepsCustomerTextAsData(String kind) throws SQLException {
        open(kind);
        assertThat(new Migrations(db.dataSource).migrate()).isZero();
        String hostile = "<script>alert('x')</script> '; DROP TABLE message; -- $(rm -rf /) ünïcødé 🚪";
        long conversation = store.ingest(List.of(message("h-1", "mallory", null, hostile))).get(0).receipt()
                .conversationId();
        assertThat(store.conversation(conversation).orElseThrow().messages().get(0).text()).isEqualTo(hostile);
    }

    /** A database at schema version 2, with conversations and messages, is upgraded in place when the store starts. */
    @ParameterizedTest
    @MethodSource("databases")
    void upgradesADatabaseWithDataFromSchemaVersion2(String kind) throws SQLException {
        db = TestDatabase.create(kind);
        assertThat(new Migrations(db.dataSource, Migrations.SCRIPTS.subList(0, 2)).migrate()).isEqualTo(2);
        try (Connection c = db.dataSource.getConnection()) { // the ids 1 are those of a first block, as before
            SequenceIds old = new SequenceIds(Migrations.Dialect.of(c));
            Map<SequenceIds.Sequence, Integer> one = new java.util.EnumMap<>(SequenceIds.Sequence.class);
            for (SequenceIds.Sequence sequence : SequenceIds.Sequence.values()) {
                one.put(sequence, 1);
            }
            assertThat(old.take(c, one).values()).allSatisfy(ids -> assertThat(ids).containsExactly(1L));
        }
        execute("INSERT INTO customer (id, display_name, created_at) VALUES (1, 'Alice', CURRENT_TIMESTAMP)");
        execute("INSERT INTO customer_identity (id, customer_id, channel, handle, reach, created_at) "
                + "VALUES (1, 1, 'api', 'alice', 0, CURRENT_TIMESTAMP)");
        execute("INSERT INTO conversation (id, customer_id, channel, instance, status, priority, message_count, "
                + "created_at, last_activity_at, version) "
                + "VALUES (1, 1, 'api', 'demo', 'NEW', 0, 1, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 1)");
        execute("INSERT INTO message (id, conversation_id, customer_id, identity_id, channel, instance, external_id, "
                + "direction, visibility, body, received_at, stored_at) VALUES (1, 1, 1, 1, 'api', 'demo', 'old-1', "
                + "'INBOUND', 'PRIVATE', 'stored before the upgrade', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)");
        assertThat(scalar("SELECT COUNT(*) FROM information_schema.table_constraints WHERE constraint_type = "
                + "'FOREIGN KEY' AND LOWER(table_name) = 'message' AND table_schema = CURRENT_SCHEMA")).isEqualTo(3);

        store = db.store(); // migrates to the current version

        assertThat(scalar("SELECT MAX(version) FROM frontdoor_schema_version")).isEqualTo(Migrations.SCRIPTS.size());
        assertThat(scalar("SELECT COUNT(*) FROM information_schema.table_constraints WHERE constraint_type = "
                + "'FOREIGN KEY' AND LOWER(table_name) = 'message' AND table_schema = CURRENT_SCHEMA")).isZero();
        Ingested again = store.ingest(List.of(message("old-1", "alice", null, "stored before the upgrade"))).get(0);
        assertThat(again.receipt().duplicate()).isTrue();
        assertThat(again.receipt().messageId()).isEqualTo(1);
        Ingested next = store.ingest(List.of(message("new-1", "alice", null, "after the upgrade"))).get(0);
        assertThat(next.receipt().conversationId()).isEqualTo(1);
        assertThat(store.conversation(1).orElseThrow().messages()).extracting(m -> m.text())
                .containsExactly("stored before the upgrade", "after the upgrade");
    }

    /**
     * Routing and queueing a reply run beside ingest on the same conversations: neither may bump the optimistic
     * lock version an ingest (or a reply) read a moment before, or that writer fails. Seen in the distribution as a
     * 500 on a reply posted while its conversation was being routed.
     */
    @ParameterizedTest
    @MethodSource("databases")
    void routingAndQueueingRepliesLeaveTheVersionToIngest(String kind) throws SQLException {
        open(kind);
        long conversation = store.ingest(List.of(message("1", "alice", "t", "refund please"))).get(0).receipt()
                .conversationId();
        long version = version(conversation);

        store.routed(List.of(new RouteResult(conversation, new RoutingDecision("billing", 2, "refunds", "r"))));
        store.queueReply(conversation, "On it", "jane");

        assertThat(version(conversation)).isEqualTo(version);
        ConversationSummary routed = store.conversation(conversation).orElseThrow().summary();
        assertThat(routed.department()).isEqualTo("billing");
        assertThat(routed.status()).isEqualTo(ConversationStatus.QUEUED);
        assertThat(routed.lastActivityAt()).isAfterOrEqualTo(routed.createdAt());
        List<Ingested> more = store.ingest(List.of(message("2", "alice", "t", "any news?")));
        assertThat(more.get(0).receipt().conversationId()).isEqualTo(conversation);
        assertThat(store.conversation(conversation).orElseThrow().summary().messageCount()).isEqualTo(2);
    }

    /**
     * The message table has no foreign keys (migration V3): ingest alone keeps its references right. Groups mixing new
     * and known authors, several threads of one author, repeats within and across groups, and two groups stored at
     * once.
     */
    @ParameterizedTest
    @MethodSource("databases")
    void everyStoredMessageReferencesItsOwnConversationCustomerAndIdentity(String kind) throws Exception {
        open(kind);
        store.ingest(List.of(message("1", "alice", "t1", "a"), message("2", "bob", null, "b"),
                message("3", "alice", "t2", "c"), message("1", "alice", "t1", "repeat in the group")));
        store.ingest(List.of(message("4", "alice", "t1", "d"), message("5", "carol", null, "e"),
                message("2", "bob", null, "repeat of an earlier group"), message("6", "bob", null, "f")));
        List<java.util.concurrent.Future<List<Ingested>>> concurrent = new java.util.ArrayList<>();
        java.util.concurrent.ExecutorService two = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            for (int g = 0; g < 2; g++) {
                int group = g;
                concurrent.add(two.submit(() -> store.ingest(java.util.stream.IntStream.range(0, 60)
                        .mapToObj(i -> message("g" + group + "-" + i, "author-" + group + "-" + i % 20, "t" + i % 3, "x"))
                        .toList())));
            }
            for (java.util.concurrent.Future<List<Ingested>> f : concurrent) {
                assertThat(f.get()).hasSize(60);
            }
        } finally {
            two.shutdown();
        }

        assertThat(count("message")).isEqualTo(6 + 120);
        assertThat(count("customer")).isEqualTo(3 + 40);
        assertThat(count("conversation")).isEqualTo(4 + 120);
        assertThat(scalar("SELECT COUNT(*) FROM message m "
                + "LEFT JOIN conversation c ON c.id = m.conversation_id "
                + "LEFT JOIN customer_identity i ON i.id = m.identity_id "
                + "LEFT JOIN customer cu ON cu.id = m.customer_id "
                + "WHERE c.id IS NULL OR i.id IS NULL OR cu.id IS NULL "
                + "OR c.customer_id <> m.customer_id OR i.customer_id <> m.customer_id "
                + "OR c.channel <> m.channel OR c.instance <> m.instance "
                + "OR COALESCE(c.thread_ref, '') <> COALESCE(m.thread_ref, '')")).isZero();
        assertThat(scalar("SELECT COUNT(*) FROM conversation c WHERE c.message_count <> "
                + "(SELECT COUNT(*) FROM message m WHERE m.conversation_id = c.id)")).isZero();
        assertThat(scalar("SELECT COUNT(*) FROM information_schema.table_constraints WHERE constraint_type = "
                + "'FOREIGN KEY' AND LOWER(table_name) = 'message' AND table_schema = CURRENT_SCHEMA")).isZero();
    }

    /**
     * A message on a resolved conversation reopens it, with an audit event. Ingest and EclipseLink take audit event
     * ids from the same sequence, in blocks, so their rows never collide.
     */
    @ParameterizedTest
    @MethodSource("databases")
    void aMessageOnAResolvedConversationReopensItAndAuditsIt(String kind) throws SQLException {
        open(kind);
        long conversation = store.ingest(List.of(message("1", "alice", "t", "refund please"))).get(0).receipt()
                .conversationId();
        store.routed(List.of(new RouteResult(conversation, new RoutingDecision("billing", 2, "refunds", "r"))));
        execute("UPDATE conversation SET status = 'RESOLVED', version = version + 1 WHERE id = " + conversation);

        Ingested again = store.ingest(List.of(message("2", "alice", "t", "it happened again"))).get(0);

        assertThat(again.receipt().conversationId()).isEqualTo(conversation);
        assertThat(again.newConversation()).as("reopened: to be routed again").isTrue();
        ConversationSummary reopened = store.conversation(conversation).orElseThrow().summary();
        assertThat(reopened.status()).isEqualTo(ConversationStatus.NEW);
        assertThat(reopened.messageCount()).isEqualTo(2);
        assertThat(scalar("SELECT COUNT(*) FROM audit_event WHERE action = 'conversation.reopened' AND subject_id = "
                + conversation + " AND detail = 'new message 2'")).isEqualTo(1);
        assertThat(scalar("SELECT COUNT(DISTINCT id) FROM audit_event")).isEqualTo(count("audit_event"))
                .isGreaterThanOrEqualTo(2);
    }

    private long scalar(String sql) throws SQLException {
        try (Connection c = db.dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private void execute(String sql) throws SQLException {
        try (Connection c = db.dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private long version(long conversation) throws SQLException {
        try (Connection c = db.dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT version FROM conversation WHERE id = " + conversation)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /**
     * Ingest finds stored messages, identities and conversations through their indexes even before PostgreSQL has
     * statistics for the tables (a fresh deployment under load; autovacuum late or off). With the door first in
     * the keys, the planner once read every row of the door for each batch, so ingest slowed as the tables grew.
     */
    @Test
    void aBatchReadsAboutItsOwnRowsNotTheWholeTableBeforeTheTablesHaveStatistics() throws SQLException {
        Assumptions.assumeTrue(databases().contains("postgresql"), "PostgreSQL is not among the test databases");
        open("postgresql");
        exec("ALTER TABLE message SET (autovacuum_enabled = false)",
                "ALTER TABLE conversation SET (autovacuum_enabled = false)",
                "ALTER TABLE customer_identity SET (autovacuum_enabled = false)");
        int customers = 4000;
        for (int batch = 0; batch < customers / 500; batch++) {
            List<Message> seed = new java.util.ArrayList<>();
            for (int i = batch * 500; i < (batch + 1) * 500; i++) {
                seed.add(message("seed-" + i, "customer-" + i, null, "order " + i + " is late"));
            }
            store.ingest(seed);
        }
        await().until(() -> statistic("n_tup_ins", "message") == customers); // the seeding's counts are in
        long readBefore = rowsRead();

        List<Message> batch = new java.util.ArrayList<>();
        for (int i = 0; i < 40; i++) {
            batch.add(message("again-" + i, "customer-" + (i * 97 % customers), null, "still waiting"));
        }
        for (int i = 0; i < 20; i++) {
            batch.add(message("new-" + i, "newcomer-" + i, null, "hello"));
        }
        batch.add(message("seed-7", "customer-7", null, "order 7 is late")); // a repeat
        List<Ingested> out = store.ingest(batch);
        await().until(() -> statistic("n_tup_ins", "message") == customers + 60);

        assertThat(out).filteredOn(in -> in.receipt().duplicate()).hasSize(1);
        assertThat(statistic("reltuples", "message")).as("PostgreSQL has no statistics for message").isLessThan(0);
        // the batch's own lookups and foreign-key checks: a few rows per message, not the 4000 of any table
        assertThat(rowsRead() - readBefore).isLessThan(1000);
    }

    private void exec(String... statements) throws SQLException {
        try (Connection c = db.dataSource.getConnection(); Statement s = c.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
        }
    }

    /** A column of pg_stat_user_tables (or reltuples of pg_class) for one table. */
    private long statistic(String column, String table) throws SQLException {
        String sql = column.equals("reltuples") ? "SELECT reltuples FROM pg_class WHERE relname = '" + table + "'"
                : "SELECT " + column + " FROM pg_stat_user_tables WHERE relname = '" + table + "'";
        try (Connection c = db.dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Rows read by sequential and index scans of the tables ingest looks up. */
    private long rowsRead() throws SQLException {
        try (Connection c = db.dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT SUM(COALESCE(seq_tup_read, 0) + COALESCE(idx_tup_read, 0)) "
                     + "FROM pg_stat_user_tables t JOIN (SELECT relid, SUM(idx_tup_read) idx_tup_read "
                     + "FROM pg_stat_user_indexes GROUP BY relid) i USING (relid) "
                     + "WHERE t.relname IN ('message', 'conversation', 'customer_identity')")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private long count(String table) throws SQLException {
        try (Connection c = db.dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
