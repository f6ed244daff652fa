package org.frontdoor.web;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import javax.security.auth.login.FailedLoginException;

import org.frontdoor.api.Scope;
import org.frontdoor.api.inbox.ConversationStatus;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Browser sessions through the servlet: login, the cookie, CSRF on changes, idle timeout on a test clock, logout. */
class SessionsTest {

    private static final Instant T = Instant.parse("2026-12-07T10:00:00Z");

    /** A clock the test moves. */
    private static final class MovingClock extends Clock {
        Instant now = T;

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private final MovingClock clock = new MovingClock();
    private final MemoryInbox inbox = new MemoryInbox().add(1, "support", "api", ConversationStatus.QUEUED, T);
    private final ApiServlet servlet = node();

    /** A node's REST servlet: its own authenticator, sessions and clock-driven throttle, this test's inbox. */
    private ApiServlet node() {
        ApiServlet node = new ApiServlet(new Authenticator((user, password) -> {
            if (user.equals("jane") && new String(password).equals("agent-pw")) {
                return Set.of("agent");
            }
            if (user.equals("vic") && new String(password).equals("viewer-pw")) {
                return Set.of("viewer");
            }
            throw new FailedLoginException("login failed");
        }, clock, Duration.ofSeconds(30), new LoginThrottle(clock,
                new LoginThrottle.Settings(3, 20, Duration.ofMinutes(15), 10_000))),
                new Sessions(clock, Duration.ofMinutes(30)));
        node.inbox = inbox;
        MemoryAgents agents = new MemoryAgents();
        agents.scopes = (user, roles) -> Scope.ALL;
        node.agents = agents;
        return node;
    }

    SessionsTest() {
    }

    private static FakeHttp.Response call(ApiServlet node, String method, String path, Map<String, String> headers,
                                          String body) throws Exception {
        FakeHttp.Response response = new FakeHttp.Response();
        JaxRs.service(node, FakeHttp.request(method, path, null, headers, body), response.servlet());
        return response;
    }

    private FakeHttp.Response call(String method, String path, Map<String, String> headers, String body)
            throws Exception {
        return call(servlet, method, path, headers, body);
    }

    private FakeHttp.Response login(String user, String password) throws Exception {
        return call("POST", "/session", Map.of("Content-Type", "application/json"),
                "{\"username\": \"" + user + "\", \"password\": \"" + password + "\"}");
    }

    private static String cookieOf(FakeHttp.Response login) {
        String setCookie = login.headers.get("Set-Cookie");
        return setCookie.substring(0, setCookie.indexOf(';'));
    }

    private static Map<String, String> with(String cookie, String... more) {
        Map<String, String> headers = new HashMap<>(Map.of("Cookie", cookie, "Content-Type", "application/json"));
        for (int i = 0; i < more.length; i += 2) {
            headers.put(more[i], more[i + 1]);
        }
        return headers;
    }

    @Test
    void aLoginSetsAStrictHttpOnlyCookieWithARandomIdAndReturnsTheCsrfToken() throws Exception {
        FakeHttp.Response one = login("jane", "agent-pw");
        FakeHttp.Response two = login("jane", "agent-pw");

        assertThat(one.status).isEqualTo(200);
        String setCookie = one.headers.get("Set-Cookie");
        assertThat(setCookie).startsWith("frontdoor_session=").contains("HttpOnly").contains("SameSite=Strict")
                .contains("Path=/").doesNotContain("Secure"); // FakeHttp's request is not over TLS
        String id = cookieOf(one).substring("frontdoor_session=".length());
        assertThat(java.util.Base64.getUrlDecoder().decode(id)).hasSize(32);
        assertThat(cookieOf(two)).isNotEqualTo(cookieOf(one));
        assertThat(one.json().path("user").asText()).isEqualTo("jane");
        assertThat(one.json().path("csrfToken").asText()).hasSizeGreaterThanOrEqualTo(43)
                .isNotEqualTo(two.json().path("csrfToken").asText());
        assertThat(one.json().path("idleTimeoutSeconds").asLong()).isEqualTo(1800);

        FakeHttp.Response me = call("GET", "/session", with(cookieOf(one)), null);
        assertThat(me.json().path("csrfToken").asText()).isEqualTo(one.json().path("csrfToken").asText());
        FakeHttp.Response list = call("GET", "/conversations", with(cookieOf(one)), null);
        assertThat(list.status).isEqualTo(200);
        assertThat(list.json().path("total").asLong()).isEqualTo(1);
    }

    @Test
    void aFormLoginWorksAndWrongPasswordsAreThrottledAsBasicIs() throws Exception {
        FakeHttp.Response form = call("POST", "/session", Map.of("Content-Type", "application/x-www-form-urlencoded"),
                "username=jane&password=agent-pw");
        assertThat(form.status).isEqualTo(200);

        for (int i = 0; i < 3; i++) {
            FakeHttp.Response wrong = login("jane", "nope");
            assertThat(wrong.status).isEqualTo(401);
            assertThat(wrong.headers).doesNotContainKey("WWW-Authenticate").doesNotContainKey("Set-Cookie");
        }
        FakeHttp.Response locked = login("jane", "agent-pw");
        assertThat(locked.status).isEqualTo(429);
        assertThat(locked.headers.get("Retry-After")).isNotBlank();
        assertThat(locked.headers).doesNotContainKey("Set-Cookie");
        FakeHttp.Response noRole = login("vic", "viewer-pw");
        assertThat(noRole.status).isEqualTo(403);
        assertThat(noRole.headers).doesNotContainKey("Set-Cookie");
        FakeHttp.Response elsewhere = call("POST", "/session", Map.of("Content-Type", "application/json",
                "Origin", "https://evil.example", "Host", "frontdoor.example:8181"),
                "{\"username\": \"jane\", \"password\": \"agent-pw\"}");
        assertThat(elsewhere.status).isEqualTo(403);
    }

    @Test
    void aChangeWithTheCookieNeedsTheSessionsCsrfToken() throws Exception {
        FakeHttp.Response jane = login("jane", "agent-pw");
        FakeHttp.Response other = login("jane", "agent-pw");
        String token = jane.json().path("csrfToken").asText();
        String body = "{\"text\": \"hello\"}";

        FakeHttp.Response missing = call("POST", "/conversations/1/replies", with(cookieOf(jane)), body);
        FakeHttp.Response wrong = call("POST", "/conversations/1/replies", with(cookieOf(jane),
                "X-CSRF-Token", other.json().path("csrfToken").asText()), body);
        assertThat(missing.status).isEqualTo(403);
        assertThat(missing.json().path("error").asText()).contains("X-CSRF-Token");
        assertThat(wrong.status).isEqualTo(403);
        assertThat(inbox.replies.get(1L)).isEmpty();

        FakeHttp.Response right = call("POST", "/conversations/1/replies", with(cookieOf(jane),
                "X-CSRF-Token", token), body);
        assertThat(right.status).as(right.body.toString()).isEqualTo(202);
        assertThat(inbox.replies.get(1L)).hasSize(1);
        // a logout is a change too
        assertThat(call("DELETE", "/session", with(cookieOf(jane)), null).status).isEqualTo(403);
        assertThat(call("GET", "/conversations", with(cookieOf(jane)), null).status).isEqualTo(200);
    }

    @Test
    void anIdleSessionEndsAndAUsedOneLasts() throws Exception {
        FakeHttp.Response jane = login("jane", "agent-pw");
        String cookie = cookieOf(jane);

        clock.now = T.plus(Duration.ofMinutes(29));
        assertThat(call("GET", "/conversations", with(cookie), null).status).isEqualTo(200);
        clock.now = T.plus(Duration.ofMinutes(58));
        assertThat(call("GET", "/conversations", with(cookie), null).status).as("used 29 minutes ago").isEqualTo(200);

        clock.now = T.plus(Duration.ofMinutes(88));
        FakeHttp.Response idle = call("GET", "/conversations", with(cookie), null);
        assertThat(idle.status).isEqualTo(401);
        assertThat(idle.headers).doesNotContainKey("WWW-Authenticate");
        assertThat(idle.json().path("error").asText()).contains("session has ended");
        assertThat(call("GET", "/session", with(cookie), null).status).isEqualTo(401);
    }

    @Test
    void aLogoutEndsTheSession() throws Exception {
        FakeHttp.Response jane = login("jane", "agent-pw");
        String cookie = cookieOf(jane);

        FakeHttp.Response out = call("DELETE", "/session", with(cookie, "X-CSRF-Token",
                jane.json().path("csrfToken").asText()), null);

        assertThat(out.status).isEqualTo(204);
        assertThat(out.headers.get("Set-Cookie")).contains("Max-Age=0");
        assertThat(call("GET", "/conversations", with(cookie), null).status).isEqualTo(401);
        assertThat(call("GET", "/session", with(cookie), null).status).isEqualTo(401);
    }

    @Test
    void basicStaysAsItIsWithoutCsrf() throws Exception {
        FakeHttp.Response reply = call("POST", "/conversations/1/replies", Map.of("Content-Type", "application/json",
                "Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString("jane:agent-pw".getBytes())),
                "{\"text\": \"hello\"}");
        assertThat(reply.status).isEqualTo(202);
    }

    /**
     * Two nodes behind a load balancer, on one store: a browser logged in on one is served by the other with the same
     * cookie and CSRF token, a logout on the second ends it on the first, and the store holds no session id.
     */
    @Test
    void aSessionMadeOnOneNodeIsServedByAnotherAndALogoutThereEndsItEverywhere() throws Exception {
        Sessions.InMemory store = new Sessions.InMemory();
        ApiServlet other = node();
        servlet.bindBrowserSessions(store);
        other.bindBrowserSessions(store);

        FakeHttp.Response login = login("jane", "agent-pw");
        String cookie = cookieOf(login);
        String csrf = login.json().path("csrfToken").asText();
        String id = cookie.substring("frontdoor_session=".length());
        assertThat(store.find(Sessions.hash(id))).isPresent();
        assertThat(store.find(id)).isEmpty();

        assertThat(call(other, "GET", "/conversations", with(cookie), null).status).isEqualTo(200);
        assertThat(call(other, "GET", "/session", with(cookie), null).json().path("csrfToken").asText())
                .isEqualTo(csrf);
        assertThat(call(other, "POST", "/conversations/1/assign", with(cookie), "{}").status).isEqualTo(403);
        assertThat(call(other, "POST", "/conversations/1/assign", with(cookie, Sessions.CSRF_HEADER, csrf), "{}")
                .status).isEqualTo(200);

        assertThat(call(other, "DELETE", "/session", with(cookie, Sessions.CSRF_HEADER, csrf), null).status)
                .isEqualTo(204);
        assertThat(call("GET", "/conversations", with(cookie), null).status).isEqualTo(401);
        assertThat(store.size()).isZero();
    }
}
