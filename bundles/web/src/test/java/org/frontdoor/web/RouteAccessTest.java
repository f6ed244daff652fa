package org.frontdoor.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import org.frontdoor.api.Caller;
import org.frontdoor.api.Department;
import org.frontdoor.api.Departments;
import org.frontdoor.api.admin.EventConsumerInfo;
import org.frontdoor.api.admin.PipelineStatus;
import org.frontdoor.api.admin.RuleInfo;
import org.frontdoor.core.ScopeFixture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Access, route by route, on a real inbox and store (H2): an agent of sales asking for what belongs to support gets
 * exactly what they would get if it did not exist, an agent of support gets it; lists show only the caller's rows;
 * admin routes refuse agents. One case per route of {@link RestHandler#ROUTES}: a route added without a case here (or
 * without a row in docs/access.md) fails {@link #everyRouteHasACaseAndARowInTheDocs}. The answer that succeeds must
 * also be the one the OpenAPI document promises ({@link OpenApiTest#answersAsDocumented}).
 */
class RouteAccessTest {

    private static final String DOC = "docs/access.md";

    /** The request a case makes of the support fixture; the method is the route's. */
    private record Ask(String path, Map<String, String> query, String body) {
    }

    /**
     * What each route is asked, for the support conversation or its customer, reply, merge. For a LIST route,
     * {@link #LISTED} says which ids of the answer belong to which fixture row.
     */
    private static final Map<String, Function<ScopeFixture, Ask>> ASKS = Map.ofEntries(
            Map.entry("GET /conversations", f -> get("/conversations")),
            Map.entry("GET /conversations/counts", f -> get("/conversations/counts")),
            Map.entry("GET /conversations/{id}", f -> get("/conversations/" + f.supportConversation)),
            Map.entry("GET /conversations/{id}/messages/{messageId}/attachments/{n}", f ->
                    get("/conversations/" + f.supportConversation + "/messages/" + f.supportMessage + "/attachments/0")),
            Map.entry("POST /conversations/{id}/replies", f ->
                    post("/conversations/" + f.supportConversation + "/replies", "{\"text\": \"we are on it\"}")),
            Map.entry("POST /conversations/{id}/replies/measure", f ->
                    post("/conversations/" + f.supportConversation + "/replies/measure", "{\"text\": \"on it\"}")),
            Map.entry("GET /conversations/{id}/why", f -> get("/conversations/" + f.supportConversation + "/why")),
            Map.entry("POST /conversations/{id}/snooze", f -> post("/conversations/" + f.supportConversation
                    + "/snooze", "{\"until\": \"" + Instant.now().plusSeconds(30 * 86_400) + "\"}")),
            Map.entry("POST /conversations/{id}/notes", f ->
                    post("/conversations/" + f.supportConversation + "/notes", "{\"text\": \"@sam have a look\"}")),
            Map.entry("POST /conversations/{id}/assign", f ->
                    post("/conversations/" + f.supportConversation + "/assign", "{}")),
            Map.entry("POST /conversations/{id}/transfer", f ->
                    post("/conversations/" + f.supportConversation + "/transfer", "{\"department\": \"billing\"}")),
            Map.entry("POST /conversations/{id}/resolve", f ->
                    post("/conversations/" + f.supportConversation + "/resolve", "{}")),
            Map.entry("POST /conversations/{id}/reopen", f -> {
                f.inbox.resolve(ScopeFixture.ADMIN, f.supportConversation);
                return post("/conversations/" + f.supportConversation + "/reopen", "{}");
            }),
            Map.entry("POST /conversations/{id}/read", f ->
                    post("/conversations/" + f.supportConversation + "/read", "{}")),
            Map.entry("POST /conversations/{id}/typing", f ->
                    post("/conversations/" + f.supportConversation + "/typing", "{}")),
            Map.entry("POST /conversations/{id}/messages/{messageId}/hide", f -> post("/conversations/"
                    + f.supportPost + "/messages/" + f.supportPostMessage + "/hide", "{\"reason\": \"a phone number\"}")),
            Map.entry("POST /conversations/{id}/messages/{messageId}/unhide", f -> {
                f.inbox.hide(ScopeFixture.ADMIN, f.supportPost, f.supportPostMessage, "a phone number");
                return post("/conversations/" + f.supportPost + "/messages/" + f.supportPostMessage + "/unhide",
                        "{\"reason\": \"the customer removed it\"}");
            }),
            Map.entry("POST /replies/{id}/retry", f -> post("/replies/" + f.supportReply + "/retry", "{}")),
            Map.entry("GET /customers/{id}", f -> get("/customers/" + f.supportCustomer)),
            Map.entry("POST /customers/{id}/merge", f ->
                    post("/customers/" + f.supportCustomer + "/merge", "{\"into\": " + f.carlCustomer + "}")),
            Map.entry("POST /customers/{id}/consent", f -> post("/customers/" + f.supportCustomer + "/consent",
                    "{\"channel\": \"" + f.supportChannel + "\", \"handle\": \"" + f.supportHandle + "\", "
                            + "\"state\": \"opted-in\", \"reason\": \"asked by phone to be texted\"}")),
            Map.entry("POST /merges/{id}/unmerge", f -> post("/merges/" + f.supportMerge + "/unmerge", "{}")),
            Map.entry("GET /merge-suggestions", f -> get("/merge-suggestions")),
            Map.entry("GET /events", f -> new Ask("/events", Map.of("limit", "500"), null)),
            Map.entry("GET /events/stream", f -> new Ask("/events/stream", Map.of("limit", "500"), null)),
            Map.entry("POST /session", f -> post("/session", "{}")),
            Map.entry("GET /session", f -> get("/session")),
            Map.entry("DELETE /session", f -> get("/session")),
            Map.entry("GET /event-consumers", f -> get("/event-consumers")),
            Map.entry("GET /integrations", f -> get("/integrations")),
            Map.entry("GET /rules", f -> get("/rules")),
            Map.entry("GET /dashboard/queues", f -> get("/dashboard/queues")),
            Map.entry("GET /dashboard/volumes", f -> new Ask("/dashboard/volumes", Map.of("hours", "24"), null)),
            Map.entry("GET /callbacks", f -> get("/callbacks")),
            Map.entry("GET /users", f -> get("/users")),
            Map.entry("POST /users", f -> post("/users",
                    "{\"name\": \"zoe\", \"password\": \"zoe-long-password-1\", \"roles\": [\"agent\"]}")),
            Map.entry("GET /users/{name}", f -> get("/users/" + ScopeFixture.SUPPORT.name())),
            Map.entry("PUT /users/{name}/roles", f -> new Ask("/users/" + ScopeFixture.SUPPORT.name() + "/roles",
                    Map.of(), "{\"roles\": [\"agent\", \"supervisor\"]}")),
            Map.entry("PUT /users/{name}/password", f -> new Ask("/users/" + ScopeFixture.SUPPORT.name() + "/password",
                    Map.of(), "{\"password\": \"another-long-password-2\", \"oldPassword\": \""
                            + ScopeFixture.PASSWORD + "\"}")),
            Map.entry("GET /agents", f -> get("/agents")),
            Map.entry("POST /agents", f -> post("/agents",
                    "{\"name\": \"zoe\", \"departments\": [\"sales\"], \"capacity\": 3}")),
            Map.entry("GET /agents/{name}", f -> get("/agents/" + ScopeFixture.SUPPORT.name())),
            Map.entry("PUT /agents/{name}", f -> new Ask("/agents/" + ScopeFixture.SUPPORT.name(), Map.of(),
                    "{\"departments\": [\"support\"], \"capacity\": 7, \"version\": "
                            + f.agents.find(ScopeFixture.SUPPORT.name()).orElseThrow().version() + "}")),
            Map.entry("PUT /agents/{name}/presence", f -> new Ask("/agents/" + ScopeFixture.SUPPORT.name()
                    + "/presence", Map.of(), "{\"presence\": \"online\"}")),
            Map.entry("POST /callbacks/{id}/done", f -> post("/callbacks/" + f.supportCallback + "/done", "{}")),
            Map.entry("POST /callbacks/{id}/call", f -> post("/callbacks/" + f.supportCallback + "/call",
                    "{\"agentPhone\":\"+15550123\"}")),
            Map.entry("GET /health", f -> get("/health")),
            Map.entry("POST /channels/{channel}/{instance}/check", f -> post("/channels/xmpp/chat/check", "{}")),
            Map.entry("POST /channels/{channel}/{instance}/reconnect", f ->
                    post("/channels/xmpp/chat/reconnect", "{}")),
            Map.entry("GET /metrics", f -> get("/metrics")),
            Map.entry("GET /channels", f -> get("/channels")),
            Map.entry("GET /departments", f -> get("/departments")),
            Map.entry("GET /departments/{id}", f -> get("/departments/support")),
            Map.entry("GET /openapi.json", f -> get("/openapi.json")));

    /** For each LIST route: the ids in its answer, and the id of the support row among them. */
    private record Listed(Function<JsonNode, Set<Long>> ids, Function<ScopeFixture, Set<Long>> support) {
    }

    /** Counts name no ids: support's department among them stands for support's rows. */
    private static final long SUPPORT_COUNTED = -1;

    private static final Map<String, Listed> LISTED = Map.of(
            "GET /conversations/counts", new Listed(body -> body.path("byDepartment").has("support")
                    ? Set.of(SUPPORT_COUNTED) : Set.of(), f -> Set.of(SUPPORT_COUNTED)),
            "GET /events/stream", new Listed(body -> ids(body.path("events"), "conversationId"),
                    f -> Set.of(f.supportConversation, f.sharedSupportConversation, f.movedToSupport)),
            "GET /conversations", new Listed(body -> ids(body.path("items"), "id"),
                    f -> Set.of(f.supportConversation, f.sharedSupportConversation, f.movedToSupport)),
            "GET /merge-suggestions", new Listed(body -> ids(body, "id"), f -> Set.of(f.supportSuggestion)),
            "GET /callbacks", new Listed(body -> ids(body.path("callbacks"), "id"), f -> Set.of(f.supportCallback)),
            "GET /events", new Listed(body -> ids(body.path("events"), "conversationId"),
                    f -> Set.of(f.supportConversation, f.sharedSupportConversation, f.movedToSupport)));

    private ScopeFixture fixture;
    private final Channels channels = new Channels();

    RouteAccessTest() {
        channels.add(ScopeFixture.door("email", "mail"), Map.of(org.osgi.framework.Constants.SERVICE_ID, 1L,
                org.frontdoor.api.Channel.CHANNEL, "email", org.frontdoor.api.Channel.INSTANCE, "mail"));
        channels.add(new CheckedDoor(), Map.of(org.osgi.framework.Constants.SERVICE_ID, 2L,
                org.frontdoor.api.Channel.CHANNEL, "xmpp", org.frontdoor.api.Channel.INSTANCE, "chat"));
    }

    @AfterEach
    void close() throws Exception {
        if (fixture != null) {
            fixture.close();
        }
    }

    static Stream<String> routes() {
        return RestHandler.ROUTES.stream().map(RestHandler.Route::toString);
    }

    @Test
    void everyRouteHasACaseAndARowInTheDocs() throws Exception {
        Set<String> routes = new TreeSet<>(routes().toList());
        assertThat(new TreeSet<>(ASKS.keySet())).as("a case per route of RestHandler.ROUTES, and none for a route "
                + "that is gone: classify a new route in RestHandler.ROUTES and add its case here").isEqualTo(routes);
        Set<String> lists = new TreeSet<>();
        RestHandler.ROUTES.stream().filter(r -> r.kind() == RestHandler.Kind.LIST).forEach(r -> lists.add(r.toString()));
        assertThat(new TreeSet<>(LISTED.keySet())).as("which ids each LIST route shows").isEqualTo(lists);

        String doc = Files.readString(docs(), StandardCharsets.UTF_8);
        List<String> missing = new ArrayList<>();
        for (RestHandler.Route route : RestHandler.ROUTES) {
            String row = "| " + route.method() + " | `/api/v1" + route.template() + "` | " + route.kind() + " |";
            if (!doc.contains(row)) {
                missing.add(row);
            }
        }
        assertThat(missing).as("rows missing from " + DOC).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("routes")
    void anAgentOfSalesGetsNothingOfSupportAndAnAgentOfSupportGetsIt(String name) throws Exception {
        RestHandler.Route route = RestHandler.ROUTES.stream().filter(r -> r.toString().equals(name)).findFirst()
                .orElseThrow();
        fixture = ScopeFixture.create("h2");
        Ask ask = ASKS.get(name).apply(fixture);

        Reply sales = call(route.method(), ask, ScopeFixture.SALES);
        switch (route.kind()) {
            case CONVERSATION, REPLY, CUSTOMER, MERGE, CALLBACK -> {
                assertThat(sales.status()).as(name + " for sales").isEqualTo(404);
                assertThat(error(sales)).isEqualTo(absent(route.kind(), name, ask));
                Reply support = call(route.method(), ask, ScopeFixture.SUPPORT);
                assertThat(support.status()).as(name + " for support: " + support.body()).isBetween(200, 299);
                OpenApiTest.answersAsDocumented(route, support);
            }
            case LIST -> {
                Listed listed = LISTED.get(name);
                assertThat(sales.status()).isEqualTo(200);
                assertThat(listed.ids().apply(json(sales))).as(name + " for sales")
                        .doesNotContainAnyElementsOf(listed.support().apply(fixture));
                Reply support = call(route.method(), ask, ScopeFixture.SUPPORT);
                assertThat(support.status()).isEqualTo(200);
                assertThat(listed.ids().apply(json(support))).as(name + " for support")
                        .containsAll(listed.support().apply(fixture));
                OpenApiTest.answersAsDocumented(route, support);
            }
            case ADMIN -> {
                assertThat(sales.status()).as(name + " for an agent").isEqualTo(403);
                assertThat(call(route.method(), ask, ScopeFixture.SUPPORT).status()).isEqualTo(403);
                Reply admin = call(route.method(), ask, ScopeFixture.ADMIN);
                assertThat(admin.status()).isBetween(200, 202);
                OpenApiTest.answersAsDocumented(route, admin);
            }
            case SUPERVISOR -> {
                assertThat(sales.status()).as(name + " for an agent").isEqualTo(403);
                assertThat(error(sales)).isEqualTo("the dashboard is for role supervisor or admin");
                assertThat(call(route.method(), ask, ScopeFixture.SUPPORT).status()).isEqualTo(403);
                Reply supervisor = call(route.method(), ask, SALES_SUPERVISOR);
                assertThat(supervisor.status()).as(name + " for a supervisor of sales").isEqualTo(200);
                assertThat(json(supervisor).toString()).as(name + " for a supervisor of sales")
                        .doesNotContain("support", "email", "sms", "wall");
                assertThat(call(route.method(), ask, ScopeFixture.ADMIN).status()).isEqualTo(200);
            }
            case SELF -> {
                assertThat(sales.status()).as(name + " by another agent").isEqualTo(403);
                Reply self = call(route.method(), ask, ScopeFixture.SUPPORT);
                assertThat(self.status()).as(name + " by themselves").isEqualTo(200);
                OpenApiTest.answersAsDocumented(route, self);
                assertThat(call(route.method(), ask, ScopeFixture.ADMIN).status()).isEqualTo(200);
            }
            case OPEN -> {
                Reply support = call(route.method(), ask, ScopeFixture.SUPPORT);
                assertThat(sales.status()).isEqualTo(200);
                assertThat(json(sales)).as("configuration reads the same for every scope").isEqualTo(json(support));
                OpenApiTest.answersAsDocumented(route, sales);
            }
            case PUBLIC -> {
                Reply support = call(route.method(), ask, ScopeFixture.SUPPORT);
                Reply nobody = call(route.method(), ask, RestHandler.ANONYMOUS);
                assertThat(sales.status()).isEqualTo(200);
                assertThat(nobody.status()).as(name + " without a login").isEqualTo(200);
                assertThat(json(sales)).as("the same for every caller but admins").isEqualTo(json(support))
                        .isEqualTo(json(nobody));
                Reply admin = call(route.method(), ask, ScopeFixture.ADMIN);
                assertThat(admin.status()).isEqualTo(200);
                OpenApiTest.answersAsDocumented(route, admin);
                OpenApiTest.answersAsDocumented(route, nobody);
            }
            case SESSION -> {
                // about the caller alone: sales's answer never names support's user
                assertThat(json(sales).toString()).doesNotContain(ScopeFixture.SUPPORT.name());
                if ("GET".equals(route.method())) {
                    assertThat(sales.status()).isEqualTo(200);
                    assertThat(json(sales).path("user").asText()).isEqualTo(ScopeFixture.SALES.name());
                }
            }
            default -> throw new AssertionError("unclassified: " + route.kind());
        }
    }

    /** A supervisor of sales: the sales department's figures, nothing of support's. */
    private static final Caller SALES_SUPERVISOR = new Caller("sally", Set.of("supervisor"),
            org.frontdoor.api.Scope.departments(Set.of("sales")));

    /**
     * The dashboard counts in the database within the scope: a supervisor of sales gets the sales queue and the sales
     * messages of each door (dora's conversation moved to support takes her api messages with it), no support numbers;
     * an admin gets every department and door.
     */
    @Test
    void aSupervisorOfSalesSeesNoSupportNumbers() throws Exception {
        fixture = ScopeFixture.create("h2");

        JsonNode sales = json(call("GET", get("/dashboard/queues"), SALES_SUPERVISOR));
        JsonNode all = json(call("GET", get("/dashboard/queues"), ScopeFixture.ADMIN));

        assertThat(sales.path("departments")).hasSize(1);
        JsonNode salesRow = sales.path("departments").get(0);
        assertThat(salesRow.path("department").asText()).isEqualTo("sales");
        assertThat(salesRow.path("queued").asLong()).isEqualTo(2);
        assertThat(salesRow.path("waiting").asLong()).isEqualTo(2);
        assertThat(salesRow.path("oldestWaiting").isNull()).isFalse();
        assertThat(rows(all.path("departments"), "department")).containsExactly("sales", "support");
        assertThat(all.path("departments").get(1).path("queued").asLong()).as("support's open conversations")
                .isEqualTo(6);

        JsonNode salesVolumes = json(call("GET", new Ask("/dashboard/volumes", Map.of("hours", "24"), null),
                SALES_SUPERVISOR));
        assertThat(salesVolumes.path("hours").asInt()).isEqualTo(24);
        assertThat(rows(salesVolumes.path("doors"), "channel")).containsExactly("api");
        JsonNode api = salesVolumes.path("doors").get(0);
        assertThat(api.path("counts")).hasSize(24);
        assertThat(api.path("counts").get(23).asLong()).as("this hour: alice and carol").isEqualTo(2);
        assertThat(api.path("total").asLong()).isEqualTo(2);

        JsonNode allVolumes = json(call("GET", get("/dashboard/volumes"), ScopeFixture.ADMIN));
        Map<String, Long> totals = new java.util.TreeMap<>();
        allVolumes.path("doors").forEach(d -> totals.put(d.path("channel").asText() + ":"
                + d.path("instance").asText(), d.path("total").asLong()));
        assertThat(totals).containsExactlyEntriesOf(new java.util.TreeMap<>(Map.of("api:demo", 4L, "email:mail", 2L,
                "sms:phone", 2L, "wall:page", 1L)));
    }

    /** Bad periods are refused with the reason, before anything is read. */
    @Test
    void aPeriodOutOfRangeIsRefused() throws Exception {
        fixture = ScopeFixture.create("h2");

        for (String hours : List.of("0", "169", "-3", "a day", "99999999999")) {
            Reply r = call("GET", new Ask("/dashboard/volumes", Map.of("hours", hours), null), ScopeFixture.ADMIN);
            assertThat(r.status()).as("hours=" + hours).isEqualTo(400);
            assertThat(error(r)).as("hours=" + hours).contains("hours");
        }
        assertThat(call("GET", new Ask("/dashboard/volumes", Map.of("hours", "168"), null), ScopeFixture.ADMIN)
                .status()).isEqualTo(200);
    }

    private static List<String> rows(JsonNode rows, String field) {
        List<String> values = new ArrayList<>();
        rows.forEach(row -> values.add(row.path(field).asText()));
        return values;
    }

    /** A customer of two departments: sales sees the customer, but not the identity on support's door. */
    @Test
    void identitiesOnDoorsOutsideTheScopeAreNotShown() throws Exception {
        fixture = ScopeFixture.create("h2");

        JsonNode sales = json(call("GET", get("/customers/" + fixture.sharedCustomer), ScopeFixture.SALES));
        JsonNode support = json(call("GET", get("/customers/" + fixture.sharedCustomer), ScopeFixture.SUPPORT));
        JsonNode admin = json(call("GET", get("/customers/" + fixture.sharedCustomer), ScopeFixture.ADMIN));

        assertThat(channels(sales.path("identities"))).containsExactly("api");
        assertThat(channels(support.path("identities"))).containsExactly("sms");
        assertThat(channels(admin.path("identities"))).containsExactlyInAnyOrder("api", "sms");
        assertThat(sales.toString()).doesNotContain("+15550002");
        // the customer's other conversations: those of the scope only, neither shown nor counted otherwise
        assertThat(ids(sales.path("conversations"), "id")).doesNotContain(fixture.sharedSupportConversation)
                .isNotEmpty();
        assertThat(sales.path("conversations").size()).isEqualTo(ids(sales.path("conversations"), "id").size());
        assertThat(ids(admin.path("conversations"), "id")).contains(fixture.sharedSupportConversation);
        assertThat(admin.path("identities").get(0).has("confirmedAt")).as("whether each is confirmed").isTrue();
    }

    /** A conversation that does not exist reads exactly as one of another department. */
    @Test
    void whatDoesNotExistReadsTheSame() throws Exception {
        fixture = ScopeFixture.create("h2");
        long none = 999_999;

        Reply missing = call("GET", get("/conversations/" + none + "/messages/1/attachments/0"), ScopeFixture.SALES);

        assertThat(missing.status()).isEqualTo(404);
        assertThat(error(missing)).isEqualTo("no conversation " + none);
        Reply wrongIndex = call("GET", get("/conversations/" + fixture.supportConversation + "/messages/"
                + fixture.supportMessage + "/attachments/5"), ScopeFixture.SUPPORT);
        assertThat(error(wrongIndex)).isEqualTo("no attachment 5 of message " + fixture.supportMessage
                + " in conversation " + fixture.supportConversation);
    }

    /** The reason a route gives for what does not exist, with the id of the path's first parameter. */
    private static String absent(RestHandler.Kind kind, String name, Ask ask) {
        String id = ask.path().split("/")[2];
        return switch (kind) {
            case CONVERSATION -> "no conversation " + id;
            case REPLY -> "no reply " + id;
            case CUSTOMER -> name.endsWith("/merge") ? "no customer " + id + " or no customer to merge it into"
                    : "no customer " + id;
            case MERGE -> "no merge " + id;
            case CALLBACK -> "no callback task " + id;
            default -> throw new AssertionError(kind);
        };
    }

    private Reply call(String method, Ask ask, Caller caller) {
        byte[] body = ask.body() == null ? null : ask.body().getBytes(StandardCharsets.UTF_8);
        RestHandler.Request request = new RestHandler.Request(method, ask.path(), ask.query(),
                "POST".equals(method) || "PUT".equals(method) ? "application/json" : null, body, caller);
        return JaxRs.dispatch(request, new RestHandler.Services(fixture.inbox, STATUS, DEPARTMENTS, channels, List.of(),
                fixture.callbacks, fixture.agents, fixture.accounts, name -> { }, Instant.parse("2026-12-07T10:00:00Z"),
                () -> "# TYPE frontdoor_conversations_unrouted gauge\nfrontdoor_conversations_unrouted 0.0\n",
                fixture.consentDesk));
    }

    private static Ask get(String path) {
        return new Ask(path, Map.of(), null);
    }

    private static Ask post(String path, String body) {
        return new Ask(path, Map.of(), body);
    }

    private static JsonNode json(Reply reply) {
        return Json.MAPPER.valueToTree(reply.body());
    }

    private static String error(Reply reply) {
        return json(reply).path("error").asText();
    }

    private static Set<Long> ids(JsonNode rows, String field) {
        Set<Long> ids = new TreeSet<>();
        rows.forEach(row -> ids.add(row.path(field).asLong()));
        return ids;
    }

    private static List<String> channels(JsonNode identities) {
        List<String> channels = new ArrayList<>();
        identities.forEach(i -> channels.add(i.path("channel").asText()));
        return channels;
    }

    /** docs/access.md, from the module's directory or the project's. */
    static Path docs() {
        Path here = Path.of("").toAbsolutePath();
        for (Path p = here; p != null; p = p.getParent()) {
            if (Files.exists(p.resolve(DOC))) {
                return p.resolve(DOC);
            }
        }
        throw new AssertionError(DOC + " not found above " + here);
    }

    private static final PipelineStatus STATUS = new PipelineStatus() {
        @Override
        public String databaseProblem() {
            return null;
        }

        @Override
        public List<RuleInfo> rules() {
            return List.of();
        }

        @Override
        public List<EventConsumerInfo> eventConsumers() {
            return List.of();
        }

        @Override
        public EventConsumerInfo resetEventConsumer(String name, long position) {
            throw new UnsupportedOperationException();
        }
    };

    private static final Departments DEPARTMENTS = new Departments() {
        private final List<Department> all = List.of(Department.seenOnly("sales"), Department.seenOnly("support"));

        @Override
        public List<Department> list() {
            return all;
        }

        @Override
        public Optional<Department> get(String id) {
            return all.stream().filter(d -> d.id().equals(id)).findFirst();
        }
    };

    /** A door that can be checked: every step works. */
    private static final class CheckedDoor implements org.frontdoor.api.Channel, org.frontdoor.api.ChannelCheck {

        private final org.frontdoor.api.ChannelHealth up = org.frontdoor.api.ChannelHealth.up();

        @Override
        public String id() {
            return "xmpp";
        }

        @Override
        public String instance() {
            return "chat";
        }

        @Override
        public org.frontdoor.api.ChannelCapabilities capabilities() {
            return org.frontdoor.api.ChannelCapabilities.plainPrivate();
        }

        @Override
        public org.frontdoor.api.ChannelHealth health() {
            return up;
        }

        @Override
        public org.frontdoor.api.CheckReport check() {
            return new org.frontdoor.api.CheckReport(List.of(org.frontdoor.api.CheckReport.Step.ok("login", "fine")));
        }

        @Override
        public void reconnect() {
        }
    }
}
