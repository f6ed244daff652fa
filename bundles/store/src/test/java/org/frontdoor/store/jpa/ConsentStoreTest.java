package org.frontdoor.store.jpa;

import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.frontdoor.api.ConversationEvent;
import org.frontdoor.api.Identity;
import org.frontdoor.api.Scope;
import org.frontdoor.api.Visibility;
import org.frontdoor.api.consent.Consent;
import org.frontdoor.api.consent.ConsentChange;
import org.frontdoor.api.consent.ConsentRefusedException;
import org.frontdoor.api.consent.ConsentSource;
import org.frontdoor.api.consent.Consents;
import org.frontdoor.api.inbox.IdentityView;
import org.frontdoor.api.inbox.ReplyRoute;
import org.frontdoor.api.inbox.ReplyStatus;
import org.frontdoor.api.inbox.ReplyView;
import org.frontdoor.store.Door;
import org.frontdoor.store.ReplyClaim;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Consent per identity, shared by the nodes of one database: two stores stand for two nodes. */
class ConsentStoreTest extends StoreTest {

    private static final Instant T0 = Instant.parse("2026-12-07T10:00:00Z");
    private static final Door DEMO = new Door("api", "demo");

    private static ConsentChange stop(String handle, Instant at, long messageId) {
        return new ConsentChange("api", handle, false, at, ConsentSource.KEYWORD, Long.toString(messageId), "STOP");
    }

    private static ConsentChange start(String handle, Instant at, long messageId) {
        return new ConsentChange("api", handle, true, at, ConsentSource.KEYWORD, Long.toString(messageId), "START");
    }

    private List<ReplyClaim> claim() {
        Instant now = Instant.now();
        return store.claimDueReplies(DEMO, NODE, "run-1/" + System.nanoTime(), now, now.plusSeconds(120), 10);
    }

    @ParameterizedTest
    @MethodSource("databases")
    void aStopRefusesRepliesBeforeTheyAreQueuedAndAStartLetsThemGo(String kind) throws SQLException {
        open(kind);
        Consents consents = new ConsentStore(db.dataSource);
        long conversation = conversationOf(message("m1", "alice", null, "STOP"));
        long messageId = scalar("SELECT MAX(id) FROM message");

        assertThat(consents.record(stop("alice", T0, messageId), "system")).isEqualTo(Consents.Outcome.CHANGED);

        assertThatThrownBy(() -> store.queueReply(Scope.ALL, conversation, "are you sure?", Visibility.PRIVATE, "jane"))
                .isInstanceOf(ConsentRefusedException.class)
                .hasMessageContaining("texted STOP on 2026-12-07 10:00 UTC (message " + messageId + ")")
                .hasMessageContaining("they must text START");
        assertThat(scalar("SELECT COUNT(*) FROM reply")).as("nothing stored").isZero();
        // through another door to the same address: refused too
        ReplyRoute via = new ReplyRoute("api", "demo", Identity.of("api", "alice"));
        assertThatThrownBy(() -> store.queueReply(Scope.ALL, conversation, "hi", Visibility.PRIVATE, "jane", via,
                false, null, null)).isInstanceOf(ConsentRefusedException.class);

        ConversationEvent changed = events().stream()
                .filter(e -> e.type() == ConversationEvent.Type.CONSENT_CHANGED).findFirst().orElseThrow();
        assertThat(changed.conversationId()).isEqualTo(conversation);
        assertThat(changed.itemId()).isEqualTo(messageId);
        assertThat(changed.detail()).startsWith("opted-out api alice");
        assertThat(scalar("SELECT COUNT(*) FROM audit_event WHERE action = 'consent.opted-out'")).isEqualTo(1);
        assertThat(store.customer(Scope.ALL, customerOf(conversation)).orElseThrow().identities())
                .extracting(IdentityView::consent).extracting(Consent::state).containsExactly("opted-out");
        assertDensePositions();

        assertThat(new ConsentStore(db.dataSource).record(start("alice", T0.plusSeconds(60), messageId + 1),
                "system")).isEqualTo(Consents.Outcome.CHANGED);
        ReplyView reply = store.queueReply(Scope.ALL, conversation, "welcome back", Visibility.PRIVATE, "jane");
        assertThat(claim()).extracting(ReplyClaim::replyId).containsExactly(reply.id());
        assertThat(consents.find("api", "alice")).hasValueSatisfying(c -> {
            assertThat(c.optedIn()).isTrue();
            assertThat(c.since()).isEqualTo(T0.plusSeconds(60));
            assertThat(c.refusal()).isNull();
        });
    }

    @ParameterizedTest
    @MethodSource("databases")
    void aReplyQueuedBeforeTheStopIsNotSentAndFailsWithTheReason(String kind) throws SQLException {
        open(kind);
        Consents consents = new ConsentStore(db.dataSource);
        long conversation = conversationOf(message("m1", "alice", null, "hello"));
        long bobs = conversationOf(message("m2", "bob", null, "hello"));
        ReplyView waiting = store.queueReply(Scope.ALL, conversation, "on it", Visibility.PRIVATE, "jane");
        ReplyView toBob = store.queueReply(Scope.ALL, bobs, "on it", Visibility.PRIVATE, "jane");

        consents.record(stop("alice", T0, 1), "system");

        ReplyView failed = reply(conversation, waiting.id());
        assertThat(failed.status()).isEqualTo(ReplyStatus.FAILED);
        assertThat(failed.lastError()).contains("texted STOP").contains("START");
        assertThat(eventTypes(conversation)).contains(ConversationEvent.Type.REPLY_FAILED,
                ConversationEvent.Type.CONSENT_CHANGED);
        assertThatThrownBy(() -> store.retryReply(Scope.ALL, waiting.id(), "jane"))
                .isInstanceOf(ConsentRefusedException.class).hasMessageContaining("texted STOP");
        assertThat(reply(conversation, waiting.id()).status()).isEqualTo(ReplyStatus.FAILED);
        // bob said nothing: his reply goes
        assertThat(claim()).extracting(ReplyClaim::replyId).containsExactly(toBob.id());
        assertDensePositions();
    }

    @ParameterizedTest
    @MethodSource("databases")
    void aReplyHeldByADoorWhenTheStopCameFailsWhenClaimedAgainNotSent(String kind) throws SQLException {
        open(kind);
        long conversation = conversationOf(message("m1", "alice", null, "hello"));
        ReplyView waiting = store.queueReply(Scope.ALL, conversation, "on it", Visibility.PRIVATE, "jane");
        ReplyClaim held = claim().get(0);
        new ConsentStore(db.dataSource).record(stop("alice", T0, 1), "system");
        assertThat(reply(conversation, waiting.id()).status())
                .as("the door holding it decides").isEqualTo(ReplyStatus.QUEUED);

        store.releaseClaims(List.of(held)); // the door stopped before sending it
        assertThat(claim()).as("claimed again: not handed to the door").isEmpty();
        ReplyView failed = reply(conversation, waiting.id());
        assertThat(failed.status()).isEqualTo(ReplyStatus.FAILED);
        assertThat(failed.lastError()).contains("texted STOP");
        assertDensePositions();
    }

    @ParameterizedTest
    @MethodSource("databases")
    void theLatestStatementByTimeWinsWhateverOrderTheyAreRecordedIn(String kind) throws SQLException {
        open(kind);
        Consents consents = new ConsentStore(db.dataSource);
        conversationOf(message("m1", "alice", null, "hello"));

        assertThat(consents.record(start("alice", T0.plusSeconds(10), 2), "system"))
                .as("nothing recorded yet counts as opted in").isEqualTo(Consents.Outcome.CONFIRMED);
        assertThat(consents.record(stop("alice", T0, 1), "system")).as("older than the START")
                .isEqualTo(Consents.Outcome.OUTDATED);
        assertThat(consents.find("api", "alice").orElseThrow().optedIn()).isTrue();
        assertThat(consents.record(stop("alice", T0.plusSeconds(20), 3), "system")).isEqualTo(Consents.Outcome.CHANGED);
        assertThat(consents.record(stop("alice", T0.plusSeconds(30), 4), "system"))
                .isEqualTo(Consents.Outcome.CONFIRMED);
        assertThat(consents.record(start("alice", T0.plusSeconds(25), 5), "system"))
                .as("older than the latest STOP, newer than the first").isEqualTo(Consents.Outcome.OUTDATED);
        assertThat(consents.record(start("alice", T0.plusSeconds(30), 6), "system"))
                .as("at the same instant an opt-out wins").isEqualTo(Consents.Outcome.OUTDATED);
        Consent now = consents.find("api", "alice").orElseThrow();
        assertThat(now.optedIn()).isFalse();
        assertThat(now.since()).as("since the first STOP of the run").isEqualTo(T0.plusSeconds(20));
        assertThat(now.reference()).isEqualTo("3");
        assertThat(events().stream().filter(e -> e.type() == ConversationEvent.Type.CONSENT_CHANGED)).hasSize(1);
    }

    @ParameterizedTest
    @MethodSource("databases")
    void twoNodesRacingStopsAndStartsLoseNoUpdate(String kind) throws Exception {
        open(kind);
        Consents one = new ConsentStore(db.dataSource);
        Consents two = new ConsentStore(db.dataSource);
        conversationOf(message("m1", "alice", null, "hello"));
        List<ConsentChange> statements = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            ConsentChange c = i % 2 == 0 ? stop("alice", T0.plusSeconds(i), i) : start("alice", T0.plusSeconds(i), i);
            statements.add(c);
        }
        Collections.shuffle(statements, new Random(7));
        ConsentChange last = statements.stream().max(java.util.Comparator.comparing(ConsentChange::at)).orElseThrow();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Consents.Outcome>> done = new ArrayList<>();
            for (int i = 0; i < statements.size(); i++) {
                Consents node = i % 2 == 0 ? one : two;
                ConsentChange c = statements.get(i);
                done.add(pool.submit(() -> node.record(c, "system")));
            }
            for (Future<Consents.Outcome> f : done) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        Consent recorded = one.find("api", "alice").orElseThrow();
        assertThat(recorded.optedIn()).as("the latest by time wins").isEqualTo(last.optedIn());
        // since and reference name the first statement of the current run as the statements arrived: the latest's own,
        // or an earlier one of the same state when the opposite one between them came after the latest (outdated then)
        assertThat(recorded.since()).isBeforeOrEqualTo(last.at());
        assertThat(statements).filteredOn(c -> c.reference().equals(recorded.reference()))
                .singleElement().satisfies(c -> assertThat(c.optedIn()).isEqualTo(last.optedIn()));
        assertThat(scalar("SELECT COUNT(*) FROM identity_consent")).isEqualTo(1);
        assertDensePositions();
    }

    @ParameterizedTest
    @MethodSource("databases")
    void anAdminRecordsConsentByHandWithAReasonAndBadStatementsStoreNothing(String kind) throws SQLException {
        open(kind);
        Consents consents = new ConsentStore(db.dataSource);
        long conversation = conversationOf(message("m1", "alice", null, "hello"));
        assertThatThrownBy(() -> new ConsentChange("api", "alice", false, T0, ConsentSource.AGENT, "admin", " "))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("reason");
        assertThatThrownBy(() -> new ConsentChange("api", " ", false, T0, ConsentSource.KEYWORD, null, null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ConsentChange("api", "alice", false, T0, ConsentSource.IMPORT, null,
                "x".repeat(Consents.MAX_REASON + 1))).isInstanceOf(IllegalArgumentException.class);
        assertThat(scalar("SELECT COUNT(*) FROM identity_consent")).isZero();

        consents.record(new ConsentChange("api", "alice", false, T0, ConsentSource.AGENT, "admin",
                "asked by phone not to be written to"), "admin");
        assertThatThrownBy(() -> store.queueReply(Scope.ALL, conversation, "hi", Visibility.PRIVATE, "jane"))
                .isInstanceOf(ConsentRefusedException.class)
                .hasMessage("admin recorded on 2026-12-07 10:00 UTC that api alice opted out (asked by phone not to "
                        + "be written to); nothing is sent to them until they opt in again");
        assertThat(text("SELECT actor FROM audit_event WHERE action = 'consent.opted-out'")).isEqualTo("admin");
        assertThat(consents.findAll("api", List.of("alice", "bob"))).extracting(Consent::handle)
                .containsExactly("alice");
        assertThat(consents.find("api", "bob")).isEmpty();
    }

    private ReplyView reply(long conversation, long id) {
        return store.conversation(Scope.ALL, conversation).orElseThrow().replies().stream()
                .filter(r -> r.id() == id).findFirst().orElseThrow();
    }

    private long customerOf(long conversation) throws SQLException {
        return scalar("SELECT customer_id FROM conversation WHERE id = " + conversation);
    }
}
