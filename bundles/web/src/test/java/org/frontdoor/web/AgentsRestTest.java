package org.frontdoor.web;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.frontdoor.api.Caller;
import org.frontdoor.api.Scope;
import org.frontdoor.api.agents.Presence;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code /api/v1/agents}: who may read, create, change and set presence, and what a refusal says. */
class AgentsRestTest {

    private static final String JSON = "application/json";
    private static final Caller ADMIN = new Caller("root", Set.of("admin"), Scope.ALL);
    private static final Caller JANE = new Caller("jane", Set.of("agent"), Scope.departments(Set.of("support")));
    private static final Caller SUE = new Caller("sue", Set.of("supervisor"), Scope.departments(Set.of("support")));
    private static final Caller SAM = new Caller("sam", Set.of("supervisor"), Scope.departments(Set.of("sales")));

    private final MemoryAgents agents = new MemoryAgents().add("jane", 2, "support");

    private Reply call(String method, String path, String body, Caller caller) {
        return call(method, path, JSON, body, caller, agents);
    }

    /** Through the runtime, as this caller, with these agents (null: core not running). */
    private static Reply call(String method, String path, String type, String body, Caller caller,
                              MemoryAgents agents) {
        return JaxRs.dispatch(new RestHandler.Request(method, path, Map.of(), type,
                        body == null ? null : body.getBytes(StandardCharsets.UTF_8), caller),
                new RestHandler.Services(null, null, null, null, List.of(), null, agents, null, name -> { },
                        java.time.Instant.now()));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> body(Reply r) {
        return Json.MAPPER.convertValue(r.body(), Map.class);
    }

    @Test
    void everyRoleListsAndReadsAgentsAndAnUnknownOneIs404() {
        Reply list = call("GET", "/agents", null, JANE);
        assertThat(list.status()).isEqualTo(200);
        assertThat((List<?>) body(list).get("agents")).hasSize(1);
        Reply one = call("GET", "/agents/jane", null, SUE);
        assertThat(body(one)).containsEntry("presence", "offline").containsEntry("capacity", 2)
                .containsEntry("version", 1);
        assertThat(call("GET", "/agents/nobody", null, ADMIN).status()).isEqualTo(404);
        assertThat(call("DELETE", "/agents/jane", null, ADMIN).status()).isEqualTo(405);
    }

    @Test
    void onlyAdminsCreateAndChangeAgentsAndAStaleVersionIs409() {
        String ann = "{\"name\": \"ann\", \"displayName\": \"Ann\", \"departments\": [\"support\"], "
                + "\"skills\": [\"refunds\"], \"languages\": [\"de\"], \"capacity\": 4}";
        assertThat(call("POST", "/agents", ann, SUE).status()).isEqualTo(403);
        Reply created = call("POST", "/agents", ann, ADMIN);
        assertThat(created.status()).isEqualTo(201);
        assertThat(created.headers()).containsEntry("Location", "/api/v1/agents/ann");
        assertThat(call("POST", "/agents", ann, ADMIN).status()).isEqualTo(409);
        assertThat(call("POST", "/agents", "{\"name\": \"bob\"}", ADMIN).status()).as("no capacity").isEqualTo(400);
        assertThat(call("POST", "/agents", "{\"name\": \"bob\", \"capacity\": 0}", ADMIN).status()).isEqualTo(400);
        assertThat(call("POST", "/agents", "{\"name\": \"bob\", \"capacity\": 1, \"departments\": \"x\"}", ADMIN)
                .status()).isEqualTo(400);

        String change = "{\"departments\": [\"support\", \"sales\"], \"capacity\": 5, \"version\": 1}";
        assertThat(call("PUT", "/agents/ann", change, JANE).status()).isEqualTo(403);
        Reply changed = call("PUT", "/agents/ann", change, ADMIN);
        assertThat(changed.status()).isEqualTo(200);
        assertThat(body(changed)).containsEntry("version", 2);
        Reply stale = call("PUT", "/agents/ann", change, ADMIN);
        assertThat(stale.status()).isEqualTo(409);
        assertThat(stale.body().toString()).contains("changed meanwhile");
        assertThat(call("PUT", "/agents/ann", "{\"capacity\": 5}", ADMIN).status()).as("no version").isEqualTo(400);
        assertThat(call("PUT", "/agents/nobody", change, ADMIN).status()).isEqualTo(404);
    }

    @Test
    void anAgentSetsTheirOwnPresenceASupervisorOfTheirDepartmentOrAnAdminAnothers() {
        agents.add("ann", 2, "support");
        assertThat(call("PUT", "/agents/jane/presence", "{\"presence\": \"online\"}", JANE).status()).isEqualTo(200);
        assertThat(agents.find("jane").orElseThrow().presence()).isEqualTo(Presence.ONLINE);
        assertThat(call("PUT", "/agents/ann/presence", "{\"presence\": \"online\"}", JANE).status()).isEqualTo(403);
        assertThat(call("PUT", "/agents/ann/presence", "{\"presence\": \"away\"}", SAM).status())
                .as("a supervisor of another department").isEqualTo(403);
        assertThat(call("PUT", "/agents/ann/presence", "{\"presence\": \"away\"}", SUE).status()).isEqualTo(200);
        assertThat(call("PUT", "/agents/ann/presence", "{\"presence\": \"offline\"}", ADMIN).status()).isEqualTo(200);
        Reply bad = call("PUT", "/agents/ann/presence", "{\"presence\": \"asleep\"}", ADMIN);
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.body().toString()).contains("none of online, away, offline");
        assertThat(call("PUT", "/agents/nobody/presence", "{\"presence\": \"away\"}", ADMIN).status()).isEqualTo(404);
        assertThat(call("PUT", "/agents/ann/presence", "text/plain", "", ADMIN, agents).status()).isEqualTo(415);
        assertThat(call("GET", "/agents", null, null, ADMIN, null).status()).isEqualTo(503);
    }
}
