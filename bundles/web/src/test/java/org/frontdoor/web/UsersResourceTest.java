package org.frontdoor.web;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code /api/v1/users} over the real realm login and accounts: admins manage, users change their own password. */
class UsersResourceTest {

    @TempDir
    Path dir;

    private Logins logins;
    private ApiServlet servlet;

    @BeforeEach
    void setUp() throws Exception {
        logins = new Logins(dir);
        servlet = new ApiServlet(new Authenticator(Authenticator.jaas("karaf", logins.configuration()),
                Clock.systemUTC(), Duration.ofSeconds(30), new LoginThrottle(Clock.systemUTC(),
                new LoginThrottle.Settings(5, 20, Duration.ofMinutes(15), 10_000))));
        servlet.accounts = logins.accounts;
        logins.accounts.create("root", "root-password".toCharArray(), Set.of("admin"));
    }

    private static Map<String, String> as(String user, String password) {
        return Map.of("Authorization", "Basic " + Base64.getEncoder()
                .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
    }

    private FakeHttp.Response call(String method, String path, Map<String, String> headers, String body)
            throws Exception {
        FakeHttp.Response response = new FakeHttp.Response();
        if (body != null && !headers.containsKey("Content-Type")) {
            headers = new java.util.HashMap<>(headers); // every change to the API is JSON
            headers.put("Content-Type", "application/json");
        }
        JaxRs.service(servlet, FakeHttp.request(method, path, null, headers, body), response.servlet());
        return response;
    }

    @Test
    void anAdminAddsASupervisorAndAnAgentWhoThenLogInAndListsThemWithoutHashes() throws Exception {
        FakeHttp.Response sam = call("POST", "/users", as("root", "root-password"),
                "{\"name\": \"sam\", \"password\": \"sam-password\", \"roles\": [\"supervisor\"]}");
        FakeHttp.Response jane = call("POST", "/users", as("root", "root-password"),
                "{\"name\": \"jane\", \"password\": \"jane-password\", \"roles\": [\"agent\"]}");

        assertThat(sam.status).isEqualTo(201);
        assertThat(sam.headers.get("Location")).isEqualTo("/api/v1/users/sam");
        assertThat(jane.json().path("roles").get(0).asText()).isEqualTo("agent");
        assertThat(call("GET", "/conversations", as("jane", "jane-password"), null).status).isNotIn(401, 403);
        assertThat(call("GET", "/conversations", as("sam", "sam-password"), null).status).isNotIn(401, 403);

        FakeHttp.Response list = call("GET", "/users", as("root", "root-password"), null);
        assertThat(list.status).isEqualTo(200);
        assertThat(list.json().findValuesAsText("name")).containsExactly("jane", "root", "sam");
        assertThat(list.body.toString(StandardCharsets.UTF_8)).doesNotContain("argon2").doesNotContain("password");
    }

    @Test
    void onlyAdminsManageAccountsAndTheRefusalSaysWhy() throws Exception {
        logins.accounts.create("jane", "jane-password".toCharArray(), Set.of("agent"));

        FakeHttp.Response list = call("GET", "/users", as("jane", "jane-password"), null);
        FakeHttp.Response add = call("POST", "/users", as("jane", "jane-password"),
                "{\"name\": \"eve\", \"password\": \"eve-password\", \"roles\": [\"admin\"]}");
        FakeHttp.Response roles = call("PUT", "/users/jane/roles", as("jane", "jane-password"),
                "{\"roles\": [\"admin\"]}");
        FakeHttp.Response other = call("PUT", "/users/root/password", as("jane", "jane-password"),
                "{\"password\": \"taken-over!\", \"oldPassword\": \"jane-password\"}");

        for (FakeHttp.Response r : new FakeHttp.Response[] {list, add, roles}) {
            assertThat(r.status).isEqualTo(403);
            assertThat(r.json().path("error").asText()).isEqualTo("jane is not an admin; only admins manage accounts");
        }
        assertThat(other.status).isEqualTo(403);
        assertThat(other.json().path("error").asText()).contains("only their own password");
        assertThat(logins.accounts.find("eve")).isEmpty();
        assertThat(logins.accounts.find("jane").orElseThrow().roles()).containsExactly("agent");
    }

    @Test
    void aUserChangesTheirOwnPasswordWithTheOldOneAndTheOldOneStopsWorkingAtOnce() throws Exception {
        logins.accounts.create("jane", "jane-password".toCharArray(), Set.of("agent"));
        assertThat(call("GET", "/conversations", as("jane", "jane-password"), null).status).isNotIn(401, 403);

        FakeHttp.Response wrongOld = call("PUT", "/users/jane/password", as("jane", "jane-password"),
                "{\"password\": \"new-password\", \"oldPassword\": \"guess\"}");
        FakeHttp.Response changed = call("PUT", "/users/jane/password", as("jane", "jane-password"),
                "{\"password\": \"new-password\", \"oldPassword\": \"jane-password\"}");

        assertThat(wrongOld.status).isEqualTo(403);
        assertThat(changed.status).isEqualTo(200);
        assertThat(call("GET", "/conversations", as("jane", "jane-password"), null).status).isEqualTo(401);
        assertThat(call("GET", "/conversations", as("jane", "new-password"), null).status).isNotIn(401, 403);
        assertThat(call("PUT", "/users/jane/password", as("root", "root-password"),
                "{\"password\": \"set-by-admin\"}").status).isEqualTo(200);
        assertThat(call("GET", "/conversations", as("jane", "set-by-admin"), null).status).isNotIn(401, 403);
    }

    @Test
    void badRequestsAreRefusedWithTheReason() throws Exception {
        Map<String, String> root = as("root", "root-password");
        assertThat(call("POST", "/users", root, "{\"name\": \"jane\", \"password\": \"short\", \"roles\": [\"agent\"]}")
                .json().path("error").asText()).isEqualTo("a password has at least 8 characters");
        assertThat(call("POST", "/users", root, "{\"name\": \"root\", \"password\": \"long-enough\", "
                + "\"roles\": [\"agent\"]}").status).isEqualTo(409);
        assertThat(call("POST", "/users", root, "{\"name\": \"<b>x</b>\", \"password\": \"long-enough\", "
                + "\"roles\": [\"agent\"]}").status).isEqualTo(400);
        assertThat(call("POST", "/users", root, "{\"name\": \"jane\", \"password\": \"long-enough\"}")
                .json().path("error").asText()).contains("roles must be a list");
        assertThat(call("PUT", "/users/nobody/roles", root, "{\"roles\": [\"agent\"]}").status).isEqualTo(404);
        FakeHttp.Response last = call("PUT", "/users/root/roles", root, "{\"roles\": [\"agent\"]}");
        assertThat(last.status).isEqualTo(409);
        assertThat(last.json().path("error").asText()).isEqualTo("root is the last enabled admin; make another admin "
                + "first");
        assertThat(call("DELETE", "/users", root, "{}").status).isEqualTo(405);
    }
}
