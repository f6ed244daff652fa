package org.frontdoor.store.jpa;

import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.frontdoor.api.Annotation;
import org.frontdoor.api.ConversationEvent;
import org.frontdoor.api.RoutingDecision;
import org.frontdoor.api.Scope;
import org.frontdoor.api.inbox.ConversationQuery;
import org.frontdoor.api.inbox.ConversationQuery.Sort;
import org.frontdoor.api.inbox.ConversationStatus;
import org.frontdoor.api.inbox.ConversationSummary;
import org.frontdoor.api.inbox.InboxCounts;
import org.frontdoor.api.inbox.SlaState;
import org.frontdoor.store.PendingRoute;
import org.frontdoor.store.RouteResult;
import org.frontdoor.store.SlaStore;
import org.frontdoor.store.SlaStore.Kind;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;

/** The inbox's views: filters, the urgency order, counts per view and SLA states, all within the caller's scope. */
class InboxViewsTest extends StoreTest {

    private static final Scope SALES = Scope.departments(Set.of("sales"));
    private static final Instant NOW = Instant.now();

    private long breached;
    private long atRisk;
    private long important;
    private long resolved;
    private long otherDepartment;

    /**
     * In sales: one breached (priority 0, tagged sentiment=negative), one at risk (priority 2), one of priority 5
     * assigned to jane, one resolved whose timer had breached; in support: one breached of priority 9.
     */
    private void fiveConversations() {
        breached = conversationOf(message("b", "bea", null, "angry").toBuilder()
                .annotations(List.of(new Annotation("sentiment", "negative", 0.9))).build());
        atRisk = conversationOf(message("r", "rob", null, "waiting"));
        important = conversationOf(message("i", "ivy", null, "important"));
        resolved = conversationOf(message("d", "dan", null, "done"));
        otherDepartment = conversationOf(message("o", "oz", null, "elsewhere"));
        Map<Long, RoutingDecision> where = Map.of(breached, new RoutingDecision("sales", 0, null, "t", null),
                atRisk, new RoutingDecision("sales", 2, null, "t", null),
                important, new RoutingDecision("sales", 5, null, "t", null),
                resolved, new RoutingDecision("sales", 0, null, "t", null),
                otherDepartment, new RoutingDecision("support", 9, null, "t", null));
        List<PendingRoute> pending = store.claimConversationsToRoute(NODE, Instant.now().plusSeconds(60), 10);
        store.routed(NODE, pending.stream().map(p -> new RouteResult(p.conversationId(),
                where.get(p.conversationId()), Map.of(), 0)).toList());
        timer(breached, "sales", NOW.minusSeconds(600), NOW.minusSeconds(60));
        timer(atRisk, "sales", NOW.minusSeconds(60), NOW.plusSeconds(3600));
        timer(important, "sales", NOW.plusSeconds(600), NOW.plusSeconds(3600));
        timer(resolved, "sales", NOW.minusSeconds(600), NOW.minusSeconds(60));
        timer(otherDepartment, "support", NOW.minusSeconds(600), NOW.minusSeconds(60));
        store.assign(Scope.ALL, important, "jane", "jane");
        store.resolve(Scope.ALL, resolved, "jane");
    }

    private void timer(long conversation, String department, Instant warnAt, Instant dueAt) {
        long position = events().stream().filter(e -> e.conversationId() == conversation
                && e.type() == ConversationEvent.Type.ROUTED).findFirst().orElseThrow().position();
        store.startTimers(conversation, department, position, NOW.minusSeconds(3600),
                List.of(new SlaStore.NewTimer(Kind.FIRST_RESPONSE, 60, warnAt, dueAt)));
    }

    private List<Long> ids(Scope scope, ConversationQuery q) {
        return store.conversations(scope, q).items().stream().map(ConversationSummary::id).toList();
    }

    private static ConversationQuery query(ConversationStatus status, String channel, Integer priority, String tag,
                                           SlaState sla, String assignee, Sort sort) {
        return new ConversationQuery(status, null, channel, priority, tag, sla, assignee, sort, 0, 50);
    }

    @ParameterizedTest
    @MethodSource("databases")
    void mostUrgentFirstBreachedThenAtRiskThenPriorityThenLongestWaiting(String kind) throws SQLException {
        open(kind);
        fiveConversations();

        assertThat(ids(Scope.ALL, query(null, null, null, null, null, null, Sort.URGENCY)))
                .containsExactly(otherDepartment, breached, atRisk, important, resolved);
        assertThat(ids(SALES, query(null, null, null, null, null, null, Sort.URGENCY)))
                .containsExactly(breached, atRisk, important, resolved);
        assertThat(ids(SALES, query(null, null, null, null, null, null, Sort.ACTIVITY)))
                .as("the default order is unchanged: newest activity first").startsWith(resolved);
    }

    @ParameterizedTest
    @MethodSource("databases")
    void everyFilterHoldsAndAnotherDepartmentIsNeverListed(String kind) throws SQLException {
        open(kind);
        fiveConversations();

        assertThat(ids(SALES, query(null, null, null, null, SlaState.BREACHED, null, Sort.URGENCY)))
                .as("a resolved conversation is past its SLA").containsExactly(breached);
        assertThat(ids(Scope.ALL, query(null, null, null, null, SlaState.BREACHED, null, Sort.URGENCY)))
                .containsExactly(otherDepartment, breached);
        assertThat(ids(SALES, query(null, null, null, null, SlaState.AT_RISK, null, null))).containsExactly(atRisk);
        assertThat(ids(SALES, query(null, null, null, null, SlaState.OK, null, null))).containsExactly(important);
        assertThat(ids(SALES, query(null, null, 5, null, null, null, null))).containsExactly(important);
        assertThat(ids(SALES, query(null, null, 9, null, null, null, null))).as("support's").isEmpty();
        assertThat(ids(SALES, query(null, null, null, null, null, "jane", null))).containsExactly(important);
        assertThat(ids(SALES, query(null, null, null, "sentiment=negative", null, null, null)))
                .containsExactly(breached);
        assertThat(ids(SALES, query(null, null, null, "sentiment=positive", null, null, null))).isEmpty();
        assertThat(ids(SALES, query(ConversationStatus.QUEUED, "api", null, null, null, null, Sort.URGENCY)))
                .containsExactly(breached, atRisk);
        assertThat(ids(SALES, query(null, "email", null, null, null, null, null))).isEmpty();
        assertThat(store.conversations(SALES, new ConversationQuery(null, null, null, null, null, null, null,
                Sort.URGENCY, 1, 2))).satisfies(p -> {
                    assertThat(p.total()).isEqualTo(4);
                    assertThat(p.items()).extracting(ConversationSummary::id).containsExactly(atRisk, important);
                });
        assertThat(store.conversations(Scope.departments(Set.of()), query(null, null, null, null, SlaState.OK, null,
                Sort.URGENCY)).total()).isZero();
    }

    @ParameterizedTest
    @MethodSource("databases")
    void countsEveryViewOfTheScopeOnly(String kind) throws SQLException {
        open(kind);
        fiveConversations();

        InboxCounts sales = store.counts(SALES, "jane");
        assertThat(sales.open()).isEqualTo(3);
        assertThat(sales.byStatus()).isEqualTo(Map.of(ConversationStatus.QUEUED, 2L, ConversationStatus.ASSIGNED, 1L,
                ConversationStatus.RESOLVED, 1L));
        assertThat(sales.byDepartment()).as("support is never counted for sales").isEqualTo(Map.of("sales", 3L));
        assertThat(sales.byChannel()).isEqualTo(Map.of("api", 3L));
        assertThat(sales.byPriority()).isEqualTo(Map.of(0, 1L, 2, 1L, 5, 1L));
        assertThat(sales.bySla()).isEqualTo(Map.of(SlaState.OK, 1L, SlaState.AT_RISK, 1L, SlaState.BREACHED, 1L));
        assertThat(sales.mine()).isEqualTo(1);
        assertThat(store.counts(SALES, "bob").mine()).isZero();

        InboxCounts all = store.counts(Scope.ALL, "jane");
        assertThat(all.open()).isEqualTo(4);
        assertThat(all.byDepartment()).isEqualTo(Map.of("sales", 3L, "support", 1L));
        assertThat(all.bySla().get(SlaState.BREACHED)).isEqualTo(2);

        InboxCounts none = store.counts(Scope.departments(Set.of()), "jane");
        assertThat(none.open()).isZero();
        assertThat(none.byStatus()).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("databases")
    void slaStatesOfRowsWithinTheScopeOnly(String kind) throws SQLException {
        open(kind);
        fiveConversations();

        assertThat(store.sla(SALES, List.of(breached, atRisk, important, resolved, otherDepartment, 999_999L)))
                .isEqualTo(Map.of(breached, SlaState.BREACHED, atRisk, SlaState.AT_RISK, important, SlaState.OK,
                        resolved, SlaState.OK));
        assertThat(store.sla(Scope.ALL, List.of(otherDepartment))).isEqualTo(Map.of(otherDepartment,
                SlaState.BREACHED));
        assertThat(store.sla(SALES, List.of())).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("databases")
    void aTransferLeavesTheOldDepartmentsTimersBehind(String kind) throws SQLException {
        open(kind);
        fiveConversations();

        store.transfer(Scope.ALL, breached, "billing", "sup");

        assertThat(store.sla(Scope.ALL, List.of(breached))).isEqualTo(Map.of(breached, SlaState.OK));
        assertThat(ids(SALES, query(null, null, null, null, SlaState.BREACHED, null, null))).isEmpty();
    }
}
