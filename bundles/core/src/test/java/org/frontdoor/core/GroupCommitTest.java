package org.frontdoor.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.frontdoor.core.Messages.api;
import static org.frontdoor.core.Messages.inbound;

import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import org.frontdoor.api.IngestReceipt;
import org.frontdoor.api.Message;
import org.frontdoor.api.Scope;
import org.frontdoor.api.inbox.CustomerView;
import org.frontdoor.api.inbox.IdentityView;
import org.frontdoor.store.Ingested;
import org.frontdoor.store.jpa.StoreTestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Group commit on the real store, H2 and PostgreSQL. */
class GroupCommitTest {

    private static final String DATABASES = "org.frontdoor.store.jpa.StoreTestDatabase#kinds";

    private StoreTestDatabase db;
    private WatchedStore watched;
    private GroupCommit groupCommit;
    private final List<List<Ingested>> committed = new java.util.concurrent.CopyOnWriteArrayList<>();

    private void open(String kind, int batchSize) throws SQLException {
        open(kind, batchSize, 1);
    }

    private void open(String kind, int batchSize, int writers) throws SQLException {
        open(kind, Configs.settings("ingestBatchSize", batchSize, "ingestWriters", writers));
    }

    private void open(String kind, Settings initial) throws SQLException {
        db = StoreTestDatabase.create(kind);
        watched = new WatchedStore(db.store());
        settings.set(initial);
        groupCommit = new GroupCommit(watched.store, settings::get, (messages, stored) -> committed.add(stored));
    }

    private final java.util.concurrent.atomic.AtomicReference<Settings> settings =
            new java.util.concurrent.atomic.AtomicReference<>();

    private static Throwable failure(CompletableFuture<IngestReceipt> f) {
        await().until(f::isDone);
        return f.handle((ok, e) -> e instanceof CompletionException && e.getCause() != null ? e.getCause() : e).join();
    }

    @AfterEach
    void close() throws Exception {
        if (watched != null) {
            watched.release();
        }
        if (groupCommit != null) {
            groupCommit.close();
        }
        if (db != null) {
            db.close();
        }
    }

    /** Holds the writer in its first transaction, so what is submitted next queues up into one group. */
    private CompletableFuture<IngestReceipt> holdWriter() {
        watched.holdNextIngest();
        CompletableFuture<IngestReceipt> first = groupCommit.submit(api("warm-up", "warm", "first"));
        await().until(watched::isHolding);
        return first;
    }

    private static IngestReceipt done(CompletableFuture<IngestReceipt> f) {
        await().until(f::isDone);
        return f.join();
    }

    @ParameterizedTest
    @MethodSource(DATABASES)
    void storesConcurrentIngestsExactlyOnceEachWithDistinctIds(String kind) throws Exception {
        open(kind, 64);
        int threads = 8;
        int perThread = 200;
        int resentPerThread = 20;
        CompletableFuture<IngestReceipt> first = holdWriter();

        AtomicInteger submitted = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<Map<CompletableFuture<IngestReceipt>, Message>>> work = new ArrayList<>();
        try {
            for (int t = 0; t < threads; t++) {
                int thread = t;
                work.add(pool.submit(() -> {
                    Map<CompletableFuture<IngestReceipt>, Message> mine = new HashMap<>();
                    for (int i = 0; i < perThread; i++) {
                        Message m = api("t" + thread + "-" + i, "customer-" + (i % 25), "text " + i);
                        mine.put(groupCommit.submit(m), m);
                        submitted.incrementAndGet();
                        if (i < resentPerThread) {
                            // the vendor delivers another thread's message again (at-least-once upstream)
                            Message again = api("t" + ((thread + 1) % threads) + "-" + i, "customer-" + (i % 25),
                                    "text " + i);
                            mine.put(groupCommit.submit(again), again);
                        }
                    }
                    return mine;
                }));
            }
            // let the writer go once a crowd is waiting: its next transaction takes many messages at once
            await().until(() -> submitted.get() >= 100);
            watched.release();
            Map<CompletableFuture<IngestReceipt>, Message> all = new HashMap<>();
            for (Future<Map<CompletableFuture<IngestReceipt>, Message>> w : work) {
                await().until(w::isDone);
                all.putAll(w.get());
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> all.keySet().stream().allMatch(Future::isDone));

            assertThat(done(first).duplicate()).isFalse();
            assertThat(all).hasSize(threads * (perThread + resentPerThread));
            assertThat(all.keySet()).allMatch(f -> !f.isCompletedExceptionally());

            Map<String, List<IngestReceipt>> byExternalId = new HashMap<>();
            Map<String, Set<Long>> customersByHandle = new HashMap<>();
            all.forEach((f, m) -> {
                IngestReceipt r = f.join();
                byExternalId.computeIfAbsent(m.externalId(), k -> new ArrayList<>()).add(r);
                customersByHandle.computeIfAbsent(m.author().handle(), k -> new HashSet<>()).add(r.customerId());
            });
            assertThat(byExternalId).hasSize(threads * perThread);
            byExternalId.forEach((id, receipts) -> {
                assertThat(receipts).as(id).filteredOn(r -> !r.duplicate()).hasSize(1);
                assertThat(receipts).as(id).extracting(IngestReceipt::messageId).containsOnly(receipts.get(0).messageId());
            });
            Set<Long> messageIds = byExternalId.values().stream().map(r -> r.get(0).messageId())
                    .collect(Collectors.toSet());
            assertThat(messageIds).hasSize(threads * perThread).doesNotContain(first.join().messageId());
            assertThat(customersByHandle).hasSize(25).allSatisfy((handle, ids) -> assertThat(ids).hasSize(1));
            assertThat(customersByHandle.values().stream().flatMap(Set::stream).distinct()).hasSize(25);

            assertThat(db.count("message")).isEqualTo(threads * perThread + 1);
            assertThat(db.count("customer")).isEqualTo(25 + 1);
            assertThat(watched.attempts).allMatch(WatchedStore.Attempt::committed);
            assertThat(watched.attempts).anyMatch(a -> a.externalIds().size() > 1)
                    .allMatch(a -> a.externalIds().size() <= 64);
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * Two writers: each author's messages all go to one of them and are stored in the order they came (ids rise
     * with time), every message once, one customer per handle.
     */
    @ParameterizedTest
    @MethodSource(DATABASES)
    void twoWritersStoreEachAuthorsMessagesInOrderAndEveryMessageOnce(String kind) throws Exception {
        open(kind, 32, 2);
        int threads = 4;
        int perThread = 150;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<List<Map.Entry<Message, CompletableFuture<IngestReceipt>>>>> work = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                work.add(pool.submit(() -> {
                    List<Map.Entry<Message, CompletableFuture<IngestReceipt>>> mine = new ArrayList<>();
                    for (int i = 0; i < perThread; i++) {
                        Message m = api("t" + thread + "-" + i, "customer-" + (i % 12), "text " + i);
                        mine.add(Map.entry(m, groupCommit.submit(m)));
                    }
                    return mine;
                }));
            }
            List<Map.Entry<Message, CompletableFuture<IngestReceipt>>> all = new ArrayList<>();
            for (Future<List<Map.Entry<Message, CompletableFuture<IngestReceipt>>>> w : work) {
                all.addAll(w.get()); // in each thread's order
            }
            await().until(() -> all.stream().allMatch(e -> e.getValue().isDone()));
            Map<String, List<Long>> idsByThreadAndAuthor = new HashMap<>();
            Map<String, Set<Long>> customersByHandle = new HashMap<>();
            {
                for (Map.Entry<Message, CompletableFuture<IngestReceipt>> e : all) {
                    IngestReceipt r = e.getValue().join();
                    assertThat(r.duplicate()).isFalse();
                    String thread = e.getKey().externalId().substring(0, e.getKey().externalId().indexOf('-'));
                    idsByThreadAndAuthor.computeIfAbsent(thread + "/" + e.getKey().author().handle(),
                            k -> new ArrayList<>()).add(r.messageId());
                    customersByHandle.computeIfAbsent(e.getKey().author().handle(), k -> new HashSet<>())
                            .add(r.customerId());
                }
            }
            assertThat(idsByThreadAndAuthor.values()).allSatisfy(ids -> assertThat(ids).isSorted().doesNotHaveDuplicates());
            assertThat(customersByHandle).hasSize(12).allSatisfy((handle, ids) -> assertThat(ids).hasSize(1));
            assertThat(db.count("message")).isEqualTo(threads * perThread);
            assertThat(db.count("customer")).isEqualTo(12);
            assertThat(watched.writers).containsExactlyInAnyOrder("frontdoor-ingest-1", "frontdoor-ingest-2");
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * One message id sent by two authors whose messages go to different writers, at the same moment, many times (no
     * channel does this for real: a redelivery comes from the same author, so to the same writer). When the two
     * groups meet on the unique key, the later one fails and is stored in halves, which finds the first one's
     * message, or, if that is not committed yet, answers an error the sender retries. Each id is stored once, and
     * every sender ends with its receipt.
     */
    @ParameterizedTest
    @MethodSource(DATABASES)
    void aMessageIdSentByTwoAuthorsOnTwoWritersAtOnceIsStoredOnce(String kind) throws Exception {
        open(kind, 32, 2);
        String a = "author-0";
        String b = java.util.stream.IntStream.range(1, 100).mapToObj(i -> "author-" + i)
                .filter(h -> GroupCommit.lane(api("x", h, "x"), 2) != GroupCommit.lane(api("x", a, "x"), 2))
                .findFirst().orElseThrow();
        Map<Message, CompletableFuture<IngestReceipt>> sent = new HashMap<>();
        for (int round = 0; round < 200; round++) {
            String id = "same-" + round;
            Message fromA = api(id, a, "from a");
            Message fromB = api(id, b, "from b");
            sent.put(fromA, groupCommit.submit(fromA));
            sent.put(fromB, groupCommit.submit(fromB));
        }
        await().until(() -> sent.values().stream().allMatch(CompletableFuture::isDone));
        // what was refused is sent again, as a webhook sender does after a 503
        sent.replaceAll((m, answer) -> answer.isCompletedExceptionally() ? groupCommit.submit(m) : answer);
        await().until(() -> sent.values().stream().allMatch(CompletableFuture::isDone));

        Map<String, List<IngestReceipt>> byId = new HashMap<>();
        sent.forEach((m, answer) -> byId.computeIfAbsent(m.externalId(), k -> new ArrayList<>())
                .add(answer.join()));
        assertThat(byId).hasSize(200).allSatisfy((id, receipts) -> {
            assertThat(receipts).filteredOn(r -> !r.duplicate()).hasSize(1);
            assertThat(receipts).extracting(IngestReceipt::messageId).containsOnly(receipts.get(0).messageId());
        });
        assertThat(db.count("message")).isEqualTo(200);
    }

    @ParameterizedTest
    @MethodSource(DATABASES)
    void answersDuplicatesWithTheFirstReceiptEvenWithinOneGroup(String kind) throws Exception {
        open(kind, 256);
        holdWriter();
        CompletableFuture<IngestReceipt> x = groupCommit.submit(api("x", "alice", "hello"));
        CompletableFuture<IngestReceipt> xAgain = groupCommit.submit(api("x", "alice", "hello, changed"));
        CompletableFuture<IngestReceipt> y = groupCommit.submit(api("y", "bob", "hi"));
        CompletableFuture<IngestReceipt> xThird = groupCommit.submit(api("x", "alice", "hello"));
        watched.release();

        IngestReceipt first = done(x);
        assertThat(first.duplicate()).isFalse();
        assertThat(committed.stream().flatMap(List::stream).filter(Ingested::newConversation)).hasSize(3);
        for (CompletableFuture<IngestReceipt> again : List.of(xAgain, xThird)) {
            assertThat(done(again)).isEqualTo(new IngestReceipt(first.messageId(), first.conversationId(),
                    first.customerId(), true));
        }
        assertThat(done(y).duplicate()).isFalse();
        assertThat(done(y).messageId()).isNotEqualTo(first.messageId());
        assertThat(watched.attempts).extracting(WatchedStore.Attempt::externalIds)
                .contains(List.of("x", "x", "y", "x"));

        // and in a later group
        IngestReceipt later = done(groupCommit.submit(api("x", "alice", "hello")));
        assertThat(later.duplicate()).isTrue();
        assertThat(later.messageId()).isEqualTo(first.messageId());
        assertThat(db.count("message")).isEqualTo(3);
        assertThat(db.store().conversation(Scope.ALL, first.conversationId()).orElseThrow().messages())
                .extracting(m -> m.text()).containsExactly("hello");
    }

    @ParameterizedTest
    @MethodSource(DATABASES)
    void aMessageTheDatabaseRefusesFailsAloneAndTheRestOfItsGroupCommits(String kind) throws Exception {
        open(kind, 256);
        holdWriter();
        String tooLong = "z".repeat(300); // message.external_id is VARCHAR(255)
        CompletableFuture<IngestReceipt> a = groupCommit.submit(api("a", "alice", "one"));
        CompletableFuture<IngestReceipt> b = groupCommit.submit(api("b", "bob", "two"));
        CompletableFuture<IngestReceipt> aAgain = groupCommit.submit(api("a", "alice", "one"));
        CompletableFuture<IngestReceipt> bad = groupCommit.submit(api(tooLong, "carol", "three"));
        CompletableFuture<IngestReceipt> c = groupCommit.submit(api("c", "dave", "four"));
        watched.release();

        await().until(() -> List.of(a, b, aAgain, bad, c).stream().allMatch(CompletableFuture::isDone));
        assertThat(bad).isCompletedExceptionally();
        assertThat(List.of(a, b, c)).allSatisfy(f -> assertThat(f.join().duplicate()).isFalse());
        assertThat(aAgain.join().duplicate()).isTrue();
        assertThat(aAgain.join().messageId()).isEqualTo(a.join().messageId());

        assertThat(watched.attempts).contains(new WatchedStore.Attempt(List.of("a", "b", "a", tooLong, "c"), false),
                new WatchedStore.Attempt(List.of(tooLong), false),
                new WatchedStore.Attempt(List.of("c"), true));
        assertThat(db.count("message")).isEqualTo(4); // warm-up, a, b, c
        assertThat(db.count("customer")).isEqualTo(4); // carol was rolled back with her message
        // what the pipeline reports after a commit is only what was stored
        assertThat(committed.stream().flatMap(List::stream).filter(i -> !i.receipt().duplicate())
                .map(i -> i.receipt().messageId()))
                .doesNotHaveDuplicates()
                .containsAll(List.of(a, b, c).stream().map(f -> f.join().messageId()).toList());

        // the writer goes on
        assertThat(done(groupCommit.submit(api("d", "erin", "five"))).duplicate()).isFalse();
    }

    /** One bad message in a full group costs a few more transactions, not one per message of the group. */
    @ParameterizedTest
    @MethodSource(DATABASES)
    void aBadMessageInALargeGroupIsFoundByHalvingTheGroup(String kind) throws Exception {
        open(kind, 64);
        holdWriter();
        List<CompletableFuture<IngestReceipt>> good = new ArrayList<>();
        for (int i = 0; i < 63; i++) {
            good.add(groupCommit.submit(api("m-" + i, "customer-" + i, "text " + i)));
        }
        CompletableFuture<IngestReceipt> bad = groupCommit.submit(api("z".repeat(300), "mallory", "too long an id"));
        int attemptsBefore = watched.attempts.size();
        watched.release();

        await().until(() -> bad.isDone() && good.stream().allMatch(CompletableFuture::isDone));
        assertThat(bad).isCompletedExceptionally();
        assertThat(good).allSatisfy(f -> assertThat(f.join().duplicate()).isFalse());
        assertThat(db.count("message")).isEqualTo(1 + 63);
        // the held warm-up, the group of 64, then two halves per level down to the bad one (64 = 2^6): 14, where
        // storing the group one by one took 1 + 1 + 64
        assertThat(watched.attempts.size() - attemptsBefore).isEqualTo(1 + 1 + 2 * 6);
        assertThat(watched.attempts).filteredOn(a -> !a.committed()).allMatch(a -> a.externalIds().contains("z".repeat(300)));
    }

    @ParameterizedTest
    @MethodSource(DATABASES)
    void anErrorFromTheStoreFailsItsMessageAloneAndTheWriterLivesOn(String kind) throws Exception {
        open(kind, 256);
        watched.poison(m -> m.externalId().equals("poison"),
                new NoClassDefFoundError("org/frontdoor/store/jpa/MessageEntity (store bundle refreshed)"));
        holdWriter();
        CompletableFuture<IngestReceipt> good = groupCommit.submit(api("good", "alice", "one"));
        CompletableFuture<IngestReceipt> poison = groupCommit.submit(api("poison", "bob", "two"));
        CompletableFuture<IngestReceipt> alsoGood = groupCommit.submit(api("also-good", "carol", "three"));
        watched.release();

        await().until(() -> List.of(good, poison, alsoGood).stream().allMatch(CompletableFuture::isDone));
        assertThat(good).isCompletedWithValueMatching(r -> !r.duplicate());
        assertThat(alsoGood).isCompletedWithValueMatching(r -> !r.duplicate());
        assertThat(poison).isCompletedExceptionally();
        assertThat(done(groupCommit.submit(api("later", "alice", "four"))).customerId())
                .isEqualTo(good.join().customerId());
        assertThat(db.count("message")).isEqualTo(4);
    }

    @ParameterizedTest
    @MethodSource(DATABASES)
    void storesWhatWasAcceptedBeforeClosingAndRefusesWhatComesAfter(String kind) throws Exception {
        open(kind, 256);
        holdWriter();
        CompletableFuture<IngestReceipt> queued = groupCommit.submit(api("queued", "alice", "before close"));
        CompletableFuture<Void> closing = CompletableFuture.runAsync(() -> {
            try {
                groupCommit.close();
            } catch (InterruptedException e) {
                throw new CompletionException(e);
            }
        });
        watched.release();
        await().until(closing::isDone);

        assertThat(done(queued).duplicate()).isFalse();
        CompletableFuture<IngestReceipt> late = groupCommit.submit(api("late", "alice", "after close"));
        assertThat(late).isCompletedExceptionally();
        assertThat(failure(late)).isInstanceOf(IllegalStateException.class);
        assertThat(db.count("message")).isEqualTo(2);
    }

    @ParameterizedTest
    @MethodSource(DATABASES)
    void theSameHandleOnTheSameChannelIsTheSameCustomerAcrossInstancesButNotAcrossChannels(String kind)
            throws Exception {
        open(kind, 256);
        IngestReceipt demo = done(groupCommit.submit(inbound("api", "demo", "1", "alice", "hi")));
        IngestReceipt demoAgain = done(groupCommit.submit(inbound("api", "demo", "2", "alice", "again")));
        IngestReceipt otherDoor = done(groupCommit.submit(inbound("api", "partners", "1", "alice", "hi")));
        IngestReceipt email = done(groupCommit.submit(inbound("email", "support", "1", "alice", "hi")));
        IngestReceipt bob = done(groupCommit.submit(inbound("api", "demo", "3", "bob", "hi")));

        assertThat(otherDoor.duplicate()).as("external ids are unique per channel instance").isFalse();
        assertThat(demoAgain.customerId()).isEqualTo(demo.customerId());
        assertThat(demoAgain.conversationId()).isEqualTo(demo.conversationId());
        assertThat(otherDoor.customerId()).isEqualTo(demo.customerId());
        assertThat(otherDoor.conversationId()).as("each door has its own conversation").isNotEqualTo(demo.conversationId());
        assertThat(email.customerId()).isNotEqualTo(demo.customerId());
        assertThat(bob.customerId()).isNotEqualTo(demo.customerId()).isNotEqualTo(email.customerId());

        CustomerView alice = db.store().customer(Scope.ALL, demo.customerId()).orElseThrow();
        assertThat(alice.identities()).extracting(IdentityView::channel, IdentityView::handle)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("api", "alice"));
        assertThat(alice.conversations()).hasSize(2);
        assertThat(db.count("customer")).isEqualTo(3);
    }

    /** A full queue answers "try again" at once: the sender is not kept waiting for a commit that cannot come soon. */
    @ParameterizedTest
    @MethodSource(DATABASES)
    void aFullQueueAnswersTryAgainAtOnce(String kind) throws Exception {
        open(kind, Configs.settings("ingestWriters", 1, "ingestQueueCapacity", 5));
        holdWriter();
        List<CompletableFuture<IngestReceipt>> sent = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            sent.add(groupCommit.submit(api("m" + i, "customer-" + i, "hello")));
        }

        assertThat(sent.subList(5, 8)).allSatisfy(f -> {
            assertThat(f).isCompletedExceptionally();
            assertThat(failure(f)).isInstanceOf(IllegalStateException.class).hasMessageContaining("ingest is full");
        });
        watched.release();
        assertThat(sent.subList(0, 5)).allSatisfy(f -> assertThat(done(f).duplicate()).isFalse());
    }

    /** A message not stored within the ingest timeout is answered so, and no work is done for it afterwards. */
    @ParameterizedTest
    @MethodSource(DATABASES)
    void aMessageNotStoredInTimeIsAnsweredSoAndNotWrittenAfterwards(String kind) throws Exception {
        open(kind, Configs.settings("ingestWriters", 1, "ingestTimeoutSeconds", 1));
        holdWriter();
        CompletableFuture<IngestReceipt> late = groupCommit.submit(api("late", "alice", "hello"));

        assertThat(failure(late)).isInstanceOf(IllegalStateException.class).hasMessageContaining("not stored within 1 s");
        watched.release();
        IngestReceipt next = done(groupCommit.submit(api("next", "bob", "hi")));

        assertThat(next.duplicate()).isFalse();
        assertThat(watched.attempts).noneMatch(a -> a.externalIds().contains("late"));
        assertThat(db.count("message")).isEqualTo(2); // the warm-up and next
    }

    /** A database that cannot be reached fails a group once, not once per message as halving would. */
    @ParameterizedTest
    @MethodSource(DATABASES)
    void anUnreachableDatabaseCostsOneAttemptPerGroup(String kind) throws Exception {
        open(kind, 64);
        holdWriter();
        watched.poison(m -> true, new org.frontdoor.store.StoreUnavailableException("connection refused",
                new java.sql.SQLException("connection refused", "08001")));
        List<CompletableFuture<IngestReceipt>> group = new ArrayList<>();
        for (int i = 0; i < 32; i++) {
            group.add(groupCommit.submit(api("m" + i, "customer-" + i, "hello")));
        }
        int before = watched.attempts.size();
        watched.release();

        assertThat(group).allSatisfy(f -> assertThat(failure(f)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("database is unavailable"));
        assertThat(watched.attempts.size() - before).as("the held warm-up and the group, each once").isEqualTo(2);
        watched.poison(m -> false, null);
        assertThat(done(groupCommit.submit(api("m0", "customer-0", "hello"))).duplicate()).isFalse();
    }

    /**
     * A conversation another transaction holds (the review saw a 45 s lock stall four of eight senders): its messages
     * are answered "try again" within the lock wait, the other authors on the same writer are stored meanwhile.
     */
    @ParameterizedTest
    @MethodSource(DATABASES)
    void aLongLockOnOneConversationStallsNoOtherAuthorOnItsWriter(String kind) throws Exception {
        open(kind, Configs.settings("ingestWriters", 1, "ingestLockWaitMillis", 500));
        long held = done(groupCommit.submit(api("1", "alice", "first"))).conversationId();
        try (java.sql.Connection other = db.connection()) {
            other.setAutoCommit(false);
            try (java.sql.Statement s = other.createStatement()) {
                s.execute("UPDATE conversation SET priority = 3 WHERE id = " + held);
            }
            List<CompletableFuture<IngestReceipt>> others = new ArrayList<>();
            CompletableFuture<IngestReceipt> alice = groupCommit.submit(api("2", "alice", "hello?"));
            for (int i = 0; i < 8; i++) {
                others.add(groupCommit.submit(api("o" + i, "customer-" + i, "hi")));
            }

            assertThat(others).allSatisfy(f -> assertThat(done(f).duplicate()).isFalse());
            assertThat(failure(alice)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("held by another transaction");
            other.rollback();
        }
        assertThat(done(groupCommit.submit(api("2", "alice", "hello?"))).conversationId()).isEqualTo(held);
    }

    /** More writers while messages flow: applied without a restart, and each author's messages keep their order. */
    @ParameterizedTest
    @MethodSource(DATABASES)
    void writersAddedUnderTrafficKeepEachAuthorsOrder(String kind) throws Exception {
        open(kind, Configs.settings("ingestWriters", 1, "ingestBatchSize", 16));
        List<Map.Entry<Message, CompletableFuture<IngestReceipt>>> sent = new ArrayList<>();
        holdWriter(); // a backlog on the one writer when the others come
        for (int i = 0; i < 300; i++) {
            Message m = api("m" + i, "customer-" + (i % 10), "text " + i);
            sent.add(Map.entry(m, groupCommit.submit(m)));
        }
        settings.set(Configs.settings("ingestWriters", 3, "ingestBatchSize", 16));
        groupCommit.reconfigure();
        for (int i = 300; i < 600; i++) {
            Message m = api("m" + i, "customer-" + (i % 10), "text " + i);
            sent.add(Map.entry(m, groupCommit.submit(m)));
        }
        watched.release();
        await().until(() -> sent.stream().allMatch(e -> e.getValue().isDone()));

        Map<String, List<Long>> idsByAuthor = new HashMap<>();
        for (Map.Entry<Message, CompletableFuture<IngestReceipt>> e : sent) {
            idsByAuthor.computeIfAbsent(e.getKey().author().handle(), k -> new ArrayList<>())
                    .add(e.getValue().join().messageId());
        }
        assertThat(idsByAuthor.values()).allSatisfy(ids -> assertThat(ids).isSorted());
        assertThat(db.count("message")).isEqualTo(601);
        assertThat(watched.writers).contains("frontdoor-ingest", "frontdoor-ingest-3");
    }
}
