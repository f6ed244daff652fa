package org.frontdoor.web;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Set;

import javax.security.auth.login.FailedLoginException;

import com.fasterxml.jackson.databind.JsonNode;
import org.frontdoor.api.inbox.ConversationQuery;
import org.frontdoor.api.inbox.ConversationStatus;
import org.frontdoor.api.inbox.ConversationSummary;
import org.frontdoor.api.inbox.Page;
import org.frontdoor.api.inbox.ReplyView;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ApiServletTest {

    private static final Instant T = Instant.parse("2026-11-24T10:00:00Z");
    private final MemoryInbox inbox = new MemoryInbox()
            .add(1, "support", "api", ConversationStatus.QUEUED, T.plusSeconds(10))
            .add(2, "sales", "api", ConversationStatus.NEW, T.plusSeconds(30));
    private final ApiServlet servlet = new ApiServlet(new Authenticator((user, password) -> {
        String pw = new String(password);
        if (user.equals("jane") && pw.equals("agent-pw")) {
            return Set.of("agent");
        }
        if (user.equals("vic") && pw.equals("viewer-pw")) {
            return Set.of("viewer", "group");
        }
        throw new FailedLoginException("login failed");
    }, Clock.systemUTC(), Duration.ofSeconds(30)));

    ApiServletTest() {
        servlet.inbox = inbox;
    }

    private static Map<String, String> as(String user, String password) {
        return Map.of("Authorization", "Basic " + Base64.getEncoder()
                .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
    }

    private FakeHttp.Response call(String method, String path, String query, Map<String, String> headers, String body)
            throws Exception {
        FakeHttp.Response response = new FakeHttp.Response();
        servlet.service(FakeHttp.request(method, path, query, headers, body), response.servlet());
        return response;
    }

    @Test
    void challengesCallersWithoutValidCredentials() throws Exception {
        FakeHttp.Response anonymous = call("GET", "/conversations", null, Map.of(), null);
        FakeHttp.Response wrong = call("GET", "/conversations", null, as("jane", "nope"), null);
        FakeHttp.Response garbage = call("GET", "/conversations", null, Map.of("Authorization", "Basic %%%"), null);

        for (FakeHttp.Response r : new FakeHttp.Response[] {anonymous, wrong, garbage}) {
            assertThat(r.status).isEqualTo(401);
            assertThat(r.headers.get("WWW-Authenticate")).startsWith("Basic realm=\"frontdoor\"");
            assertThat(r.json().path("error").asText()).isEqualTo("authentication required");
        }
        assertThat(inbox.lastQuery).isNull();
    }

    @Test
    void letsAdminsAndAgentsThrough() {
        assertThat(ApiServlet.refusal(new Authenticator.Caller("root", Set.of("admin", "manager")))).isNull();
        assertThat(ApiServlet.refusal(new Authenticator.Caller("jane", Set.of("agent")))).isNull();
        assertThat(ApiServlet.refusal(new Authenticator.Caller("sam", Set.of("supervisor"))).status()).isEqualTo(403);
    }

    @Test
    void forbidsAUserWithNeitherAdminNorAgent() throws Exception {
        FakeHttp.Response r = call("GET", "/conversations", null, as("vic", "viewer-pw"), null);

        assertThat(r.status).isEqualTo(403);
        assertThat(r.json().path("error").asText()).contains("vic");
        assertThat(inbox.lastQuery).isNull();
    }

    @Test
    void listsWithTheQueryStringDecodedAsUtf8() throws Exception {
        inbox.add(3, "ventes-é", "api", ConversationStatus.NEW, T);

        FakeHttp.Response r = call("GET", "/conversations", "department=ventes-%C3%A9&status=new&limit=5",
                as("jane", "agent-pw"), null);

        assertThat(r.status).isEqualTo(200);
        assertThat(r.headers).containsEntry("Cache-Control", "no-store");
        assertThat(r.json().path("items").findValuesAsText("id")).containsExactly("3");
        assertThat(inbox.lastQuery).isEqualTo(new ConversationQuery(ConversationStatus.NEW, "ventes-é", null, 0, 5));
    }

    @Test
    void queuesAReplyAsTheAuthenticatedAgentWhateverTheContentType() throws Exception {
        // curl -d sends application/x-www-form-urlencoded; the body must still be read as JSON
        FakeHttp.Response r = call("POST", "/conversations/2/replies", null,
                Map.of("Authorization", as("jane", "agent-pw").get("Authorization"),
                        "Content-Type", "application/x-www-form-urlencoded"),
                "{\"text\":\"Sorry, on its way\"}");

        assertThat(r.status).isEqualTo(202);
        assertThat(r.headers).containsEntry("Location", "/api/v1/conversations/2");
        JsonNode reply = r.json();
        assertThat(reply.path("id").isNumber()).isTrue();
        assertThat(reply.path("status").asText()).isEqualTo("QUEUED");
        assertThat(reply.path("author").asText()).isEqualTo("jane");
        assertThat(inbox.replies.get(2L)).extracting(ReplyView::text).containsExactly("Sorry, on its way");
    }

    @Test
    void refusesOversizedBodiesAndMalformedQueries() throws Exception {
        FakeHttp.Response big = call("POST", "/conversations/1/replies", null, as("jane", "agent-pw"),
                "{\"text\":\"" + "x".repeat(300 * 1024) + "\"}");
        FakeHttp.Response badQuery = call("GET", "/conversations", "limit=%zz", as("jane", "agent-pw"), null);

        assertThat(big.status).isEqualTo(413);
        assertThat(badQuery.status).isEqualTo(400);
        assertThat(badQuery.json().path("error").asText()).startsWith("malformed query string");
        assertThat(inbox.replies.get(1L)).isEmpty();
    }

    @Test
    void answersAFailingCoreWith500JsonAndAMissingOneWith503() throws Exception {
        servlet.inbox = new MemoryInbox() {
            @Override
            public Page<ConversationSummary> conversations(ConversationQuery query) {
                throw new IllegalStateException("database gone: jdbc:postgresql://db/secret");
            }
        };
        FakeHttp.Response failing = call("GET", "/conversations", null, as("jane", "agent-pw"), null);
        servlet.inbox = null;
        FakeHttp.Response missing = call("GET", "/conversations/1", null, as("jane", "agent-pw"), null);

        assertThat(failing.status).isEqualTo(500);
        assertThat(failing.json().path("error").asText()).doesNotContain("database");
        assertThat(missing.status).isEqualTo(503);
        assertThat(missing.headers).containsKey("Retry-After");
        assertThat(missing.json().path("error").asText()).isNotBlank();
    }

    @Test
    void webhookFallbackAsksTheSenderToRetry() throws Exception {
        for (String method : new String[] {"POST", "GET", "PUT"}) {
            FakeHttp.Response r = new FakeHttp.Response();
            new WebhookFallbackServlet().service(FakeHttp.request(method, "/telegram/main", null, Map.of(), "{}"),
                    r.servlet());

            assertThat(r.status).isEqualTo(503);
            assertThat(r.headers).containsEntry("Retry-After", "30");
            assertThat(new String(r.body.toByteArray(), StandardCharsets.UTF_8))
                    .isEqualTo("{\"error\":\"no channel is installed for this path\"}");
        }
    }
}
