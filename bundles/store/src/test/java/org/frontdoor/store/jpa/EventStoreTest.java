package org.frontdoor.store.jpa;

import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

import org.frontdoor.api.ConversationEvent;
import org.frontdoor.api.Scope;
import org.frontdoor.api.Visibility;
import org.frontdoor.store.EventStore.ConsumerState;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The event log: positions in commit order, written with their change or not at all; consumers' positions. */
class EventStoreTest extends StoreTest {

    /**
     * Writers of every kind commit at once (ingest groups, replies, resolves) while a reader follows the log: every
     * read is a run of positions right after the one asked for, so a reader never passes over an event that commits
     * later with a smaller position.
     */
    @ParameterizedTest
    @MethodSource("databases")
    void concurrentWritersCommitPositionsInOrderAndAReaderNeverSeesAGap(String kind) throws Exception {
        open(kind);
        List<Long> conversations = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            conversations.add(conversationOf(message("seed-" + i, "c" + i, null, "hi")));
        }
        AtomicBoolean writing = new AtomicBoolean(true);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<?>> writers = new ArrayList<>();
        try {
            for (int w = 0; w < 3; w++) {
                int writer = w;
                writers.add(pool.submit(() -> {
                    for (int n = 0; n < 40; n++) {
                        int i = n;
                        if (writer == 0) {
                            retrying(() -> store.ingest(List.of(message("w-" + i, "c" + i % 8, null, "more"),
                                    message("n-" + i, "new-" + i, null, "hello")), LIMITS));
                        } else {
                            long conversation = conversations.get((i + writer) % 8);
                            retrying(() -> store.queueReply(Scope.ALL, conversation, "reply " + i, Visibility.PRIVATE,
                                    "agent-" + writer));
                        }
                    }
                    return null;
                }));
            }
            Future<Integer> reader = pool.submit(() -> {
                long position = 0;
                int reads = 0;
                while (writing.get() || position < store.head()) {
                    List<ConversationEvent> page = store.eventsAfter(position, 7);
                    for (ConversationEvent e : page) {
                        assertThat(e.position()).isEqualTo(++position);
                    }
                    reads++;
                }
                return reads;
            });
            for (Future<?> w : writers) {
                w.get();
            }
            writing.set(false);
            assertThat(reader.get()).isPositive();
        } finally {
            pool.shutdown();
        }
        assertDensePositions();
        assertThat(events()).filteredOn(e -> e.type() == ConversationEvent.Type.REPLIED).hasSize(80);
    }

    /** Events are written in the transaction of their change: a group that fails leaves no event behind. */
    @ParameterizedTest
    @MethodSource("databases")
    void aChangeThatRollsBackLeavesNoEvent(String kind) throws SQLException {
        open(kind);
        conversationOf(message("1", "alice", null, "hi"));
        long before = store.head();

        assertThatThrownBy(() -> ingest(message("2", "bob", null, "fine"),
                message("3", "carol", null, "x".repeat(10)).toBuilder().externalId("y".repeat(400)).build()))
                .isInstanceOf(RuntimeException.class);

        assertThat(store.head()).isEqualTo(before);
        assertThat(events()).hasSize((int) before);
        assertThat(count("customer")).isEqualTo(1);
    }

    @ParameterizedTest
    @MethodSource("databases")
    void aConsumerKeepsItsPositionUnderItsNameAndOneNodeHoldsItAtATime(String kind) throws SQLException {
        open(kind);
        Instant now = Instant.now();
        assertThat(store.claimConsumer("crm", NODE, now, now.plusSeconds(30), 5)).contains(5L);
        assertThat(store.claimConsumer("crm", "node-b", now, now.plusSeconds(30), 0)).as("held by node-a").isEmpty();
        assertThat(store.advanceConsumer("crm", NODE, 9, now.plusSeconds(30), null)).isTrue();
        assertThat(store.advanceConsumer("crm", NODE, 7, now.plusSeconds(30), "the CRM answered 500")).isTrue();
        assertThat(store.claimConsumer("crm", NODE, now, now.plusSeconds(30), 0)).as("never moves back").contains(9L);

        store.releaseConsumer("crm", NODE);
        assertThat(store.claimConsumer("crm", "node-b", now, now.plusSeconds(30), 0)).contains(9L);
        assertThat(store.advanceConsumer("crm", NODE, 12, now.plusSeconds(30), null)).as("node-a lost it").isFalse();
        assertThat(store.claimConsumer("crm", NODE, now.plusSeconds(31), now.plusSeconds(60), 0))
                .as("node-b's lease ran out").contains(9L);

        assertThat(store.consumers()).singleElement().satisfies((ConsumerState c) -> {
            assertThat(c.name()).isEqualTo("crm");
            assertThat(c.position()).isEqualTo(9);
            assertThat(c.owner()).isEqualTo(NODE);
            assertThat(c.lastError()).isEqualTo("the CRM answered 500");
        });
    }

    @ParameterizedTest
    @MethodSource("databases")
    void deletesEventsOlderThanTheRetentionInBatches(String kind) throws SQLException {
        open(kind);
        for (int i = 0; i < 5; i++) {
            conversationOf(message("m" + i, "c" + i, null, "hi"));
        }
        long head = store.head();

        assertThat(store.deleteEventsBefore(Instant.now().minusSeconds(3600), 100)).isZero();
        assertThat(store.deleteEventsBefore(Instant.now().plusSeconds(1), 4)).isEqualTo(4);
        assertThat(store.eventsAfter(0, 100).get(0).position()).isEqualTo(5);
        assertThat(store.deleteEventsBefore(Instant.now().plusSeconds(1), 100)).isEqualTo((int) head - 4);
        assertThat(store.head()).as("positions go on from where they were").isEqualTo(head);
        conversationOf(message("after", "zed", null, "hi"));
        assertThat(store.eventsAfter(0, 100).get(0).position()).isEqualTo(head + 1);
    }
}
