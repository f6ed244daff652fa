package org.frontdoor.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;
import static org.frontdoor.core.Messages.inbound;

import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.ClosedChannelException;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.frontdoor.api.Channel;
import org.frontdoor.api.ChannelCapabilities;
import org.frontdoor.api.ChannelHealth;
import org.frontdoor.api.OutboundReply;
import org.frontdoor.api.ReplyRefusedException;
import org.frontdoor.api.Scope;
import org.frontdoor.api.Visibility;
import org.frontdoor.api.inbox.ReplyStatus;
import org.frontdoor.api.inbox.ReplyView;
import org.frontdoor.api.delivery.Delivery;
import org.frontdoor.api.delivery.DeliveryReceipt;
import org.frontdoor.api.delivery.DeliveryState;
import org.frontdoor.api.delivery.ReceiptOutcome;
import org.frontdoor.store.IngestLimits;
import org.frontdoor.store.jpa.JpaStore;
import org.frontdoor.store.jpa.StoreTestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.osgi.framework.Constants;

/** The outbox on the real store, H2 and PostgreSQL: a worker per door, health, refusals, attempts, reasons. */
class OutboxTest {

    private static final String DATABASES = "org.frontdoor.store.jpa.StoreTestDatabase#kinds";

    private StoreTestDatabase db;
    private JpaStore store;
    private Outbox outbox;
    private final Doors doors = new Doors();
    private final MutableClock clock = new MutableClock(Instant.now());
    private final AtomicReference<Settings> settings = new AtomicReference<>(Configs.settings());
    private long serviceIds = 1;

    /** A door whose health the test sets. */
    private static final class TestDoor implements Channel {
        final String instance;
        volatile ChannelHealth health = ChannelHealth.up();

        TestDoor(String instance) {
            this.instance = instance;
        }

        @Override
        public String id() {
            return "api";
        }

        @Override
        public String instance() {
            return instance;
        }

        @Override
        public ChannelCapabilities capabilities() {
            return ChannelCapabilities.plainPrivate();
        }

        @Override
        public ChannelHealth health() {
            return health;
        }
    }

    /** Sends what the test says, recording each attempt. */
    private static final class TestSender implements Outbox.Sender {
        final List<OutboundReply> attempts = new CopyOnWriteArrayList<>();
        volatile Map<String, Behaviour> byInstance = new HashMap<>();

        interface Behaviour {
            void send(OutboundReply reply) throws Exception;
        }

        @Override
        public String channel() {
            return "api";
        }

        @Override
        public String send(OutboundReply reply) throws Exception {
            attempts.add(reply);
            Behaviour b = byInstance.get(reply.instance());
            if (b != null) {
                b.send(reply);
            }
            return "vendor-" + reply.replyId();
        }
    }

    private final TestSender sender = new TestSender();

    private void open(String kind, Object... settingsOverrides) throws SQLException {
        db = StoreTestDatabase.create(kind);
        store = db.store();
        settings.set(Configs.settings(settingsOverrides));
        outbox = new Outbox(store, doors, settings::get, "node-a", clock, () -> { });
        outbox.register(sender);
    }

    @AfterEach
    void close() throws Exception {
        if (outbox != null) {
            outbox.close();
        }
        if (db != null) {
            db.close();
        }
    }

    private TestDoor door(String instance, Object... properties) {
        TestDoor door = new TestDoor(instance);
        Map<String, Object> p = new HashMap<>();
        p.put(Constants.SERVICE_ID, serviceIds++);
        p.put(Channel.CHANNEL, "api");
        p.put(Channel.INSTANCE, instance);
        for (int i = 0; i < properties.length; i += 2) {
            p.put((String) properties[i], properties[i + 1]);
        }
        doors.add(door, p);
        return door;
    }

    private ReplyView queue(String instance, String handle, String text) {
        long conversation = store.ingest(List.of(inbound("api", instance, "m-" + handle + "-" + text.hashCode(),
                handle, "hello")), new IngestLimits(30_000, 2_000)).get(0).receipt().conversationId();
        ReplyView queued = store.queueReply(Scope.ALL, conversation, text, Visibility.PRIVATE, "jane");
        clock.catchUp(); // due from the moment it was queued
        return queued;
    }

    private ReplyView reply(ReplyView queued) {
        return store.conversation(Scope.ALL, queued.conversationId()).orElseThrow().replies().stream()
                .filter(r -> r.id() == queued.id()).findFirst().orElseThrow();
    }

    /** Delivers until nothing due is left or the condition holds. */
    private void deliverUntil(java.util.concurrent.Callable<Boolean> done) {
        await().until(() -> {
            outbox.dispatch();
            return done.call();
        });
    }

    /** The id the door names for a sent reply is kept: the vendor's receipts for it reach that reply. */
    @ParameterizedTest
    @MethodSource(DATABASES)
    void keepsTheVendorIdTheDoorNamedSoItsReceiptsReachTheReply(String kind) throws Exception {
        open(kind);
        door("demo");
        ReplyView queued = queue("demo", "alice", "It ships today");
        DeliveryReceiptService receipts = new DeliveryReceiptService(store, () -> { }, clock);
        assertThat(receipts.report(new DeliveryReceipt("api", "demo", "vendor-" + queued.id(), DeliveryState.READ,
                Instant.parse("2026-12-07T09:05:00Z"), null))).as("before the send: kept")
                .isEqualTo(ReceiptOutcome.KEPT);

        // the send is recorded, then the receipts kept for its id are applied in a transaction of their own
        deliverUntil(() -> reply(queued).status() == ReplyStatus.SENT && reply(queued).delivery() != null);

        assertThat(reply(queued).delivery()).as("applied once the send was recorded with its id")
                .isEqualTo(new Delivery(DeliveryState.READ, Instant.parse("2026-12-07T09:05:00Z"), null));
        assertThat(receipts.report(new DeliveryReceipt("api", "demo", "vendor-" + queued.id(),
                DeliveryState.DELIVERED, Instant.parse("2026-12-07T09:04:00Z"), null)))
                .as("delivered after read").isEqualTo(ReceiptOutcome.UNCHANGED);
    }

    @ParameterizedTest
    @MethodSource(DATABASES)
    void recordsEachFailureAsASentenceAndRetriesWithADoublingCappedBackoffUntilSent(String kind) throws Exception {
        open(kind, "retryInitialSeconds", 2, "retryMaxSeconds", 5);
        door("demo");
        ReplyView queued = queue("demo", "alice", "We are on it");
        sender.byInstance = Map.of("demo", r -> {
            if (r.attempt() <= 3) {
                throw new ConnectException();
            }
        });

        deliverUntil(() -> reply(queued).attempts() == 1);
        ReplyView retrying = reply(queued);
        assertThat(retrying.status()).isEqualTo(ReplyStatus.RETRYING);
        assertThat(retrying.lastError())
                .isEqualTo("connection refused: is the peer running? check the url in its configuration");
        assertThat(retrying.nextAttemptAt()).isEqualTo(clock.instant().plusSeconds(2));
        clock.advance(Duration.ofSeconds(2));
        deliverUntil(() -> reply(queued).attempts() == 2);
        assertThat(reply(queued).nextAttemptAt()).isEqualTo(clock.instant().plusSeconds(4));
        clock.advance(Duration.ofSeconds(4));
        deliverUntil(() -> reply(queued).attempts() == 3);
        assertThat(reply(queued).nextAttemptAt()).as("capped").isEqualTo(clock.instant().plusSeconds(5));
        clock.advance(Duration.ofSeconds(5));
        deliverUntil(() -> reply(queued).status() == ReplyStatus.SENT);

        assertThat(reply(queued).lastError()).isNull();
        assertThat(sender.attempts).extracting(OutboundReply::attempt).containsExactly(1, 2, 3, 4);
    }

    /** A slow peer holds up its own door only: the other door's replies go out meanwhile. */
    @ParameterizedTest
    @MethodSource(DATABASES)
    void aSlowDoorDelaysNoOtherDoor(String kind) throws Exception {
        open(kind, "replyConcurrency", 1);
        door("slow");
        door("fast");
        CountDownLatch peerAnswers = new CountDownLatch(1);
        sender.byInstance = Map.of("slow", r -> peerAnswers.await());
        ReplyView stuck = queue("slow", "alice", "to the slow door");
        ReplyView behind = queue("slow", "bob", "also to the slow door");
        deliverUntil(() -> sender.attempts.stream().anyMatch(r -> r.replyId() == stuck.id()));

        ReplyView other = queue("fast", "carol", "to the fast door");
        deliverUntil(() -> reply(other).status() == ReplyStatus.SENT);

        assertThat(reply(stuck).status()).isEqualTo(ReplyStatus.QUEUED);
        assertThat(sender.attempts).noneMatch(r -> r.replyId() == behind.id());
        peerAnswers.countDown();
        deliverUntil(() -> reply(behind).status() == ReplyStatus.SENT);
    }

    /** A door that is DOWN, AUTH_EXPIRED or not configured keeps its replies waiting without using their attempts. */
    @ParameterizedTest
    @MethodSource(DATABASES)
    void repliesToADoorThatIsDownWaitWithoutUsingAttempts(String kind) throws Exception {
        open(kind);
        TestDoor demo = door("demo");
        demo.health = ChannelHealth.of(ChannelHealth.Status.AUTH_EXPIRED, "the token expired: log in again");
        ReplyView waiting = queue("demo", "alice", "hello");
        ReplyView nowhere = queue("gone", "bob", "to a door that is not configured");

        for (int i = 0; i < 5; i++) {
            outbox.dispatch();
        }
        assertThat(sender.attempts).isEmpty();
        assertThat(reply(waiting).attempts()).isZero();

        demo.health = ChannelHealth.up();
        deliverUntil(() -> reply(waiting).status() == ReplyStatus.SENT);
        assertThat(reply(waiting).attempts()).isEqualTo(1);
        assertThat(reply(nowhere).status()).isEqualTo(ReplyStatus.QUEUED);
    }

    @ParameterizedTest
    @MethodSource(DATABASES)
    void aReplyTheDoorRefusesForGoodFailsAtOnceWithItsReason(String kind) throws Exception {
        open(kind);
        door("demo");
        sender.byInstance = Map.of("demo", r -> {
            throw new ReplyRefusedException("the customer blocked this account");
        });
        ReplyView refused = queue("demo", "alice", "hello");

        deliverUntil(() -> reply(refused).status() == ReplyStatus.FAILED);

        assertThat(reply(refused).lastError()).isEqualTo("the customer blocked this account");
        assertThat(sender.attempts).hasSize(1);
    }

    /** Passing failures are retried until the door's own number of attempts, then the reply is given up. */
    @ParameterizedTest
    @MethodSource(DATABASES)
    void aReplyIsGivenUpAfterItsDoorsAttempts(String kind) throws Exception {
        open(kind, "retryInitialSeconds", 1, "replyMaxAttempts", 50);
        door("demo", Channel.REPLY_MAX_ATTEMPTS, "3");
        sender.byInstance = Map.of("demo", r -> {
            throw new ClosedChannelException();
        });
        ReplyView doomed = queue("demo", "alice", "hello");

        for (int attempt = 1; attempt <= 3; attempt++) {
            int n = attempt;
            deliverUntil(() -> reply(doomed).attempts() == n);
            clock.advance(Duration.ofMinutes(10));
        }

        assertThat(reply(doomed).status()).isEqualTo(ReplyStatus.FAILED);
        assertThat(reply(doomed).lastError())
                .isEqualTo("gave up after 3 attempts: the connection closed before the peer answered");
    }

    /** Another node's outbox on the same database, with a store and sender of its own. */
    private Outbox otherNode(String node, String run, TestSender otherSender) throws SQLException {
        Outbox other = new Outbox(db.anotherStore(), doors, settings::get, node, run, clock, () -> { });
        other.register(otherSender);
        return other;
    }

    /**
     * Seen: a send slower than its 300 s claim went out a second time from the other node, and was recorded once. The
     * claim is renewed while the send runs, so the other node never finds the reply due. Fails on main: there node b
     * takes the reply once the claim has run out under the send (after 400 s) and sends it again.
     */
    @ParameterizedTest
    @MethodSource(DATABASES)
    void aSendSlowerThanItsClaimIsNotSentTwiceByASecondNode(String kind) throws Exception {
        open(kind, "replyClaimSeconds", 300, "replySendDeadlineSeconds", 120);
        door("demo");
        CountDownLatch peerAnswers = new CountDownLatch(1);
        AtomicBoolean interrupted = new AtomicBoolean();
        sender.byInstance = Map.of("demo", r -> {
            while (true) { // a peer library that goes on when interrupted
                try {
                    peerAnswers.await();
                    return;
                } catch (InterruptedException e) {
                    interrupted.set(true);
                }
            }
        });
        ReplyView slow = queue("demo", "alice", "your refund is on its way");
        deliverUntil(() -> !sender.attempts.isEmpty());
        TestSender otherSender = new TestSender();
        Outbox other = otherNode("node-b", "run-b", otherSender);
        try {
            for (int seconds = 100; seconds <= 500; seconds += 100) {
                clock.advance(Duration.ofSeconds(100));
                assertThat(other.dispatch()).as("doors with a reply due for node b after %d s", seconds).isZero();
                outbox.dispatch(); // node a looks after its sends as it does every second
            }
            await().untilTrue(interrupted); // past its deadline (120 s) the send was told to stop
            peerAnswers.countDown();
            deliverUntil(() -> reply(slow).status() == ReplyStatus.SENT);
        } finally {
            peerAnswers.countDown();
            other.close();
        }
        assertThat(otherSender.attempts).isEmpty();
        assertThat(sender.attempts).hasSize(1);
        assertThat(reply(slow).attempts()).isEqualTo(1);
    }

    /** A send past its door's deadline is interrupted and recorded as a passing failure, then retried. */
    @ParameterizedTest
    @MethodSource(DATABASES)
    void aSendPastItsDoorsDeadlineIsInterruptedAndRetried(String kind) throws Exception {
        open(kind, "retryInitialSeconds", 1);
        door("demo", Channel.REPLY_DEADLINE_SECONDS, "30");
        CountDownLatch never = new CountDownLatch(1);
        sender.byInstance = Map.of("demo", r -> {
            if (r.attempt() == 1) {
                never.await();
            }
        });
        ReplyView stuck = queue("demo", "alice", "hello");
        deliverUntil(() -> !sender.attempts.isEmpty());

        clock.advance(Duration.ofSeconds(30));
        deliverUntil(() -> reply(stuck).attempts() == 1);
        assertThat(reply(stuck).status()).isEqualTo(ReplyStatus.RETRYING);
        assertThat(reply(stuck).lastError()).isEqualTo("the door did not finish sending within 30 s");

        clock.advance(Duration.ofSeconds(1));
        deliverUntil(() -> reply(stuck).status() == ReplyStatus.SENT);
        assertThat(sender.attempts).extracting(OutboundReply::attempt).containsExactly(1, 2);
    }

    /**
     * Seen: shutdown freed the claims of sends still in flight, so another node sent them again. A stopping node keeps
     * the claim of a send in flight, and records its outcome when it returns. Fails on main: there close() let go of
     * every claim of the node (after waiting for the send), and node b took the reply.
     */
    @ParameterizedTest
    @MethodSource(DATABASES)
    void aStoppingNodeKeepsTheClaimOfASendInFlight(String kind) throws Exception {
        open(kind);
        door("demo");
        CountDownLatch peerAnswers = new CountDownLatch(1);
        sender.byInstance = Map.of("demo", r -> peerAnswers.await());
        ReplyView inFlight = queue("demo", "alice", "in flight while stopping");
        deliverUntil(() -> !sender.attempts.isEmpty());

        outbox.close(Duration.ZERO);

        TestSender otherSender = new TestSender();
        Outbox other = otherNode("node-b", "run-b", otherSender);
        try {
            assertThat(other.dispatch()).as("doors with a reply due for node b").isZero();
            peerAnswers.countDown();
            await().until(() -> reply(inFlight).status() == ReplyStatus.SENT);
        } finally {
            peerAnswers.countDown();
            other.close();
        }
        assertThat(otherSender.attempts).isEmpty();
        assertThat(reply(inFlight).attempts()).isEqualTo(1);
    }

    /**
     * A node that restarts with its name takes back at once what its earlier run held, instead of waiting out the
     * claim. Fails on main: there a restarted node had a new name (and took back nothing), so the reply waited 300 s.
     */
    @ParameterizedTest
    @MethodSource(DATABASES)
    void aRestartedNodeTakesBackItsClaimsAtOnce(String kind) throws Exception {
        open(kind);
        door("demo");
        CountDownLatch never = new CountDownLatch(1);
        sender.byInstance = Map.of("demo", r -> never.await());
        ReplyView reply = queue("demo", "alice", "sent when the node crashed");
        deliverUntil(() -> !sender.attempts.isEmpty());
        // the process dies here: its send never returns, its claim stays in the database

        TestSender afterRestart = new TestSender();
        Outbox restarted = otherNode("node-a", "the-next-run", afterRestart);
        try {
            await().until(() -> {
                restarted.dispatch();
                return reply(reply).status() == ReplyStatus.SENT;
            });
        } finally {
            restarted.close();
            never.countDown();
        }
        assertThat(afterRestart.attempts).hasSize(1);
    }

    /**
     * A door's pool holds its bound: it claims only as many replies as it has free threads, and never sends more at
     * once. (This passes on main too, where a counter bounded an unbounded pool; it pins the bound now that a send may
     * outlive its deadline.)
     */
    @ParameterizedTest
    @MethodSource(DATABASES)
    void aDoorNeverSendsMoreAtOnceThanItsPool(String kind) throws Exception {
        open(kind);
        door("demo", Channel.REPLY_CONCURRENCY, 2);
        AtomicInteger sendingNow = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        CountDownLatch peerAnswers = new CountDownLatch(1);
        sender.byInstance = Map.of("demo", r -> {
            most.accumulateAndGet(sendingNow.incrementAndGet(), Math::max);
            try {
                peerAnswers.await();
            } finally {
                sendingNow.decrementAndGet();
            }
        });
        List<ReplyView> replies = new java.util.ArrayList<>();
        for (int i = 0; i < 6; i++) {
            replies.add(queue("demo", "customer-" + i, "hello " + i));
        }
        deliverUntil(() -> sender.attempts.size() == 2);
        for (int i = 0; i < 5; i++) {
            outbox.dispatch();
        }
        assertThat(db.scalar("SELECT COUNT(*) FROM reply WHERE claim_owner IS NOT NULL")).isEqualTo(2);

        peerAnswers.countDown();
        deliverUntil(() -> replies.stream().allMatch(r -> reply(r).status() == ReplyStatus.SENT));
        assertThat(most.get()).isEqualTo(2);
    }

    @Test
    void reasonsAreSentencesNeverABareExceptionClass() {
        assertThat(Outbox.reason(new ClosedChannelException()))
                .isEqualTo("the connection closed before the peer answered");
        assertThat(Outbox.reason(new IllegalStateException(new ConnectException("Connection refused"))))
                .isEqualTo("connection refused: is the peer running? check the url in its configuration");
        assertThat(Outbox.reason(new ConnectException("Connect to crm.example.com:8443 [crm.example.com/10.0.0.7] "
                + "failed: Connection refused")))
                .isEqualTo("connection refused by crm.example.com:8443: is the peer running? check the url in its "
                        + "configuration");
        assertThat(Outbox.reason(new ConnectException("refused http://crm.example.com:8443/hook?key=s3cret")))
                .isEqualTo("connection refused: is the peer running? check the url in its configuration");
        assertThat(Outbox.reason(new IllegalStateException("the callback peer answered 503")))
                .isEqualTo("the callback peer answered 503");
        assertThat(Outbox.reason(new UnsupportedOperationException()))
                .isEqualTo("sending failed unexpectedly (UnsupportedOperationException); the log has the details");
    }

    @Test
    void aRefusedConnectionIsToldAsRefusedNotAsAConnectionThatClosed() throws Exception {
        int closed;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = socket.getLocalPort();
        }
        // the JDK's client: a ConnectException with no message, caused by one, caused by a ClosedChannelException
        Throwable refused = catchThrowable(() -> HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + closed + "/events")).build(),
                HttpResponse.BodyHandlers.discarding()));
        assertThat(refused).isInstanceOf(ConnectException.class);

        assertThat(Outbox.reason(refused))
                .isEqualTo("connection refused: is the peer running? check the url in its configuration");
        assertThat(Outbox.reason(new IllegalStateException("route failed", refused)))
                .isEqualTo("connection refused: is the peer running? check the url in its configuration");
    }
}
