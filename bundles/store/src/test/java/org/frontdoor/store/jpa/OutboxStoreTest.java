package org.frontdoor.store.jpa;

import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Set;

import org.frontdoor.api.ConversationEvent.Type;
import org.frontdoor.api.OutboundReply;
import org.frontdoor.api.Scope;
import org.frontdoor.api.Visibility;
import org.frontdoor.api.inbox.ReplyStatus;
import org.frontdoor.api.inbox.ReplyView;
import org.frontdoor.store.Door;
import org.frontdoor.store.ReplyClaim;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Reply delivery's transactions: claims per door, order per conversation, outcomes. */
class OutboxStoreTest extends StoreTest {

    private static final Door DEMO = new Door("api", "demo");

    private int tokens;

    private List<ReplyClaim> claims(String node, Instant now) {
        return store.claimDueReplies(DEMO, node, "run-1/" + ++tokens, now, now.plusSeconds(120), 10);
    }

    private List<OutboundReply> claim(String node, Instant now) {
        return claims(node, now).stream().map(ReplyClaim::reply).toList();
    }

    private ReplyClaim only(List<ReplyClaim> claims) {
        assertThat(claims).hasSize(1);
        return claims.get(0);
    }

    private ReplyView reply(long conversation) {
        return store.conversation(Scope.ALL, conversation).orElseThrow().replies().get(0);
    }

    @ParameterizedTest
    @MethodSource("databases")
    void keepsRepliesInTheOutboxUntilSentAndShowsWhyTheyFailed(String kind) throws SQLException {
        open(kind);
        long conversation = conversationOf(message("x-1", "alice", "t-9", "help"));
        ReplyView queued = store.queueReply(Scope.ALL, conversation, "We are on it", Visibility.PRIVATE, "agent-smith");

        assertThat(store.doorsWithDueReplies(Set.of("email"), Instant.now())).isEmpty();
        assertThat(store.doorsWithDueReplies(Set.of("api"), Instant.now())).containsExactly(DEMO);
        List<ReplyClaim> claims = claims(NODE, Instant.now());
        List<OutboundReply> claimed = claims.stream().map(ReplyClaim::reply).toList();
        assertThat(claimed).singleElement().satisfies(r -> {
            assertThat(r.replyId()).isEqualTo(queued.id());
            assertThat(r.recipient().handle()).isEqualTo("alice");
            assertThat(r.threadRef()).isEqualTo("t-9");
            assertThat(r.inReplyTo()).isEqualTo("x-1");
            assertThat(r.instance()).isEqualTo("demo");
            assertThat(r.visibility()).isEqualTo(Visibility.PRIVATE);
            assertThat(r.attempt()).isEqualTo(1);
        });
        assertThat(claim("node-b", Instant.now())).as("claimed by another node").isEmpty();

        Instant later = Instant.now().plusSeconds(60);
        assertThat(store.replyFailed(only(claims), "the callback peer answered 500", later, 10)).isTrue();
        assertThat(claim(NODE, Instant.now())).as("not due yet").isEmpty();
        assertThat(reply(conversation).status()).isEqualTo(ReplyStatus.RETRYING);
        assertThat(reply(conversation).lastError()).isEqualTo("the callback peer answered 500");
        assertThat(reply(conversation).attempts()).isEqualTo(1);

        ReplyClaim again = only(claims("node-b", later.plusSeconds(1)));
        assertThat(again.reply().attempt()).as("due again, and its claim was let go").isEqualTo(2);
        assertThat(store.replySent(again, Instant.now())).isTrue();
        ReplyView sent = reply(conversation);
        assertThat(sent.status()).isEqualTo(ReplyStatus.SENT);
        assertThat(sent.attempts()).isEqualTo(2);
        assertThat(sent.sentAt()).isNotNull();
        assertThat(sent.lastError()).as("a sent reply shows no stale error").isNull();
        assertThat(claim(NODE, later.plusSeconds(1))).isEmpty();
        assertThat(eventTypes(conversation)).endsWith(Type.REPLIED, Type.REPLY_SENT);
    }

    /** A conversation's replies leave in the order they were written: the next waits while an older one is pending. */
    @ParameterizedTest
    @MethodSource("databases")
    void claimsOneReplyPerConversationOldestFirst(String kind) throws SQLException {
        open(kind);
        long a = conversationOf(message("a", "alice", null, "x"));
        long b = conversationOf(message("b", "bob", null, "y"));
        ReplyView a1 = store.queueReply(Scope.ALL, a, "first to alice", Visibility.PRIVATE, "jane");
        ReplyView a2 = store.queueReply(Scope.ALL, a, "second to alice", Visibility.PRIVATE, "jane");
        ReplyView b1 = store.queueReply(Scope.ALL, b, "to bob", Visibility.PRIVATE, "jane");

        List<ReplyClaim> first = claims(NODE, Instant.now());
        assertThat(first).extracting(ReplyClaim::replyId).containsExactly(a1.id(), b1.id());
        store.replyFailed(first.get(0), "timed out", Instant.now().plusSeconds(30), 10);
        assertThat(claim(NODE, Instant.now())).as("a1 is retrying: a2 waits behind it").isEmpty();
        ReplyClaim retry = only(claims(NODE, Instant.now().plusSeconds(31)));
        store.replyRefused(retry, "the customer blocked the account");
        assertThat(claim(NODE, Instant.now())).as("a1 failed for good: a2 goes").extracting(OutboundReply::replyId)
                .containsExactly(a2.id());
    }

    @ParameterizedTest
    @MethodSource("databases")
    void aRefusedReplyFailsAtOnceAndAnAgentMaySendItAgain(String kind) throws SQLException {
        open(kind);
        long conversation = conversationOf(message("x", "alice", null, "help"));
        ReplyView queued = store.queueReply(Scope.ALL, conversation, "hello", Visibility.PRIVATE, "jane");
        ReplyClaim claim = only(claims(NODE, Instant.now()));

        store.replyRefused(claim, "the customer blocked the account");

        ReplyView failed = reply(conversation);
        assertThat(failed.status()).isEqualTo(ReplyStatus.FAILED);
        assertThat(failed.lastError()).isEqualTo("the customer blocked the account");
        assertThat(failed.nextAttemptAt()).isNull();
        assertThat(claim(NODE, Instant.now())).isEmpty();
        assertThat(events().get(events().size() - 1).type()).isEqualTo(Type.REPLY_FAILED);
        assertThat(events().get(events().size() - 1).detail()).isEqualTo("the customer blocked the account");

        ReplyView again = store.retryReply(Scope.ALL, queued.id(), "jane");
        assertThat(again.status()).isEqualTo(ReplyStatus.QUEUED);
        assertThat(again.attempts()).isZero();
        assertThat(claim(NODE, Instant.now())).extracting(OutboundReply::replyId).containsExactly(queued.id());
        assertThatThrownBy(() -> store.retryReply(Scope.ALL, queued.id(), "jane"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("only a failed reply");
        assertThat(scalar("SELECT COUNT(*) FROM audit_event WHERE action = 'reply.retried'")).isEqualTo(1);
    }

    @ParameterizedTest
    @MethodSource("databases")
    void aReplyIsGivenUpAfterItsDoorsAttempts(String kind) throws SQLException {
        open(kind);
        long conversation = conversationOf(message("x", "alice", null, "help"));
        ReplyView queued = store.queueReply(Scope.ALL, conversation, "hello", Visibility.PRIVATE, "jane");

        for (int attempt = 1; attempt <= 3; attempt++) {
            store.replyFailed(only(claims(NODE, Instant.now().plusSeconds(attempt))), "the peer answered 503",
                    Instant.now(), 3);
        }

        ReplyView failed = reply(conversation);
        assertThat(failed.status()).isEqualTo(ReplyStatus.FAILED);
        assertThat(failed.attempts()).isEqualTo(3);
        assertThat(failed.lastError()).isEqualTo("gave up after 3 attempts: the peer answered 503");
        assertThat(eventTypes(conversation)).filteredOn(t -> t == Type.REPLY_FAILED).hasSize(1);
    }

    /** Only claims whose send never started are let go: one in flight stays with its node. */
    @ParameterizedTest
    @MethodSource("databases")
    void aStoppingNodeLetsGoOfTheClaimsItDidNotStart(String kind) throws SQLException {
        open(kind);
        store.queueReply(Scope.ALL, conversationOf(message("x", "alice", null, "help")), "hello", Visibility.PRIVATE,
                "jane");
        store.queueReply(Scope.ALL, conversationOf(message("y", "bob", null, "help")), "hello", Visibility.PRIVATE,
                "jane");
        List<ReplyClaim> claimed = claims(NODE, Instant.now());
        assertThat(claimed).hasSize(2);

        store.releaseClaims(List.of(claimed.get(1)));

        assertThat(claim("node-b", Instant.now())).extracting(OutboundReply::replyId)
                .containsExactly(claimed.get(1).replyId());
    }

    /**
     * A node whose claim ran out and was taken by another can neither renew it nor record an outcome. Fails on main:
     * there the former holder's outcome was recorded over the new holder's claim.
     */
    @ParameterizedTest
    @MethodSource("databases")
    void anOutcomeFromAFormerClaimHolderIsRefused(String kind) throws SQLException {
        open(kind);
        long conversation = conversationOf(message("x", "alice", null, "help"));
        store.queueReply(Scope.ALL, conversation, "hello", Visibility.PRIVATE, "jane");
        ReplyClaim lapsed = only(claims(NODE, Instant.now()));
        ReplyClaim taken = only(claims("node-b", lapsed.until().plusSeconds(1)));
        ReplyClaim sameNodeAgain = new ReplyClaim(lapsed.reply(), NODE, "run-2/1", lapsed.until());

        assertThat(store.renewClaim(lapsed, Instant.now().plusSeconds(600))).isFalse();
        assertThat(store.replySent(lapsed, Instant.now())).isFalse();
        assertThat(store.replyFailed(lapsed, "the peer answered 500", Instant.now(), 10)).isFalse();
        assertThat(store.replyRefused(lapsed, "refused")).isFalse();
        assertThat(store.replySent(sameNodeAgain, Instant.now())).as("same node, other claim").isFalse();
        assertThat(reply(conversation).status()).isEqualTo(ReplyStatus.QUEUED);
        assertThat(reply(conversation).attempts()).isZero();

        assertThat(store.renewClaim(taken, taken.until().plusSeconds(60))).isTrue();
        assertThat(store.replySent(taken, Instant.now())).isTrue();
        assertThat(reply(conversation).status()).isEqualTo(ReplyStatus.SENT);
        assertThat(eventTypes(conversation)).filteredOn(t -> t == Type.REPLY_SENT).hasSize(1);
    }

    /** A restarted node takes back at once what its earlier run held, not what its current run holds. */
    @ParameterizedTest
    @MethodSource("databases")
    void aRestartedNodeTakesBackTheClaimsOfItsEarlierRun(String kind) throws SQLException {
        open(kind);
        store.queueReply(Scope.ALL, conversationOf(message("x", "alice", null, "help")), "hello", Visibility.PRIVATE,
                "jane");
        store.queueReply(Scope.ALL, conversationOf(message("y", "bob", null, "help")), "hello", Visibility.PRIVATE,
                "jane");
        Instant now = Instant.now();
        ReplyClaim earlier = store.claimDueReplies(DEMO, NODE, "run_1/a", now, now.plusSeconds(300), 1).get(0);
        ReplyClaim current = store.claimDueReplies(DEMO, NODE, "run_2/a", now, now.plusSeconds(300), 1).get(0);
        store.claimDueReplies(DEMO, "node-b", "run_0/a", now, now.plusSeconds(300), 1);

        assertThat(store.takeBackClaims(NODE, "run_2/")).isEqualTo(1);

        assertThat(claim(NODE, now)).extracting(OutboundReply::replyId).containsExactly(earlier.replyId())
                .doesNotContain(current.replyId());
    }
}
