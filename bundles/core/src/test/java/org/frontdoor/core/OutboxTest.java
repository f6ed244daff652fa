package org.frontdoor.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.frontdoor.core.Messages.api;
import static org.frontdoor.core.Messages.inbound;

import java.io.IOException;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

import org.frontdoor.api.OutboundReply;
import org.frontdoor.api.inbox.ReplyStatus;
import org.frontdoor.api.inbox.ReplyView;
import org.frontdoor.store.Store;
import org.frontdoor.store.jpa.StoreTestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The outbox on the real store, H2 and PostgreSQL, with a clock the test moves. */
class OutboxTest {

    private static final String DATABASES = "org.frontdoor.store.jpa.StoreTestDatabase#kinds";
    private static final Duration INITIAL = Duration.ofSeconds(10);
    private static final Duration MAX = Duration.ofSeconds(60);

    private StoreTestDatabase db;
    private Store store;
    // ahead of the store's own clock, so what it queued "now" is due
    private final MutableClock clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS).plusSeconds(60));
    private Outbox outbox;

    /** A channel's outbound consumer that fails while told to. */
    private static final class Sender implements Outbox.Sender {
        final String channel;
        final List<OutboundReply> received = new CopyOnWriteArrayList<>();
        final AtomicReference<Exception> failWith = new AtomicReference<>();

        Sender(String channel) {
            this.channel = channel;
        }

        @Override
        public String channel() {
            return channel;
        }

        @Override
        public void send(OutboundReply reply) throws Exception {
            received.add(reply);
            Exception e = failWith.get();
            if (e != null) {
                throw e;
            }
        }
    }

    private void open(String kind) throws SQLException {
        db = StoreTestDatabase.create(kind);
        store = db.store();
        outbox = new Outbox(store, new Signal(), INITIAL, MAX, clock);
    }

    @AfterEach
    void close() throws SQLException {
        if (db != null) {
            db.close();
        }
    }

    private ReplyView queue(String channel, String instance, String externalId, String text) {
        long conversation = store.ingest(List.of(inbound(channel, instance, externalId, "alice", "help")))
                .get(0).receipt().conversationId();
        return store.queueReply(conversation, text, "agent-smith");
    }

    private ReplyView reply(ReplyView r) {
        return store.conversation(r.conversationId()).orElseThrow().replies().stream()
                .filter(v -> v.id() == r.id()).findFirst().orElseThrow();
    }

    @ParameterizedTest
    @MethodSource(DATABASES)
    void recordsEachFailureAndRetriesWithADoublingCappedBackoffUntilSent(String kind) throws SQLException {
        open(kind);
        ReplyView queued = queue("api", "demo", "x-1", "We are on it");
        Sender api = new Sender("api");
        api.failWith.set(new IOException("callback answered 500"));
        outbox.register(api);

        Instant failedAt = clock.instant();
        assertThat(outbox.deliverDue()).isEqualTo(1);
        ReplyView first = reply(queued);
        assertThat(first.status()).isEqualTo(ReplyStatus.RETRYING);
        assertThat(first.attempts()).isEqualTo(1);
        assertThat(first.lastError()).isEqualTo("callback answered 500");
        assertThat(first.nextAttemptAt()).isEqualTo(failedAt.plus(INITIAL));
        assertThat(outbox.deliverDue()).as("not due before its next attempt").isZero();

        // 10 s, 20 s, 40 s, then capped at 60 s
        List<Duration> waits = List.of(INITIAL, Duration.ofSeconds(20), Duration.ofSeconds(40), MAX, MAX);
        for (int i = 0; i < waits.size(); i++) {
            clock.advance(Duration.between(failedAt, reply(queued).nextAttemptAt()).minusSeconds(1));
            assertThat(outbox.deliverDue()).as("one second early").isZero();
            clock.advance(Duration.ofSeconds(1));
            api.failWith.set(new IOException("connection refused on attempt " + (i + 2)));
            failedAt = clock.instant();
            assertThat(outbox.deliverDue()).isEqualTo(1);
            ReplyView r = reply(queued);
            assertThat(r.attempts()).isEqualTo(i + 2);
            assertThat(r.lastError()).isEqualTo("connection refused on attempt " + (i + 2));
            Duration expected = i + 1 < waits.size() ? waits.get(i + 1) : MAX;
            assertThat(Duration.between(failedAt, r.nextAttemptAt())).isEqualTo(expected);
        }

        api.failWith.set(null);
        clock.advance(MAX);
        Instant sentAt = clock.instant();
        assertThat(outbox.deliverDue()).isEqualTo(1);
        ReplyView sent = reply(queued);
        assertThat(sent.status()).isEqualTo(ReplyStatus.SENT);
        assertThat(sent.attempts()).isEqualTo(7);
        assertThat(sent.sentAt()).isEqualTo(sentAt);
        assertThat(sent.lastError()).as("kept for the agent").isEqualTo("connection refused on attempt 6");
        assertThat(api.received).extracting(OutboundReply::attempt).containsExactly(1, 2, 3, 4, 5, 6, 7);
        assertThat(api.received).allSatisfy(r -> {
            assertThat(r.replyId()).isEqualTo(queued.id());
            assertThat(r.text()).isEqualTo("We are on it");
            assertThat(r.recipient().handle()).isEqualTo("alice");
            assertThat(r.inReplyTo()).isEqualTo("x-1");
        });
        clock.advance(Duration.ofHours(1));
        assertThat(outbox.deliverDue()).as("a sent reply is never sent again").isZero();
    }

    @ParameterizedTest
    @MethodSource(DATABASES)
    void keepsRepliesQueuedWhileTheirChannelHasNoSender(String kind) throws SQLException {
        open(kind);
        ReplyView toEmail = queue("email", "support", "mail-1", "Dear Alice");
        ReplyView toApi = queue("api", "demo", "api-1", "Hi Alice");
        Sender api = new Sender("api");
        outbox.register(api);

        assertThat(outbox.deliverDue()).isEqualTo(1);
        assertThat(api.received).extracting(OutboundReply::replyId).containsExactly(toApi.id());
        assertThat(reply(toApi).status()).isEqualTo(ReplyStatus.SENT);
        ReplyView waiting = reply(toEmail);
        assertThat(waiting.status()).isEqualTo(ReplyStatus.QUEUED);
        assertThat(waiting.attempts()).isZero();
        assertThat(waiting.lastError()).isNull();

        Sender email = new Sender("email");
        outbox.register(email);
        outbox.unregister(email);
        clock.advance(Duration.ofHours(1));
        assertThat(outbox.deliverDue()).as("its consumer went away again").isZero();
        assertThat(reply(toEmail).status()).isEqualTo(ReplyStatus.QUEUED);

        outbox.register(email);
        assertThat(outbox.deliverDue()).isEqualTo(1);
        assertThat(email.received).extracting(OutboundReply::text).containsExactly("Dear Alice");
        assertThat(reply(toEmail).status()).isEqualTo(ReplyStatus.SENT);
        assertThat(reply(toEmail).attempts()).isEqualTo(1);
    }

    @ParameterizedTest
    @MethodSource(DATABASES)
    void sendsEveryDueReplyAcrossSeveralBatches(String kind) throws SQLException {
        open(kind);
        long conversation = store.ingest(List.of(api("m-1", "alice", "help"))).get(0).receipt().conversationId();
        for (int i = 0; i < Outbox.BATCH + 5; i++) {
            store.queueReply(conversation, "reply " + i, "agent");
        }
        Sender api = new Sender("api");
        outbox.register(api);

        assertThat(outbox.deliverDue()).isEqualTo(Outbox.BATCH + 5);
        assertThat(api.received).hasSize(Outbox.BATCH + 5);
        assertThat(store.conversation(conversation).orElseThrow().replies())
                .allSatisfy(r -> assertThat(r.status()).isEqualTo(ReplyStatus.SENT));
    }

    @Test
    void backoffDoublesFromTheFirstWaitAndStopsAtTheLongest() {
        Outbox defaults = new Outbox(null, new Signal(), Duration.ofSeconds(1), Duration.ofSeconds(300));
        assertThat(List.of(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 100, Integer.MAX_VALUE).stream().map(defaults::backoff))
                .extracting(Duration::getSeconds)
                .containsExactly(1L, 2L, 4L, 8L, 16L, 32L, 64L, 128L, 256L, 300L, 300L, 300L);
        assertThat(defaults.backoff(0)).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void reasonIsTheFirstMessageInTheCauseChain() {
        assertThat(Outbox.reason(new IOException("refused"))).isEqualTo("refused");
        assertThat(Outbox.reason(new RuntimeException(new IOException("timed out")))).contains("timed out");
        assertThat(Outbox.reason(new IllegalStateException(null, new IOException("reset")))).isEqualTo("reset");
        assertThat(Outbox.reason(new NullPointerException())).isEqualTo("NullPointerException");
    }
}
