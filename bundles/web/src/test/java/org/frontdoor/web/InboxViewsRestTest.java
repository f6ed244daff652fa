package org.frontdoor.web;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.frontdoor.api.Caller;
import org.frontdoor.api.Scope;
import org.frontdoor.core.ScopeFixture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code GET /conversations} with the inbox's filters and {@code GET /conversations/counts}, on a real inbox and store
 * (H2): another department's conversations are never listed nor counted, and a bad filter is a 400 with its reason.
 */
class InboxViewsRestTest {

    private ScopeFixture fixture;

    @BeforeEach
    void open() throws Exception {
        fixture = ScopeFixture.create("h2");
    }

    @AfterEach
    void close() throws Exception {
        fixture.close();
    }

    private Reply get(String path, Map<String, String> query, Caller caller) {
        return JaxRs.dispatch(new RestHandler.Request("GET", path, query, null, null, caller),
                new RestHandler.Services(fixture.inbox, null, null, new Channels(), List.of(), fixture.callbacks,
                        fixture.agents, fixture.accounts, name -> { }, Instant.now(), () -> ""));
    }

    private static JsonNode json(Reply reply) {
        return Json.MAPPER.valueToTree(reply.body());
    }

    private static List<Long> ids(Reply reply) {
        List<Long> ids = new ArrayList<>();
        json(reply).path("items").forEach(row -> ids.add(row.path("id").asLong()));
        return ids;
    }

    @Test
    void countsHoldTheCallersDepartmentsOnlyAndMatchTheLists() {
        JsonNode sales = json(get("/conversations/counts", Map.of(), ScopeFixture.SALES));
        JsonNode support = json(get("/conversations/counts", Map.of(), ScopeFixture.SUPPORT));
        JsonNode all = json(get("/conversations/counts", Map.of(), ScopeFixture.ADMIN));

        assertThat(sales.path("byDepartment").fieldNames()).toIterable().containsExactly("sales");
        assertThat(support.path("byDepartment").has("sales")).isFalse();
        assertThat(all.path("open").asLong()).isEqualTo(sales.path("open").asLong() + support.path("open").asLong()
                + all.path("byDepartment").path("").asLong());
        for (Caller caller : List.of(ScopeFixture.SALES, ScopeFixture.SUPPORT, ScopeFixture.ADMIN)) {
            JsonNode counts = json(get("/conversations/counts", Map.of(), caller));
            long listed = json(get("/conversations", Map.of("limit", "500"), caller)).path("items")
                    .findValuesAsText("status").stream().filter(s -> !s.equals("RESOLVED")).count();
            assertThat(counts.path("open").asLong()).as(caller.name()).isEqualTo(listed);
            assertThat(counts.path("bySla").path("OK").asLong() + counts.path("bySla").path("AT_RISK").asLong()
                    + counts.path("bySla").path("BREACHED").asLong()).as(caller.name()).isEqualTo(listed);
        }
    }

    @Test
    void mineIsWhatIsAssignedToTheCallerAndNeverAnotherDepartments() {
        fixture.inbox.assign(ScopeFixture.SUPPORT, fixture.supportConversation, "sue");

        assertThat(ids(get("/conversations", Map.of("mine", "true"), ScopeFixture.SUPPORT)))
                .containsExactly(fixture.supportConversation);
        assertThat(json(get("/conversations/counts", Map.of(), ScopeFixture.SUPPORT)).path("mine").asLong())
                .isEqualTo(1);
        assertThat(ids(get("/conversations", Map.of("mine", "true"), ScopeFixture.SALES))).isEmpty();
        assertThat(ids(get("/conversations", Map.of("assignee", "sue"), ScopeFixture.SALES)))
                .as("sue's conversation is support's").isEmpty();
        assertThat(ids(get("/conversations", Map.of("department", "support"), ScopeFixture.SALES))).isEmpty();
        assertThat(json(get("/conversations", Map.of("department", "support"), ScopeFixture.SALES)).path("total")
                .asLong()).isZero();
    }

    @Test
    void rowsCarryTheirSlaStateInUrgencyOrder() {
        JsonNode page = json(get("/conversations", Map.of("sort", "urgency", "sla", "ok"), ScopeFixture.ADMIN));

        assertThat(page.path("items").size()).isPositive();
        page.path("items").forEach(row -> assertThat(row.path("sla").asText()).isEqualTo("OK"));
        List<Integer> priorities = page.path("items").findValues("priority").stream().map(JsonNode::asInt).toList();
        assertThat(priorities).isSortedAccordingTo((a, b) -> b - a);
        assertThat(json(get("/conversations", Map.of("sla", "breached"), ScopeFixture.ADMIN)).path("total").asLong())
                .as("no timer has run out in the fixture").isZero();
        assertThat(fixture.inbox.sla(ScopeFixture.SALES, List.of(fixture.supportConversation))).isEmpty();
        assertThat(fixture.store.sla(Scope.ALL, List.of(fixture.supportConversation))).hasSize(1);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "sla|late|sla must be one of ok, at-risk, breached",
            "sort|oldest|sort must be activity or urgency",
            "priority|-1|priority must not be negative",
            "priority|high|priority must be a whole number",
            "tag|negative|tag must be name=value (such as sentiment=negative), the name up to 64 and the value up to "
                    + "255 characters",
            "mine|yes|mine must be true or false",
            "status|open|status must be one of [NEW, QUEUED, ASSIGNED, SNOOZED, RESOLVED]",
            "limit|501|limit must be within 1..500"})
    void aBadFilterIsRefusedWithItsReason(String name, String value, String reason) {
        Reply reply = get("/conversations", Map.of(name, value), ScopeFixture.SUPPORT);

        assertThat(reply.status()).isEqualTo(400);
        assertThat(json(reply).path("error").asText()).isEqualTo(reason);
    }

    @Test
    void mineForSomeoneElseIsAContradiction() {
        Reply reply = get("/conversations", Map.of("mine", "true", "assignee", "sam"), ScopeFixture.SUPPORT);

        assertThat(reply.status()).isEqualTo(400);
        assertThat(json(reply).path("error").asText()).isEqualTo("mine=true and assignee=sam ask for two different "
                + "agents");
    }
}
