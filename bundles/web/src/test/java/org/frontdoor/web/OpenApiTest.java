package org.frontdoor.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import javax.security.auth.login.FailedLoginException;

import com.fasterxml.jackson.databind.JsonNode;
import org.frontdoor.api.Scope;
import org.frontdoor.api.inbox.ConversationStatus;
import org.junit.jupiter.api.Test;

/**
 * The OpenAPI document ({@code GET /api/v1/openapi.json}) against the routes: every route of {@link RestHandler#ROUTES}
 * is in it and nothing else, with its access; what each route answers when it works is what the document says (status
 * and keys, checked on every route's real answer by RouteAccessTest through {@link #answersAsDocumented}, and here for
 * the browser session the servlet serves); Swagger UI at {@code /api/docs} is for admins, under its CSP.
 */
class OpenApiTest {

    private static final java.time.Instant T = java.time.Instant.parse("2026-12-07T10:00:00Z");

    private final ApiServlet servlet = new ApiServlet(new Authenticator((user, password) -> {
        String pw = new String(password);
        if (user.equals("root") && pw.equals("admin-pw")) {
            return Set.of("admin");
        }
        if (user.equals("jane") && pw.equals("agent-pw")) {
            return Set.of("agent");
        }
        throw new FailedLoginException("login failed");
    }, Clock.systemUTC(), Duration.ofSeconds(30), new LoginThrottle(Clock.systemUTC(),
            new LoginThrottle.Settings(5, 20, Duration.ofMinutes(15), 10_000))));

    OpenApiTest() {
        servlet.inbox = new MemoryInbox().add(1, "support", "api", ConversationStatus.QUEUED, T);
        MemoryAgents agents = new MemoryAgents();
        agents.scopes = (user, roles) -> Scope.ALL;
        servlet.agents = agents;
    }

    /**
     * Fails unless a route's answer is what the document says: its status, and for a JSON object every key the
     * schema always has and none it does not name (an array: each of its rows; at least one, so something is checked).
     */
    static void answersAsDocumented(RestHandler.Route route, Reply reply) {
        OpenApi.Operation operation = OpenApi.OPERATIONS.get(route.toString());
        assertThat(operation).as(route + " is in OpenApi.OPERATIONS").isNotNull();
        assertThat(reply.status()).as(route + " answers the documented status: " + reply.body())
                .isEqualTo(operation.status());
        String answer = operation.answer();
        if (answer == null) {
            assertThat(reply.body()).as(route + " answers no body").isNull();
        } else if (answer.equals("text/plain")) {
            assertThat(reply.body()).as(route + " answers text").isInstanceOf(RestHandler.Text.class);
        } else if (answer.equals("binary")) {
            assertThat(reply.body()).as(route + " answers a download").isInstanceOf(Download.class);
        } else {
            JsonNode body = Json.MAPPER.valueToTree(reply.body());
            hasTheKeysOf(route.toString(), answer, body);
        }
    }

    private static void hasTheKeysOf(String what, String answer, JsonNode body) {
        if (answer.startsWith("[")) {
            assertThat(body.isArray()).as(what + " answers an array").isTrue();
            assertThat(body.size()).as(what + ": a row to check").isPositive();
            body.forEach(row -> hasTheKeysOf(what, answer.substring(1, answer.length() - 1), row));
            return;
        }
        OpenApi.Schema schema = OpenApi.SCHEMAS.get(answer);
        assertThat(body.isObject()).as(what + " answers an object").isTrue();
        Set<String> keys = new TreeSet<>();
        body.fieldNames().forEachRemaining(keys::add);
        assertThat(keys).as(what + " has every key " + answer + " always has").containsAll(schema.required());
        assertThat(schema.keys()).as(what + " has only keys " + answer + " names").containsAll(keys);
    }

    @Test
    void everyRouteIsInTheDocumentAndNothingElse() {
        Set<String> routes = new TreeSet<>(RouteAccessTest.routes().toList());
        assertThat(new TreeSet<>(OpenApi.OPERATIONS.keySet())).as("an OpenApi.OPERATIONS entry per route of "
                + "RestHandler.ROUTES, and none for a route that is gone").isEqualTo(routes);

        JsonNode doc = Json.MAPPER.valueToTree(OpenApi.document());
        assertThat(doc.path("openapi").asText()).isEqualTo("3.0.3");
        assertThat(doc.path("servers").get(0).path("url").asText()).isEqualTo("/api/v1");
        Set<String> documented = new TreeSet<>();
        doc.path("paths").fields().forEachRemaining(path -> path.getValue().fieldNames().forEachRemaining(
                method -> documented.add(method.toUpperCase(java.util.Locale.ROOT) + " " + path.getKey())));
        assertThat(documented).isEqualTo(routes);
        for (RestHandler.Route route : RestHandler.ROUTES) {
            JsonNode op = doc.path("paths").path(route.template()).path(route.method().toLowerCase(
                    java.util.Locale.ROOT));
            assertThat(op.path("x-frontdoor-access").asText()).as(route.toString()).isEqualTo(route.kind().name());
            assertThat(op.path("responses").has(Integer.toString(OpenApi.OPERATIONS.get(route.toString()).status())))
                    .as(route.toString()).isTrue();
            assertThat(op.path("security").isEmpty()).as(route + ": no login needed only where none is")
                    .isEqualTo(route.kind() == RestHandler.Kind.PUBLIC);
            int parameters = route.template().split("\\{", -1).length - 1;
            List<String> inPath = new ArrayList<>();
            op.path("parameters").forEach(p -> {
                if (p.path("in").asText().equals("path")) {
                    inPath.add(p.path("name").asText());
                }
            });
            assertThat(inPath).as(route + ": its path parameters").hasSize(parameters);
        }
        assertThat(RouteAccessTest.routes().toList()).as("every section of openapi.md names a route")
                .containsAll(OpenApi.details().keySet());
        assertThat(doc.path("paths").path("/conversations/{id}/replies").path("post").path("description").asText())
                .contains("Idempotency-Key");
        // every reference names a schema of the document
        String text = doc.toString();
        java.util.regex.Matcher ref = java.util.regex.Pattern.compile("#/components/schemas/(\\w+)").matcher(text);
        while (ref.find()) {
            assertThat(doc.path("components").path("schemas").has(ref.group(1))).as(ref.group()).isTrue();
        }
    }

    @Test
    void theDocumentIsServedToEveryRoleAndNotWithoutALogin() throws Exception {
        FakeHttp.Response agent = call("GET", "/openapi.json", as("jane", "agent-pw"));
        FakeHttp.Response nobody = call("GET", "/openapi.json", Map.of());

        assertThat(agent.status).isEqualTo(200);
        assertThat(agent.json()).isEqualTo(Json.MAPPER.valueToTree(OpenApi.document()));
        assertThat(nobody.status).isEqualTo(401);
    }

    /** The session routes are served by the servlet (the cookie), not the route table: asked through it. */
    @Test
    void theSessionAnswersAsDocumented() throws Exception {
        FakeHttp.Response login = call("POST", "/session", Map.of("Content-Type", "application/json"),
                "{\"username\": \"jane\", \"password\": \"agent-pw\"}");
        hasTheKeysOf("POST /session", "Session", login.json());
        assertThat(login.status).isEqualTo(OpenApi.OPERATIONS.get("POST /session").status());
        String cookie = login.headers.get("Set-Cookie").split(";")[0];
        String csrf = login.json().path("csrfToken").asText();

        FakeHttp.Response who = call("GET", "/session", Map.of("Cookie", cookie));
        assertThat(who.status).isEqualTo(OpenApi.OPERATIONS.get("GET /session").status());
        hasTheKeysOf("GET /session", "Session", who.json());

        FakeHttp.Response logout = call("DELETE", "/session", Map.of("Cookie", cookie,
                Sessions.CSRF_HEADER, csrf, "Content-Type", "application/json"));
        assertThat(logout.status).isEqualTo(OpenApi.OPERATIONS.get("DELETE /session").status());
        assertThat(logout.body.size()).isZero();
    }

    @Test
    void swaggerUiIsForAdminsUnderItsCsp() throws Exception {
        FakeHttp.Response nobody = docs("/", Map.of());
        FakeHttp.Response agent = docs("/", as("jane", "agent-pw"));
        FakeHttp.Response wrong = docs("/", as("root", "nope"));
        FakeHttp.Response page = docs("/", as("root", "admin-pw"));

        assertThat(nobody.status).isEqualTo(401);
        assertThat(nobody.headers.get("WWW-Authenticate")).startsWith("Basic realm=\"frontdoor\"");
        assertThat(wrong.status).isEqualTo(401);
        assertThat(agent.status).isEqualTo(403);
        assertThat(agent.json().path("error").asText()).isEqualTo("jane is not an admin; the API's documentation "
                + "is for role admin");
        assertThat(page.status).isEqualTo(200);
        assertThat(page.headers.get("Content-Type")).startsWith("text/html");
        assertThat(page.headers.get("Content-Security-Policy")).contains("script-src 'self';")
                .doesNotContain("unsafe-eval").contains("frame-ancestors 'none'");
        String html = page.body.toString(StandardCharsets.UTF_8);
        assertThat(html).contains("<script src=\"swagger-ui-bundle.js\"></script>")
                .contains("<script src=\"docs.js\"></script>").doesNotContain("<script>").doesNotContain("style=");

        FakeHttp.Response bundle = docs("/swagger-ui-bundle.js", as("root", "admin-pw"));
        assertThat(bundle.status).isEqualTo(200);
        assertThat(bundle.headers.get("Content-Type")).startsWith("text/javascript");
        assertThat(bundle.body.toString(StandardCharsets.UTF_8)).contains("SwaggerUIBundle");
        assertThat(docs("/docs.js", as("root", "admin-pw")).body.toString(StandardCharsets.UTF_8))
                .contains("/api/v1/openapi.json");
        assertThat(docs("/swagger-ui.css", as("root", "admin-pw")).status).isEqualTo(200);
        FakeHttp.Response none = docs("/../../etc/passwd", as("root", "admin-pw"));
        assertThat(none.status).isEqualTo(404);
        FakeHttp.Response bare = docs(null, Map.of());
        assertThat(bare.status).isEqualTo(301);
        assertThat(bare.headers.get("Location")).isEqualTo("/api/docs/");
    }

    @Test
    void swaggerUiTakesTheBrowserSession() throws Exception {
        FakeHttp.Response login = call("POST", "/session", Map.of("Content-Type", "application/json"),
                "{\"username\": \"root\", \"password\": \"admin-pw\"}");
        String cookie = login.headers.get("Set-Cookie").split(";")[0];

        assertThat(docs("/", Map.of("Cookie", cookie)).status).isEqualTo(200);
        FakeHttp.Response ended = docs("/", Map.of("Cookie", "frontdoor_session=not-a-session"));
        assertThat(ended.status).isEqualTo(401);
        assertThat(ended.headers).doesNotContainKey("WWW-Authenticate");
    }

    private static Map<String, String> as(String user, String password) {
        Map<String, String> headers = new HashMap<>();
        headers.put("Authorization", "Basic " + Base64.getEncoder()
                .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
        return headers;
    }

    private FakeHttp.Response call(String method, String path, Map<String, String> headers) throws Exception {
        return call(method, path, headers, null);
    }

    private FakeHttp.Response call(String method, String path, Map<String, String> headers, String body)
            throws Exception {
        FakeHttp.Response response = new FakeHttp.Response();
        JaxRs.service(servlet, FakeHttp.request(method, path, null, headers, body), response.servlet());
        return response;
    }

    private FakeHttp.Response docs(String path, Map<String, String> headers) throws Exception {
        FakeHttp.Response response = new FakeHttp.Response();
        JaxRs.service(servlet, FakeHttp.docs(path, headers), response.servlet());
        return response;
    }
}
