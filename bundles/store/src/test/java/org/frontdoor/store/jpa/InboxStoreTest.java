package org.frontdoor.store.jpa;

import java.sql.SQLException;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Set;

import org.frontdoor.api.ConversationEvent;
import org.frontdoor.api.EventFilter;
import org.frontdoor.api.ConversationEvent.Type;
import org.frontdoor.api.Scope;
import org.frontdoor.api.Visibility;
import org.frontdoor.api.inbox.ConversationQuery;
import org.frontdoor.api.inbox.ConversationStatus;
import org.frontdoor.api.inbox.ConversationSummary;
import org.frontdoor.api.inbox.EventPage;
import org.frontdoor.api.inbox.Page;
import org.frontdoor.api.inbox.ReplyStatus;
import org.frontdoor.api.inbox.ReplyView;
import org.frontdoor.store.Ingested;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The agents' reads and changes: scopes, compare-and-set, events and audit. */
class InboxStoreTest extends StoreTest {

    private static final Scope SALES = Scope.departments(Set.of("sales"));

    @ParameterizedTest
    @MethodSource("databases")
    void listsNewestActivityFirstWithTotalAndPaging(String kind) throws SQLException {
        open(kind);
        for (int i = 0; i < 5; i++) {
            ingest(message("p-" + i, "customer-" + i, null, "text " + i));
        }
        ingest(message("p-again", "customer-1", null, "newest"));

        Page<ConversationSummary> first = store.conversations(Scope.ALL, new ConversationQuery(null, null, "api", 0, 2));
        Page<ConversationSummary> second = store.conversations(Scope.ALL, new ConversationQuery(null, null, "api", 2, 2));
        assertThat(first.total()).isEqualTo(5);
        assertThat(first.items()).extracting(ConversationSummary::preview).containsExactly("newest", "text 4");
        assertThat(second.items()).extracting(ConversationSummary::preview).containsExactly("text 3", "text 2");
        assertThat(store.conversations(Scope.ALL, new ConversationQuery(null, null, "email", 0, 2)).total()).isZero();
    }

    /** A caller sees only what its departments have: the rest is as if it did not exist. */
    @ParameterizedTest
    @MethodSource("databases")
    void aScopedCallerSeesAndChangesOnlyItsDepartmentsConversations(String kind) throws SQLException {
        open(kind);
        List<Ingested> in = ingest(message("1", "alice", null, "buy"), message("2", "bob", null, "broken"),
                message("3", "carol", null, "not routed yet"));
        long sales = in.get(0).receipt().conversationId();
        long support = in.get(1).receipt().conversationId();
        long unrouted = in.get(2).receipt().conversationId();
        List<org.frontdoor.store.PendingRoute> claimed = store.claimConversationsToRoute(NODE,
                java.time.Instant.now().plusSeconds(60), 2);
        store.routed(NODE, List.of(
                new org.frontdoor.store.RouteResult(sales, new org.frontdoor.api.RoutingDecision("sales", 0, null, "r"),
                        java.util.Map.of(), 0),
                new org.frontdoor.store.RouteResult(support,
                        new org.frontdoor.api.RoutingDecision("support", 0, null, "r"), java.util.Map.of(), 0)));
        assertThat(claimed).hasSize(2);

        assertThat(store.conversations(SALES, ConversationQuery.firstPage(50)).items()).extracting(ConversationSummary::id)
                .containsExactly(sales);
        assertThat(store.conversations(Scope.ALL, ConversationQuery.firstPage(50)).total()).isEqualTo(3);
        assertThat(store.conversations(Scope.departments(Set.of()), ConversationQuery.firstPage(50)).total()).isZero();
        assertThat(store.conversation(SALES, sales)).isPresent();
        assertThat(store.conversation(SALES, support)).isEmpty();
        assertThat(store.conversation(SALES, unrouted)).as("not routed: only for the scope of everything").isEmpty();
        assertThat(store.customer(SALES, in.get(0).receipt().customerId())).isPresent();
        assertThat(store.customer(SALES, in.get(1).receipt().customerId())).isEmpty();
        assertThat(store.replyTarget(SALES, support)).isEmpty();
        assertThatThrownBy(() -> store.queueReply(SALES, support, "hi", Visibility.PRIVATE, "jane"))
                .isInstanceOf(NoSuchElementException.class);
        assertThatThrownBy(() -> store.resolve(SALES, support, "jane")).isInstanceOf(NoSuchElementException.class);
        assertThatThrownBy(() -> store.assign(SALES, support, "jane", "jane")).isInstanceOf(NoSuchElementException.class);

        EventPage page = store.events(SALES, 0, 100, EventFilter.ALL);
        assertThat(page.events()).extracting(ConversationEvent::conversationId).containsOnly(sales);
        assertThat(page.next()).as("read up to the head, events of others passed over").isEqualTo(store.head());
        assertThat(store.events(Scope.ALL, 0, 100, EventFilter.ALL).events()).hasSize((int) store.head());
    }

    /**
     * An agent reopens a resolved conversation into its department's queue (or to the agent who had it), and a snoozed
     * one at once; an open one, or one outside the scope, is refused and nothing is written.
     */
    @ParameterizedTest
    @MethodSource("databases")
    void reopenBringsAResolvedOrSnoozedConversationBackAsItWasWithEventAndAudit(String kind) throws SQLException {
        open(kind);
        long queued = conversationOf(message("1", "alice", null, "help"));
        long assigned = conversationOf(message("2", "bob", null, "help too"));
        routeAll("support");
        store.assign(Scope.ALL, assigned, "jane", "jane");
        assertThatThrownBy(() -> store.reopen(Scope.ALL, queued, "sam")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("open already (queued)");
        store.resolve(Scope.ALL, queued, "sam");
        store.resolve(Scope.ALL, assigned, "jane");
        long before = store.head();
        assertThatThrownBy(() -> store.reopen(SALES, queued, "sam")).isInstanceOf(NoSuchElementException.class);
        assertThat(store.head()).as("nothing written for a refusal").isEqualTo(before);

        ConversationSummary back = store.reopen(Scope.ALL, queued, "sam");
        ConversationSummary withJane = store.reopen(Scope.ALL, assigned, "sam");
        store.snooze(Scope.ALL, queued, java.time.Instant.now().plusSeconds(3600), "sam");
        ConversationSummary woken = store.reopen(Scope.ALL, queued, "sam");

        assertThat(back.status()).isEqualTo(ConversationStatus.QUEUED);
        assertThat(back.department()).isEqualTo("support");
        assertThat(withJane.status()).isEqualTo(ConversationStatus.ASSIGNED);
        assertThat(withJane.assignee()).isEqualTo("jane");
        assertThat(woken.status()).isEqualTo(ConversationStatus.QUEUED);
        assertThatThrownBy(() -> store.reopen(Scope.ALL, queued, "sam")).isInstanceOf(IllegalStateException.class);
        assertThat(eventTypes(queued)).endsWith(Type.RESOLVED, Type.REOPENED, Type.SNOOZED, Type.UNSNOOZED);
        ConversationEvent reopened = events().stream().filter(e -> e.type() == Type.REOPENED
                && e.conversationId() == assigned).findFirst().orElseThrow();
        assertThat(reopened.actor()).isEqualTo("sam");
        assertThat(reopened.detail()).isEqualTo("reopened by sam; with jane");
        assertThat(scalar("SELECT COUNT(*) FROM audit_event WHERE actor = 'sam' AND action IN "
                + "('conversation.reopened', 'conversation.unsnoozed')")).isEqualTo(3);
        assertDensePositions();
    }

    /** A conversation resolved before it was routed goes back to routing when reopened. */
    @ParameterizedTest
    @MethodSource("databases")
    void anUnroutedResolvedConversationReopensToBeRouted(String kind) throws SQLException {
        open(kind);
        long id = conversationOf(message("1", "alice", null, "help"));
        store.resolve(Scope.ALL, id, "sam");

        assertThat(store.reopen(Scope.ALL, id, "sam").status()).isEqualTo(ConversationStatus.NEW);
        routeAll("support");
        assertThat(store.conversation(Scope.ALL, id).orElseThrow().summary().status())
                .isEqualTo(ConversationStatus.QUEUED);
    }

    /** Routing and transfers record the departments they name: those are the departments seen. */
    @ParameterizedTest
    @MethodSource("databases")
    void theDepartmentsSeenAreThoseRoutingAndTransfersNamed(String kind) throws SQLException {
        open(kind);
        assertThat(store.departments()).isEmpty();
        long id = conversationOf(message("1", "alice", null, "help"));
        routeAll("support");
        store.transfer(Scope.ALL, id, "billing", "sam");

        assertThat(store.departments()).containsExactly("billing", "support");
    }

    @ParameterizedTest
    @MethodSource("databases")
    void assignTransferAndResolveAreCompareAndSetOnTheStatusWithEventsAndAudit(String kind) throws SQLException {
        open(kind);
        long id = conversationOf(message("1", "alice", null, "help"));
        assertThatThrownBy(() -> store.assign(Scope.ALL, id, "jane", "sam")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("not routed yet");
        routeAll("support");

        ConversationSummary assigned = store.assign(Scope.ALL, id, "jane", "sam");
        assertThat(assigned.status()).isEqualTo(ConversationStatus.ASSIGNED);
        assertThat(assigned.assignee()).isEqualTo("jane");
        store.assign(Scope.ALL, id, "jane", "sam"); // again: nothing changes, no second event
        ConversationSummary moved = store.transfer(Scope.ALL, id, "billing", "sam");
        assertThat(moved.status()).isEqualTo(ConversationStatus.QUEUED);
        assertThat(moved.department()).isEqualTo("billing");
        assertThat(moved.assignee()).isNull();
        assertThatThrownBy(() -> store.transfer(Scope.ALL, id, "billing", "sam"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("in billing already");
        ConversationSummary done = store.resolve(Scope.ALL, id, "sam");
        assertThat(done.status()).isEqualTo(ConversationStatus.RESOLVED);
        assertThatThrownBy(() -> store.resolve(Scope.ALL, id, "sam")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("resolved already");
        assertThatThrownBy(() -> store.assign(Scope.ALL, id, "jane", "sam")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("resolved");

        assertThat(eventTypes(id)).containsExactly(Type.CREATED, Type.MESSAGE_ADDED, Type.ROUTED, Type.ASSIGNED,
                Type.TRANSFERRED, Type.RESOLVED);
        ConversationEvent transferred = events().stream().filter(e -> e.type() == Type.TRANSFERRED).findFirst()
                .orElseThrow();
        assertThat(transferred.department()).isEqualTo("billing");
        assertThat(transferred.detail()).isEqualTo("from support");
        assertThat(transferred.actor()).isEqualTo("sam");
        assertThat(scalar("SELECT COUNT(*) FROM audit_event WHERE subject_id = " + id + " AND action IN "
                + "('conversation.created', 'conversation.routed', 'conversation.assigned', "
                + "'conversation.transferred', 'conversation.resolved')")).isEqualTo(5);
        assertDensePositions();
    }

    @ParameterizedTest
    @MethodSource("databases")
    void theReadMarkMovesForwardOnlyToAMessageOfTheConversationWithAReadEvent(String kind) throws SQLException {
        open(kind);
        long id = conversationOf(message("1", "alice", "t", "help"));
        long other = conversationOf(message("9", "bob", null, "another"));
        ingest(message("2", "alice", "t", "still there?"));
        routeAll("support");
        List<Long> messages = store.conversation(Scope.ALL, id).orElseThrow().messages().stream()
                .map(org.frontdoor.api.inbox.MessageView::id).toList();
        assertThat(messages).hasSize(2);
        long otherMessage = store.conversation(Scope.ALL, other).orElseThrow().messages().get(0).id();
        assertThat(store.conversation(Scope.ALL, id).orElseThrow().readUpTo()).isZero();

        assertThat(store.markRead(Scope.ALL, id, messages.get(0), "jane")).isEqualTo(messages.get(0));
        assertThat(store.conversation(Scope.ALL, id).orElseThrow().readUpTo()).isEqualTo(messages.get(0));
        assertThat(store.markRead(Scope.ALL, id, 0, "jane")).as("0: the latest").isEqualTo(messages.get(1));
        assertThat(store.markRead(Scope.ALL, id, messages.get(0), "sam")).as("never back").isEqualTo(messages.get(1));
        assertThat(store.markRead(Scope.ALL, id, 0, "sam")).as("nothing new: no event").isEqualTo(messages.get(1));
        assertThatThrownBy(() -> store.markRead(Scope.ALL, id, otherMessage, "jane"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("is not one of conversation " + id);
        assertThatThrownBy(() -> store.markRead(SALES, id, 0, "jane")).isInstanceOf(NoSuchElementException.class);

        List<ConversationEvent> reads = events().stream().filter(e -> e.type() == Type.READ).toList();
        assertThat(reads).extracting(ConversationEvent::itemId).containsExactly(messages.get(0), messages.get(1));
        assertThat(reads).extracting(ConversationEvent::actor).containsOnly("jane");
        assertThat(reads.get(0).department()).isEqualTo("support");
        assertThat(scalar("SELECT COUNT(*) FROM audit_event WHERE subject_id = " + id
                + " AND action = 'conversation.read'")).isEqualTo(2);
        assertDensePositions();
    }

    @ParameterizedTest
    @MethodSource("databases")
    void typingIsASignalOutsideTheEventLogAndChangesNothingElse(String kind) throws SQLException {
        open(kind);
        long id = conversationOf(message("1", "alice", null, "help"));
        routeAll("support");
        ConversationSummary before = store.conversation(Scope.ALL, id).orElseThrow().summary();

        java.time.Instant before3s = java.time.Instant.now().minusSeconds(3);
        assertThat(store.typing(Scope.ALL, id, "jane", before3s)).isTrue();
        assertThat(store.typing(Scope.ALL, id, "jane", before3s)).as("one there since: from any node").isFalse();
        assertThat(store.typing(Scope.ALL, id, "joe", before3s)).as("another agent").isTrue();
        assertThat(store.typing(Scope.ALL, id, "jane", java.time.Instant.now().plusSeconds(1)))
                .as("the window passed").isTrue();

        assertThat(eventTypes(id)).as("no entry in the event log").doesNotContain(Type.TYPING);
        List<ConversationEvent> typing = store.typingSince(java.time.Instant.now().minusSeconds(60));
        assertThat(typing).extracting(ConversationEvent::actor).containsExactlyInAnyOrder("jane", "joe");
        assertThat(typing).allSatisfy(t -> {
            assertThat(t.type()).isEqualTo(Type.TYPING);
            assertThat(t.position()).isZero();
            assertThat(t.conversationId()).isEqualTo(id);
            assertThat(t.department()).isEqualTo("support");
        });
        assertThat(store.forgetTypingBefore(java.time.Instant.now().plusSeconds(1))).isEqualTo(2);
        assertThat(store.typingSince(java.time.Instant.now().minusSeconds(60))).isEmpty();
        assertThat(store.conversation(Scope.ALL, id).orElseThrow().summary()).isEqualTo(before);
        assertThatThrownBy(() -> store.typing(SALES, id, "jane", before3s)).isInstanceOf(NoSuchElementException.class);
        store.resolve(Scope.ALL, id, "jane");
        assertThatThrownBy(() -> store.typing(Scope.ALL, id, "jane", before3s)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("resolved");
        assertDensePositions();
    }

    @ParameterizedTest
    @MethodSource("databases")
    void queuesARepliedEventAndMovesTheActivityForwardOnly(String kind) throws SQLException {
        open(kind);
        long id = conversationOf(message("1", "alice", "t", "help"));
        routeAll("support");

        ReplyView reply = store.queueReply(Scope.ALL, id, "We are on it", Visibility.PUBLIC, "jane");

        assertThat(reply.status()).isEqualTo(ReplyStatus.QUEUED);
        assertThat(reply.visibility()).isEqualTo(Visibility.PUBLIC);
        ConversationEvent replied = events().get(events().size() - 1);
        assertThat(replied.type()).isEqualTo(Type.REPLIED);
        assertThat(replied.itemId()).isEqualTo(reply.id());
        assertThat(replied.department()).isEqualTo("support");
        assertThat(replied.actor()).isEqualTo("jane");
        ConversationSummary summary = store.conversation(Scope.ALL, id).orElseThrow().summary();
        assertThat(summary.lastActivityAt()).isAfterOrEqualTo(summary.createdAt());
        assertThat(summary.status()).as("a reply leaves the status alone").isEqualTo(ConversationStatus.QUEUED);
        assertThat(store.replyTarget(Scope.ALL, id).orElseThrow().latestVisibility()).isEqualTo(Visibility.PRIVATE);
    }

    @ParameterizedTest
    @MethodSource("databases")
    void refusesRepliesToMissingConversationsAndEmptyText(String kind) throws SQLException {
        open(kind);
        assertThatThrownBy(() -> store.queueReply(Scope.ALL, 424242, "hi", Visibility.PRIVATE, "agent"))
                .isInstanceOf(NoSuchElementException.class).hasMessageContaining("424242");
        long conversation = conversationOf(message("e-1", "alice", null, "x"));
        assertThatThrownBy(() -> store.queueReply(Scope.ALL, conversation, "  ", Visibility.PRIVATE, "agent"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("empty");
        assertThat(store.conversation(Scope.ALL, 424242)).isEmpty();
        assertThat(store.customer(Scope.ALL, 424242)).isEmpty();
        assertThatThrownBy(() -> store.retryReply(Scope.ALL, 424242, "agent")).isInstanceOf(NoSuchElementException.class);
    }
}
