package org.frontdoor.store.jpa;

import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.LongStream;

import javax.persistence.EntityManagerFactory;

import org.eclipse.persistence.jpa.PersistenceProvider;
import org.frontdoor.api.Message;
import org.frontdoor.api.OutboundReply;
import org.frontdoor.api.RoutingDecision;
import org.frontdoor.api.Scope;
import org.frontdoor.api.Visibility;
import org.frontdoor.api.inbox.ConversationDetail;
import org.frontdoor.api.inbox.MessageView;
import org.frontdoor.api.inbox.ReplyView;
import org.frontdoor.store.Door;
import org.frontdoor.store.PendingRoute;
import org.frontdoor.store.RouteResult;
import org.frontdoor.store.StoredMessage;
import org.junit.jupiter.api.AfterEach;
import org.frontdoor.store.ReplyClaim;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two nodes on one database: each takes ids in blocks of its own, so a row committed later can have a smaller id
 * ("a later reply got id 2 and an earlier one id 51"). Order, paging, claims, routing, the classifiers' watermark,
 * the read mark and the web chat's cursor all follow the order rows were committed in a conversation (seq), not ids.
 *
 * <p>Node a takes the first block of each sequence (ids 1 to 50), node b the second (51 to 100): a, b, a writing one
 * row each commit ids 1, 51, 2.
 */
class CommitOrderTest extends StoreTest {

    private static final Door DEMO = new Door("api", "demo");
    private static final Instant LATER = Instant.now().plusSeconds(3600);

    /** The second node: its own EntityManagerFactory and its own cached id blocks, the same database. */
    private EntityManagerFactory emfB;
    private JpaStore b;

    private void openTwoNodes(String kind) throws SQLException {
        open(kind);
        emfB = new PersistenceProvider().createEntityManagerFactory("frontdoor",
                Map.of("javax.persistence.nonJtaDataSource", db.dataSource, "eclipselink.session-name", "node-b"));
        b = new JpaStore(emfB, db.dataSource);
    }

    @AfterEach
    void closeNodeB() {
        if (emfB != null) {
            emfB.close();
        }
    }

    private static Message from(String externalId, String text) {
        return message(externalId, "alice", null, text);
    }

    private long ingestOn(JpaStore node, Message m) {
        return node.ingest(List.of(m), LIMITS).get(0).receipt().messageId();
    }

    /** Three customer messages of one conversation, written by a, b, a: their ids are 1, 51, 2. */
    private long[] threeMessagesOutOfIdOrder() {
        long first = ingestOn(store, from("m-1", "first"));
        long second = ingestOn(b, from("m-2", "second"));
        long third = ingestOn(store, from("m-3", "third"));
        assertThat(third).as("the later message has the smaller id").isLessThan(second);
        return new long[] {first, second, third};
    }

    private long conversation() {
        return store.conversations(Scope.ALL, new org.frontdoor.api.inbox.ConversationQuery(null, null, null, 0, 10))
                .items().get(0).id();
    }

    private ConversationDetail detail(long conversation) {
        return b.conversation(Scope.ALL, conversation).orElseThrow();
    }

    /** Three replies queued by a, b, a: ids 1, 51, 2. */
    private List<ReplyView> threeRepliesOutOfIdOrder(long conversation) {
        ReplyView r1 = store.queueReply(Scope.ALL, conversation, "reply one", Visibility.PRIVATE, "jane");
        ReplyView r2 = b.queueReply(Scope.ALL, conversation, "reply two", Visibility.PRIVATE, "sam");
        ReplyView r3 = store.queueReply(Scope.ALL, conversation, "reply three", Visibility.PRIVATE, "jane");
        assertThat(r3.id()).as("a later reply got a smaller id").isLessThan(r2.id());
        return List.of(r1, r2, r3);
    }

    @ParameterizedTest
    @MethodSource("databases")
    void theConversationShowsMessagesAndRepliesInCommitOrder(String kind) throws SQLException {
        openTwoNodes(kind);
        threeMessagesOutOfIdOrder();
        long conversation = conversation();
        threeRepliesOutOfIdOrder(conversation);

        ConversationDetail d = detail(conversation);
        assertThat(d.messages()).extracting(MessageView::text).containsExactly("first", "second", "third");
        assertThat(d.replies()).extracting(ReplyView::text).containsExactly("reply one", "reply two", "reply three");
        // messages and replies share one order: the three messages, then the three replies
        assertThat(d.messages()).extracting(MessageView::seq).containsExactly(1L, 2L, 3L);
        assertThat(d.replies()).extracting(ReplyView::seq).containsExactly(4L, 5L, 6L);
    }

    @ParameterizedTest
    @MethodSource("databases")
    void theOutboxSendsAConversationsRepliesInCommitOrder(String kind) throws SQLException {
        openTwoNodes(kind);
        ingestOn(store, from("m-1", "first"));
        long conversation = conversation();
        threeRepliesOutOfIdOrder(conversation);

        List<String> sent = new ArrayList<>();
        for (int round = 0; round < 3; round++) {
            JpaStore node = round % 2 == 0 ? b : store;
            List<ReplyClaim> claimed = node.claimDueReplies(DEMO, "node-" + round, "run/" + round, Instant.now(), LATER,
                    10);
            assertThat(claimed).as("one reply of the conversation at a time").hasSize(1);
            sent.add(claimed.get(0).reply().text());
            assertThat(node.replySent(claimed.get(0), Instant.now())).isTrue();
        }
        assertThat(sent).containsExactly("reply one", "reply two", "reply three");
    }

    /**
     * The web chat's cursor: the visitor has the replies up to the one shown last; the next poll asks for those after
     * it in the conversation's order, and the later reply (smaller id) is among them.
     */
    @ParameterizedTest
    @MethodSource("databases")
    void aCursorAfterTheLastShownReplySeesTheLaterReply(String kind) throws SQLException {
        openTwoNodes(kind);
        ingestOn(store, from("m-1", "first"));
        long conversation = conversation();
        ReplyView r1 = store.queueReply(Scope.ALL, conversation, "reply one", Visibility.PRIVATE, "jane");
        ReplyView r2 = b.queueReply(Scope.ALL, conversation, "reply two", Visibility.PRIVATE, "sam");
        sent(store, r1.id());
        sent(store, r2.id());
        // the visitor has seen reply two; then a third is written on node a and sent
        long cursor = detail(conversation).replies().stream().filter(r -> r.id() == r2.id()).findFirst()
                .orElseThrow().seq();
        ReplyView r3 = store.queueReply(Scope.ALL, conversation, "reply three", Visibility.PRIVATE, "jane");
        assertThat(r3.id()).isLessThan(r2.id());
        sent(store, r3.id());

        List<ReplyView> replies = detail(conversation).replies();
        int shownLast = replies.stream().map(ReplyView::id).toList().indexOf(r2.id());
        assertThat(replies.subList(shownLast + 1, replies.size())).as("after the last shown, in order")
                .extracting(ReplyView::text).containsExactly("reply three");
        assertThat(replies).filteredOn(r -> r.seq() > cursor).extracting(ReplyView::text)
                .containsExactly("reply three");
        assertThat(r3.seq()).as("the seq a queued reply answers with is its stored one").isGreaterThan(cursor);
    }

    @ParameterizedTest
    @MethodSource("databases")
    void aReopenedConversationIsRoutedOnItsNewestMessage(String kind) throws SQLException {
        openTwoNodes(kind);
        ingestOn(store, from("m-1", "first"));
        ingestOn(b, from("m-2", "second"));
        long conversation = conversation();
        routeAll("sales");
        store.resolve(Scope.ALL, conversation, "jane");
        ingestOn(store, from("m-3", "the newest")); // id 2: reopens

        PendingRoute pending = b.claimConversationsToRoute("node-b", LATER, 10).get(0);
        assertThat(pending.reopened()).isTrue();
        assertThat(pending.messages()).as("oldest first, the newest last")
                .extracting(m -> m.message().text()).containsExactly("first", "second", "the newest");
    }

    /** The watermark is the conversation's seq: a message committed later with a smaller id is classified. */
    @ParameterizedTest
    @MethodSource("databases")
    void theClassifierWatermarkDoesNotSkipALaterMessageWithASmallerId(String kind) throws SQLException {
        openTwoNodes(kind);
        ingestOn(store, from("m-1", "first"));
        ingestOn(b, from("m-2", "second")); // id 51
        long conversation = conversation();
        PendingRoute first = store.claimConversationsToRoute(NODE, LATER, 10).get(0);
        long seen = first.messages().stream().mapToLong(StoredMessage::seq).max().orElseThrow();
        assertThat(store.routed(NODE, List.of(new RouteResult(conversation,
                new RoutingDecision("sales", 0, null, "test"), Map.of(), seen)))).containsExactly(conversation);
        store.resolve(Scope.ALL, conversation, "jane");
        ingestOn(store, from("m-3", "not classified yet")); // id 2

        PendingRoute again = b.claimConversationsToRoute("node-b", LATER, 10).get(0);
        assertThat(again.messages()).filteredOn(m -> m.seq() > again.classifiedThrough())
                .extracting(m -> m.message().text()).containsExactly("not classified yet");
    }

    /** Read up to a message means that message and those before it in the conversation: never one written later. */
    @ParameterizedTest
    @MethodSource("databases")
    void seenCoversOnlyWhatWasRead(String kind) throws SQLException {
        openTwoNodes(kind);
        ingestOn(store, from("m-1", "first"));
        long second = ingestOn(b, from("m-2", "second")); // id 51
        long conversation = conversation();
        assertThat(store.markRead(Scope.ALL, conversation, second, "jane")).isEqualTo(second);
        long third = ingestOn(store, from("m-3", "nobody read this")); // id 2

        ConversationDetail d = detail(conversation);
        int mark = d.messages().stream().map(MessageView::id).toList().indexOf(d.readUpTo());
        assertThat(d.messages().subList(0, mark + 1)).as("shown as seen").extracting(MessageView::text)
                .containsExactly("first", "second");
        long markSeq = d.messages().get(mark).seq();
        assertThat(d.messages()).filteredOn(m -> m.seq() > markSeq).extracting(MessageView::text)
                .containsExactly("nobody read this");

        assertThat(b.markRead(Scope.ALL, conversation, 0, "sam")).as("0: the latest, in commit order").isEqualTo(third);
        assertThat(store.markRead(Scope.ALL, conversation, second, "jane")).as("the mark never moves back")
                .isEqualTo(third);
    }

    /** Both nodes writing one conversation at once: every message and reply gets its own number, without gaps. */
    @ParameterizedTest
    @MethodSource("databases")
    void concurrentWritersOnTwoNodesNumberOneConversationDensely(String kind) throws Exception {
        openTwoNodes(kind);
        ingestOn(store, from("m-0", "opening"));
        long conversation = conversation();
        int perNode = 15;
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> work = new ArrayList<>();
            for (JpaStore node : List.of(store, b)) {
                String name = node == store ? "a" : "b";
                work.add(pool.submit(() -> {
                    for (int i = 0; i < perNode; i++) {
                        int n = i;
                        retrying(() -> node.queueReply(Scope.ALL, conversation, name + " reply " + n,
                                Visibility.PRIVATE, "agent-" + name));
                    }
                    return null;
                }));
                work.add(pool.submit(() -> {
                    for (int i = 0; i < perNode; i++) {
                        Message m = from("m-" + name + "-" + i, name + " message " + i);
                        assertThat(retrying(() -> node.ingest(List.of(m), LIMITS)).get(0).isDeferred()).isFalse();
                    }
                    return null;
                }));
            }
            for (Future<?> f : work) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        ConversationDetail d = detail(conversation);
        List<Long> seqs = new ArrayList<>();
        d.messages().forEach(m -> seqs.add(m.seq()));
        d.replies().forEach(r -> seqs.add(r.seq()));
        assertThat(seqs).containsExactlyInAnyOrderElementsOf(LongStream.rangeClosed(1, 1 + 4L * perNode).boxed()
                .toList());
        // each node's own writes keep the order it wrote them in
        for (String name : List.of("a", "b")) {
            assertThat(d.replies()).extracting(ReplyView::text).filteredOn(t -> t.startsWith(name + " "))
                    .containsExactlyElementsOf(LongStream.range(0, perNode).mapToObj(i -> name + " reply " + i)
                            .toList());
            assertThat(d.messages()).extracting(MessageView::text).filteredOn(t -> t.startsWith(name + " "))
                    .containsExactlyElementsOf(LongStream.range(0, perNode).mapToObj(i -> name + " message " + i)
                            .toList());
        }
    }

    /** Claims the reply on a node and records it sent, as the node's outbox does. */
    private static void sent(JpaStore node, long replyId) {
        ReplyClaim claim = node.claimDueReplies(DEMO, "sender", "run/" + replyId, Instant.now(), LATER, 10).stream()
                .filter(c -> c.reply().replyId() == replyId).findFirst().orElseThrow();
        assertThat(node.replySent(claim, Instant.now())).isTrue();
    }
}
