package org.frontdoor.store.jpa;

import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.frontdoor.api.ConversationEvent;
import org.frontdoor.api.ConversationEvent.Type;
import org.frontdoor.api.Scope;
import org.frontdoor.api.Visibility;
import org.frontdoor.api.delivery.Delivery;
import org.frontdoor.api.delivery.DeliveryReceipt;
import org.frontdoor.api.delivery.DeliveryReceipts;
import org.frontdoor.api.delivery.DeliveryState;
import org.frontdoor.api.delivery.ReceiptOutcome;
import org.frontdoor.api.inbox.ReplyStatus;
import org.frontdoor.api.inbox.ReplyView;
import org.frontdoor.store.Door;
import org.frontdoor.store.ReplyClaim;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;

/** Delivery receipts (V20): kept once, applied forward only, never lost when they overtake the send. */
class DeliveryReceiptsTest extends StoreTest {

    private static final Door DEMO = new Door("api", "demo");
    private static final Instant T0 = Instant.parse("2026-12-07T09:00:00Z");

    private int tokens;

    private ReplyClaim claimOne() {
        List<ReplyClaim> claims = store.claimDueReplies(DEMO, NODE, "run-1/" + ++tokens, Instant.now(),
                Instant.now().plusSeconds(120), 10);
        assertThat(claims).hasSize(1);
        return claims.get(0);
    }

    /** A conversation with one reply, claimed and sent with this vendor id. */
    private long sentReply(String externalId, String vendorId) {
        long conversation = conversationOf(message(externalId, "alice-" + externalId, null, "help"));
        store.queueReply(Scope.ALL, conversation, "On its way", Visibility.PRIVATE, "jane");
        assertThat(store.replySent(claimOne(), Instant.now(), vendorId)).isTrue();
        return conversation;
    }

    private ReplyView reply(long conversation) {
        return store.conversation(Scope.ALL, conversation).orElseThrow().replies().get(0);
    }

    private static DeliveryReceipt receipt(String vendorId, DeliveryState state, int minute, String reason) {
        return new DeliveryReceipt("api", "demo", vendorId, state, T0.plusSeconds(60L * minute), reason);
    }

    private List<ConversationEvent> deliveryEvents(long conversation) {
        return events().stream().filter(e -> e.conversationId() == conversation)
                .filter(e -> e.type() == Type.REPLY_DELIVERED || e.type() == Type.REPLY_READ
                        || e.type() == Type.REPLY_DELIVERY_FAILED).toList();
    }

    private long waiting() throws SQLException {
        return scalar("SELECT COUNT(*) FROM delivery_receipt");
    }

    @ParameterizedTest
    @MethodSource("databases")
    void deliveredThenReadMoveTheReplyForwardWithTheirEvents(String kind) throws SQLException {
        open(kind);
        long conversation = sentReply("m-1", "wamid.1");

        assertThat(store.receipt(receipt("wamid.1", DeliveryState.DELIVERED, 1, null), Instant.now()))
                .isEqualTo(ReceiptOutcome.APPLIED);
        assertThat(reply(conversation).delivery()).isEqualTo(new Delivery(DeliveryState.DELIVERED,
                T0.plusSeconds(60), null));
        assertThat(store.receipt(receipt("wamid.1", DeliveryState.READ, 2, null), Instant.now()))
                .isEqualTo(ReceiptOutcome.APPLIED);

        ReplyView read = reply(conversation);
        assertThat(read.delivery()).isEqualTo(new Delivery(DeliveryState.READ, T0.plusSeconds(120), null));
        assertThat(read.status()).as("still sent: receipts add to it").isEqualTo(ReplyStatus.SENT);
        assertThat(deliveryEvents(conversation)).extracting(ConversationEvent::type)
                .containsExactly(Type.REPLY_DELIVERED, Type.REPLY_READ);
        assertThat(deliveryEvents(conversation)).allSatisfy(e -> {
            assertThat(e.itemId()).isEqualTo(read.id());
            assertThat(e.actor()).isEqualTo("system");
        });
        assertThat(waiting()).as("applied receipts are not kept").isZero();
    }

    @ParameterizedTest
    @MethodSource("databases")
    void duplicatesAndLateReceiptsChangeNothing(String kind) throws SQLException {
        open(kind);
        long conversation = sentReply("m-1", "wamid.1");
        store.receipt(receipt("wamid.1", DeliveryState.READ, 5, null), Instant.now());

        assertThat(store.receipt(receipt("wamid.1", DeliveryState.DELIVERED, 4, null), Instant.now()))
                .as("delivered after read").isEqualTo(ReceiptOutcome.UNCHANGED);
        assertThat(store.receipt(receipt("wamid.1", DeliveryState.READ, 5, null), Instant.now()))
                .as("the same read again").isEqualTo(ReceiptOutcome.UNCHANGED);
        assertThat(store.receipt(receipt("wamid.1", DeliveryState.FAILED, 6, "131047 re-engagement"), Instant.now()))
                .as("a failure after a read").isEqualTo(ReceiptOutcome.UNCHANGED);

        assertThat(reply(conversation).delivery()).isEqualTo(new Delivery(DeliveryState.READ, T0.plusSeconds(300),
                null));
        assertThat(deliveryEvents(conversation)).extracting(ConversationEvent::type).containsExactly(Type.REPLY_READ);
    }

    @ParameterizedTest
    @MethodSource("databases")
    void aFailureKeepsTheVendorsReasonAndAReadStillOutranksIt(String kind) throws SQLException {
        open(kind);
        long conversation = sentReply("m-1", "SM1");

        store.receipt(receipt("SM1", DeliveryState.DELIVERED, 1, null), Instant.now());
        assertThat(store.receipt(receipt("SM1", DeliveryState.FAILED, 2, "30003 unreachable handset"), Instant.now()))
                .isEqualTo(ReceiptOutcome.APPLIED);
        assertThat(reply(conversation).delivery()).isEqualTo(new Delivery(DeliveryState.FAILED, T0.plusSeconds(120),
                "30003 unreachable handset"));
        ConversationEvent failed = deliveryEvents(conversation).get(1);
        assertThat(failed.type()).isEqualTo(Type.REPLY_DELIVERY_FAILED);
        assertThat(failed.detail()).isEqualTo("30003 unreachable handset");

        store.receipt(receipt("SM1", DeliveryState.READ, 3, null), Instant.now());
        assertThat(reply(conversation).delivery().state()).isEqualTo(DeliveryState.READ);
        assertThat(reply(conversation).delivery().reason()).isNull();
    }

    /** A receipt that overtakes the recording of its send is kept and applied when the send is recorded. */
    @ParameterizedTest
    @MethodSource("databases")
    void aReceiptBeforeItsSendIsKeptAndAppliedInOrder(String kind) throws SQLException {
        open(kind);
        assertThat(store.receipt(receipt("wamid.early", DeliveryState.READ, 3, null), Instant.now()))
                .isEqualTo(ReceiptOutcome.KEPT);
        assertThat(store.receipt(receipt("wamid.early", DeliveryState.DELIVERED, 2, null), Instant.now()))
                .isEqualTo(ReceiptOutcome.KEPT);
        assertThat(store.receipt(receipt("wamid.early", DeliveryState.DELIVERED, 2, null), Instant.now()))
                .as("a duplicate of a kept receipt").isEqualTo(ReceiptOutcome.UNCHANGED);
        assertThat(waiting()).isEqualTo(2);

        long conversation = sentReply("m-1", "wamid.early");

        assertThat(reply(conversation).delivery()).isEqualTo(new Delivery(DeliveryState.READ, T0.plusSeconds(180),
                null));
        assertThat(deliveryEvents(conversation)).extracting(ConversationEvent::type)
                .as("applied in the states' order, whatever order they came in")
                .containsExactly(Type.REPLY_DELIVERED, Type.REPLY_READ);
        assertThat(waiting()).isZero();
    }

    @ParameterizedTest
    @MethodSource("databases")
    void receiptsForIdsNoReplyClaimsWaitOnlyAWeekAndTouchNothingElse(String kind) throws SQLException {
        open(kind);
        long conversation = sentReply("m-1", "wamid.mine");
        Instant longAgo = Instant.now().minus(java.time.Duration.ofDays(DeliveryReceipts.KEPT_DAYS + 1));
        store.receipt(receipt("wamid.stranger", DeliveryState.DELIVERED, 1, null), longAgo);
        assertThat(waiting()).isEqualTo(1);
        assertThat(store.receipt(new DeliveryReceipt("api", "other", "wamid.mine", DeliveryState.READ, T0, null),
                Instant.now())).as("the same id on another instance is another reply").isEqualTo(ReceiptOutcome.KEPT);

        assertThat(waiting()).as("the week-old one is dropped").isEqualTo(1);
        assertThat(reply(conversation).delivery()).isNull();
        assertThat(deliveryEvents(conversation)).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("databases")
    void aVendorIdAnotherReplyHasIsNotKeptAndTheReplyIsSentAllTheSame(String kind) throws SQLException {
        open(kind);
        long first = sentReply("m-1", "dup-1");
        long second = sentReply("m-2", "dup-1");

        assertThat(reply(second).status()).isEqualTo(ReplyStatus.SENT);
        store.receipt(receipt("dup-1", DeliveryState.DELIVERED, 1, null), Instant.now());
        assertThat(reply(first).delivery().state()).isEqualTo(DeliveryState.DELIVERED);
        assertThat(reply(second).delivery()).as("the receipt lands on the reply that had the id first").isNull();
        assertThat(scalar("SELECT COUNT(*) FROM audit_event WHERE action = 'reply.vendor-id-taken'"))
                .isEqualTo(1);
    }

    /** Two nodes report the same receipts at once, in both orders: one state, one event per state. */
    @ParameterizedTest
    @MethodSource("databases")
    void twoNodesReportingAtOnceWriteEachEventOnce(String kind) throws Exception {
        open(kind);
        JpaStore other = new JpaStore(db.emf, db.dataSource);
        int replies = 10;
        List<Long> conversations = new ArrayList<>();
        for (int i = 0; i < replies; i++) {
            conversations.add(sentReply("m-" + i, "wamid." + i));
        }
        List<Callable<ReceiptOutcome>> work = new ArrayList<>();
        for (int i = 0; i < replies; i++) {
            for (JpaStore node : List.of(store, other)) {
                for (DeliveryState state : List.of(DeliveryState.READ, DeliveryState.DELIVERED)) {
                    DeliveryReceipt r = receipt("wamid." + i, state, state == DeliveryState.READ ? 2 : 1, null);
                    work.add(() -> retrying(() -> node.receipt(r, Instant.now())));
                }
            }
        }
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            for (Future<ReceiptOutcome> f : pool.invokeAll(work)) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        for (long conversation : conversations) {
            assertThat(reply(conversation).delivery().state()).isEqualTo(DeliveryState.READ);
            List<Type> types = deliveryEvents(conversation).stream().map(ConversationEvent::type).toList();
            assertThat(types).as("read once, delivered at most once and never after read")
                    .isIn(List.of(Type.REPLY_READ), List.of(Type.REPLY_DELIVERED, Type.REPLY_READ));
        }
        assertThat(waiting()).isZero();
    }
}
