package org.frontdoor.web;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import javax.security.auth.login.FailedLoginException;

import com.fasterxml.jackson.databind.JsonNode;
import org.frontdoor.api.Attachment;
import org.frontdoor.api.Blobs;
import org.frontdoor.api.Caller;
import org.frontdoor.api.Channel;
import org.frontdoor.api.ChannelHealth;
import org.frontdoor.api.ConversationEvent;
import org.frontdoor.api.Scope;
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
    }, Clock.systemUTC(), Duration.ofSeconds(30), new LoginThrottle(Clock.systemUTC(),
            new LoginThrottle.Settings(5, 20, Duration.ofMinutes(15), 10_000))));

    private final MemoryAgents agents = new MemoryAgents();

    ApiServletTest() {
        servlet.inbox = inbox;
        // the scope is core's to decide (Agents.scopeOf): here everything, so these tests are about HTTP alone
        agents.scopes = (user, roles) -> Scope.ALL;
        servlet.agents = agents;
    }

    private static Map<String, String> as(String user, String password) {
        return Map.of("Authorization", "Basic " + Base64.getEncoder()
                .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
    }

    private FakeHttp.Response call(String method, String path, String query, Map<String, String> headers, String body)
            throws Exception {
        FakeHttp.Response response = new FakeHttp.Response();
        JaxRs.service(servlet, FakeHttp.request(method, path, query, headers, body), response.servlet());
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
    void theHealthAnswersWithoutALoginAndNothingElseDoes() throws Exception {
        FakeHttp.Response health = call("GET", "/health", null, Map.of(), null);
        FakeHttp.Response conversations = call("GET", "/conversations", null, Map.of(), null);
        FakeHttp.Response postHealth = call("POST", "/health", null, Map.of("Content-Type", "application/json"), "{}");

        // core is not running in this test: not ready
        assertThat(health.status).isEqualTo(503);
        assertThat(health.json().path("live").asBoolean()).isTrue();
        assertThat(health.json().path("ready").asBoolean()).isFalse();
        assertThat(health.json().path("core").asText()).isEqualTo("DOWN");
        assertThat(health.json().has("problems")).isFalse();
        assertThat(conversations.status).isEqualTo(401);
        assertThat(postHealth.status).as("only GET of the health is open").isEqualTo(401);
        assertThat(call("GET", "/health", "detail", Map.of(), null).status).isEqualTo(403);
        assertThat(call("GET", "/health", null, as("jane", "nope"), null).status)
                .as("credentials given are checked").isEqualTo(401);
    }

    @Test
    void letsAdminsSupervisorsAndAgentsThrough() {
        assertThat(ApiServlet.refusal(new Authenticator.User("root", Set.of("admin", "manager")))).isNull();
        assertThat(ApiServlet.refusal(new Authenticator.User("jane", Set.of("agent")))).isNull();
        assertThat(ApiServlet.refusal(new Authenticator.User("sam", Set.of("supervisor")))).isNull();
        assertThat(ApiServlet.refusal(new Authenticator.User("vic", Set.of("viewer"))).status()).isEqualTo(403);
    }

    @Test
    void anAgentsScopeIsTheirDepartmentsAnAdminsEverythingAndWithoutCoreNothing() {
        MemoryAgents membership = new MemoryAgents().add("jane", 3, "support");
        assertThat(ApiServlet.callerOf(new Authenticator.User("root", Set.of("admin", "manager")), membership))
                .isEqualTo(new Caller("root", Set.of("admin", "manager"), Scope.ALL));
        assertThat(ApiServlet.callerOf(new Authenticator.User("jane", Set.of("agent")), membership))
                .isEqualTo(new Caller("jane", Set.of("agent"), Scope.departments(Set.of("support"))));
        assertThat(ApiServlet.callerOf(new Authenticator.User("stranger", Set.of("supervisor")), membership).scope())
                .isEqualTo(Scope.departments(Set.of()));
        assertThat(ApiServlet.callerOf(new Authenticator.User("jane", Set.of("agent"))).scope())
                .as("core not running: fail closed").isEqualTo(Scope.departments(Set.of()));
        assertThat(ApiServlet.callerOf(new Authenticator.User("root", Set.of("admin"))).scope()).isEqualTo(Scope.ALL);
    }

    @Test
    void aSalesAgentAskingForASupportConversationGetsNoConversation() throws Exception {
        agents.scopes = null;
        agents.add("jane", 3, "sales");

        FakeHttp.Response r = call("GET", "/conversations/1", null, as("jane", "agent-pw"), null);
        assertThat(r.status).isEqualTo(404);
        assertThat(r.json().path("error").asText()).isEqualTo("no conversation 1");
        FakeHttp.Response snooze = call("POST", "/conversations/1/snooze", null, json(as("jane", "agent-pw")),
                "{\"until\": \"2099-01-01T00:00:00Z\"}");
        assertThat(snooze.status).isEqualTo(404);
        assertThat(snooze.json().path("error").asText()).isEqualTo("no conversation 1");
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

    private static Map<String, String> json(Map<String, String> headers) {
        return Map.of("Authorization", headers.get("Authorization"), "Content-Type", "application/json; charset=UTF-8");
    }

    @Test
    void queuesAReplyAsTheAuthenticatedAgentWithHerRoles() throws Exception {
        FakeHttp.Response r = call("POST", "/conversations/2/replies", null, json(as("jane", "agent-pw")),
                "{\"text\":\"Sorry, on its way\"}");

        assertThat(r.status).isEqualTo(202);
        assertThat(r.headers).containsEntry("Location", "/api/v1/conversations/2");
        JsonNode reply = r.json();
        assertThat(reply.path("id").isNumber()).isTrue();
        assertThat(reply.path("status").asText()).isEqualTo("QUEUED");
        assertThat(reply.path("author").asText()).isEqualTo("jane");
        assertThat(inbox.replies.get(2L)).extracting(ReplyView::text).containsExactly("Sorry, on its way");
        assertThat(inbox.callers).containsExactly(new Caller("jane", Set.of("agent"), Scope.ALL));
    }

    /** A client that did not get the answer sends again with the same Idempotency-Key and gets the first reply. */
    @Test
    void aRepeatedReplyWithItsIdempotencyKeyIsStoredOnce() throws Exception {
        Map<String, String> headers = new java.util.HashMap<>(json(as("jane", "agent-pw")));
        headers.put("Idempotency-Key", "4f1c0d2e-retry-safe");

        FakeHttp.Response first = call("POST", "/conversations/2/replies", null, headers, "{\"text\":\"On its way\"}");
        FakeHttp.Response repeat = call("POST", "/conversations/2/replies", null, headers, "{\"text\":\"On its way\"}");
        FakeHttp.Response other = call("POST", "/conversations/2/replies", null, headers, "{\"text\":\"Other\"}");

        assertThat(first.status).isEqualTo(202);
        assertThat(repeat.status).isEqualTo(202);
        assertThat(repeat.json().path("id").asLong()).isEqualTo(first.json().path("id").asLong());
        assertThat(other.status).isEqualTo(422);
        assertThat(inbox.replies.get(2L)).extracting(ReplyView::text).containsExactly("On its way");
    }

    @Test
    void refusesAFormOrTextPostWith415SoAnotherSiteCannotPostWithTheBrowsersCredentials() throws Exception {
        for (String type : new String[] {"application/x-www-form-urlencoded", "text/plain", "multipart/form-data"}) {
            FakeHttp.Response r = call("POST", "/conversations/2/replies", null,
                    Map.of("Authorization", as("jane", "agent-pw").get("Authorization"), "Content-Type", type),
                    "{\"text\":\"Sorry, on its way\"}");

            assertThat(r.status).as(type).isEqualTo(415);
            assertThat(r.json().path("error").asText()).contains("application/json").contains(type);
        }
        FakeHttp.Response none = call("POST", "/conversations/2/resolve", null, as("jane", "agent-pw"), null);

        assertThat(none.status).isEqualTo(415);
        assertThat(inbox.replies.get(2L)).isEmpty();
        assertThat(inbox.callers).isEmpty();
    }

    @Test
    void changesAConversationAndReadsTheEventsOverHttp() throws Exception {
        inbox.event(ConversationEvent.Type.MESSAGE_ADDED, 1, "system", null);

        FakeHttp.Response assigned = call("POST", "/conversations/1/assign", null, json(as("jane", "agent-pw")), "{}");
        FakeHttp.Response resolved = call("POST", "/conversations/1/resolve", null, json(as("jane", "agent-pw")), null);
        FakeHttp.Response again = call("POST", "/conversations/1/resolve", null, json(as("jane", "agent-pw")), "{}");
        FakeHttp.Response events = call("GET", "/events", "after=0&limit=10", as("jane", "agent-pw"), null);

        assertThat(assigned.status).isEqualTo(200);
        assertThat(assigned.json().path("assignee").asText()).isEqualTo("jane");
        assertThat(resolved.json().path("status").asText()).isEqualTo("RESOLVED");
        assertThat(again.status).isEqualTo(409);
        assertThat(again.json().path("error").asText()).isEqualTo("conversation 1 is resolved already");
        assertThat(events.status).isEqualTo(200);
        assertThat(new String(events.body.toByteArray(), StandardCharsets.UTF_8))
                .contains("\"type\":\"message-added\"").contains("\"next\":1");
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
            public Page<ConversationSummary> conversations(Caller caller, ConversationQuery query) {
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

    /** Attachment content kept in memory: the database's side is tested in the store's AttachmentStoreTest. */
    private static final class MemoryBlobs implements Blobs {
        final Map<String, byte[]> content = new java.util.HashMap<>();

        @Override
        public Attachment store(String name, String mediaType, InputStream in, long maxBytes) {
            throw new UnsupportedOperationException("the REST API only reads");
        }

        @Override
        public Optional<InputStream> open(String blobRef) {
            return Optional.ofNullable(content.get(blobRef)).map(ByteArrayInputStream::new);
        }

        @Override
        public boolean attach(long messageId, int ordinal, Attachment stored) {
            throw new UnsupportedOperationException("the REST API only reads");
        }
    }

    @Test
    void anAttachmentIsADownloadTheBrowserNeverRuns() throws Exception {
        MemoryBlobs blobs = new MemoryBlobs();
        byte[] html = "<script>x</script>".getBytes(StandardCharsets.UTF_8);
        blobs.content.put(MemoryInbox.ATTACHMENTS.get(0).blobRef(), html);
        servlet.blobs = blobs;

        FakeHttp.Response r = call("GET", "/conversations/1/messages/100/attachments/0", null, as("jane", "agent-pw"),
                null);

        assertThat(r.status).isEqualTo(200);
        assertThat(r.body.toByteArray()).isEqualTo(html);
        assertThat(r.headers).containsEntry("Content-Type", "application/octet-stream")
                .containsEntry("X-Content-Type-Options", "nosniff")
                .containsEntry("Content-Disposition", "attachment; filename*=UTF-8''page%20_1_.html");
        assertThat(r.headers.get("Content-Security-Policy")).startsWith("sandbox");
    }

    @Test
    void anAttachmentItsDoorRefusedIsGoneWithTheReasonAndOthersAreNotFound() throws Exception {
        servlet.blobs = new MemoryBlobs();
        Map<String, String> jane = as("jane", "agent-pw");

        FakeHttp.Response refused = call("GET", "/conversations/1/messages/100/attachments/1", null, jane, null);
        FakeHttp.Response beyond = call("GET", "/conversations/1/messages/100/attachments/2", null, jane, null);
        FakeHttp.Response otherMessage = call("GET", "/conversations/1/messages/200/attachments/0", null, jane, null);
        FakeHttp.Response noConversation = call("GET", "/conversations/9/messages/900/attachments/0", null, jane, null);
        FakeHttp.Response contentMissing = call("GET", "/conversations/1/messages/100/attachments/0", null, jane, null);
        FakeHttp.Response badIndex = call("GET", "/conversations/1/messages/100/attachments/-1", null, jane, null);

        assertThat(refused.status).isEqualTo(410);
        assertThat(refused.json().path("error").asText()).contains("video/mp4").contains("90000000 bytes");
        assertThat(beyond.status).isEqualTo(404);
        assertThat(otherMessage.status).isEqualTo(404);
        assertThat(noConversation.status).isEqualTo(404);
        assertThat(contentMissing.status).isEqualTo(404);
        assertThat(badIndex.status).isEqualTo(400);
        assertThat(badIndex.json().path("error").asText()).isEqualTo("'-1' is not an attachment index (0 for the first)");
    }

    @Test
    void withoutTheStoreAnAttachmentIsUnavailableForNow() throws Exception {
        FakeHttp.Response r = call("GET", "/conversations/1/messages/100/attachments/0", null, as("jane", "agent-pw"),
                null);

        assertThat(r.status).isEqualTo(503);
        assertThat(r.headers).containsKey("Retry-After");
    }

    @Test
    void theChannelsAndTheirHealthAreListedForAdminsAndAgents() throws Exception {
        servlet.addChannel(channel("email", "support", new ChannelHealth(ChannelHealth.Status.AUTH_EXPIRED,
                "set 'password' in etc/org.frontdoor.channel.email-support.cfg", T)), Map.of(
                org.osgi.framework.Constants.SERVICE_ID, 7L, Channel.CHANNEL, "email", Channel.INSTANCE, "support"));
        servlet.addChannel(channel("api", "demo", ChannelHealth.up()), Map.of(
                org.osgi.framework.Constants.SERVICE_ID, 3L, Channel.CHANNEL, "api", Channel.INSTANCE, "demo"));

        FakeHttp.Response r = call("GET", "/channels", null, as("jane", "agent-pw"), null);

        assertThat(r.status).isEqualTo(200);
        JsonNode rows = r.json();
        assertThat(rows).hasSize(2);
        assertThat(rows.get(0).path("channel").asText()).isEqualTo("api");
        assertThat(rows.get(0).path("status").asText()).isEqualTo("UP");
        assertThat(rows.get(1).path("instance").asText()).isEqualTo("support");
        assertThat(rows.get(1).path("status").asText()).isEqualTo("AUTH_EXPIRED");
        assertThat(rows.get(1).path("reason").asText()).contains("etc/org.frontdoor.channel.email-support.cfg");
        assertThat(call("GET", "/channels", null, Map.of(), null).status).isEqualTo(401);
        // every change without JSON is 415 first, on every route; with JSON, a read-only resource says 405
        assertThat(call("POST", "/channels", null, json(as("jane", "agent-pw")), "{}").status).isEqualTo(405);

        servlet.removeChannel(null, Map.of(org.osgi.framework.Constants.SERVICE_ID, 7L));
        assertThat(call("GET", "/channels", null, as("jane", "agent-pw"), null).json()).hasSize(1);
    }

    @Test
    void theDepartmentsAreListedAndShownOneByOne() throws Exception {
        org.frontdoor.api.Department billing = new org.frontdoor.api.Department("billing", "Billing",
                org.frontdoor.api.Department.Status.CONFIGURED, null, "/etc/org.frontdoor.department-billing.cfg",
                org.frontdoor.api.BusinessHours.parse("mon-fri 09:00-17:00", java.time.ZoneId.of("Europe/Paris"),
                        java.util.List.of("2026-12-25")), 1, 30, 480, Set.of("billing-agents"), true);
        org.frontdoor.api.Department legal = new org.frontdoor.api.Department("legal", "legal",
                org.frontdoor.api.Department.Status.INVALID, "/etc/org.frontdoor.department-legal.cfg: timeZone 'CEST' "
                + "is not an IANA zone id", "/etc/org.frontdoor.department-legal.cfg", null, 0, 0, 0, Set.of(), false);
        java.util.List<org.frontdoor.api.Department> all = java.util.List.of(billing, legal,
                org.frontdoor.api.Department.seenOnly("sales"));
        servlet.departments = new org.frontdoor.api.Departments() {
            @Override
            public java.util.List<org.frontdoor.api.Department> list() {
                return all;
            }

            @Override
            public Optional<org.frontdoor.api.Department> get(String id) {
                return all.stream().filter(d -> d.id().equals(id)).findFirst();
            }
        };
        // Thursday 2026-12-24, 18:00 in Paris: closed; Friday is a holiday, so Monday 09:00
        servlet.clock = Clock.fixed(Instant.parse("2026-12-24T17:00:00Z"), java.time.ZoneOffset.UTC);

        FakeHttp.Response r = call("GET", "/departments", null, as("jane", "agent-pw"), null);

        assertThat(r.status).isEqualTo(200);
        JsonNode rows = r.json().path("departments");
        assertThat(rows).hasSize(3);
        JsonNode b = rows.get(0);
        assertThat(b.path("id").asText()).isEqualTo("billing");
        assertThat(b.path("status").asText()).isEqualTo("CONFIGURED");
        assertThat(b.path("timeZone").asText()).isEqualTo("Europe/Paris");
        assertThat(b.path("businessHours").asText()).isEqualTo("mon-fri 09:00-17:00");
        assertThat(b.path("holidays").get(0).asText()).isEqualTo("2026-12-25");
        assertThat(b.path("openNow").asBoolean()).isFalse();
        assertThat(b.path("nextOpening").asText()).isEqualTo("2026-12-28T08:00:00Z");
        assertThat(b.path("firstResponseMinutes").asInt()).isEqualTo(30);
        assertThat(b.path("resolutionMinutes").asInt()).isEqualTo(480);
        assertThat(b.path("defaultPriority").asInt()).isEqualTo(1);
        assertThat(b.path("readGroups").get(0).asText()).isEqualTo("billing-agents");
        assertThat(b.path("seen").asBoolean()).isTrue();
        assertThat(rows.get(1).path("status").asText()).isEqualTo("INVALID");
        assertThat(rows.get(1).path("reason").asText()).contains("timeZone 'CEST'");
        assertThat(rows.get(2).path("status").asText()).isEqualTo("SEEN_ONLY");
        assertThat(rows.get(2).path("openNow").isNull()).isTrue();

        FakeHttp.Response one = call("GET", "/departments/billing", null, as("jane", "agent-pw"), null);
        assertThat(one.status).isEqualTo(200);
        assertThat(one.json().path("name").asText()).isEqualTo("Billing");
        FakeHttp.Response none = call("GET", "/departments/nope", null, as("jane", "agent-pw"), null);
        assertThat(none.status).isEqualTo(404);
        assertThat(none.json().path("error").asText()).isEqualTo("no department nope");
        assertThat(call("GET", "/departments", null, Map.of(), null).status).isEqualTo(401);
        // every change without JSON is 415 first, on every route; with JSON, a read-only resource says 405
        assertThat(call("POST", "/departments", null, json(as("jane", "agent-pw")), "{}").status).isEqualTo(405);
        servlet.departments = null;
        assertThat(call("GET", "/departments", null, as("jane", "agent-pw"), null).status).isEqualTo(503);
    }

    @Test
    void callbacksAreListedAndMarkedDoneWithClearRefusals() throws Exception {
        java.util.List<org.frontdoor.api.CallbackTask> tasks = new java.util.ArrayList<>(java.util.List.of(
                new org.frontdoor.api.CallbackTask(1, 10, "support", 7, "Zoé", "+33612345678", "call back",
                        Instant.parse("2026-12-07T09:00:00Z"), null, null)));
        servlet.callbacks = new org.frontdoor.api.Callbacks() {
            @Override
            public java.util.List<org.frontdoor.api.CallbackTask> list(org.frontdoor.api.Caller caller,
                                                                     boolean openOnly, int limit) {
                return tasks.stream().filter(t -> !openOnly || t.open()).toList();
            }

            @Override
            public org.frontdoor.api.CallbackTask done(org.frontdoor.api.Caller caller, long id) {
                org.frontdoor.api.CallbackTask t = tasks.stream().filter(x -> x.id() == id).findFirst()
                        .orElseThrow(() -> new java.util.NoSuchElementException("no callback task " + id));
                if (!t.open()) {
                    throw new IllegalStateException("callback task " + id + " is done already");
                }
                org.frontdoor.api.CallbackTask done = new org.frontdoor.api.CallbackTask(t.id(), t.conversationId(),
                        t.department(), t.customerId(), t.customerName(), t.phone(), t.note(), t.createdAt(),
                        caller.name(), Instant.parse("2026-12-07T10:00:00Z"));
                tasks.set(0, done);
                return done;
            }

            @Override
            public org.frontdoor.api.CallbackTask call(org.frontdoor.api.Caller caller, long id, String door,
                                                       String agentNumber) {
                org.frontdoor.api.CallbackTask t = tasks.stream().filter(x -> x.id() == id).findFirst()
                        .orElseThrow(() -> new java.util.NoSuchElementException("no callback task " + id));
                if ("+1".equals(agentNumber)) {
                    throw new IllegalArgumentException("agentPhone is not a phone number");
                }
                if ("sms/none".equals(door)) {
                    throw new org.frontdoor.api.calls.CallRefusedException("door sms/none cannot place calls");
                }
                if ("+15550999".equals(agentNumber)) {
                    throw new org.frontdoor.api.calls.CallUnavailableException("the SMS provider answered 429", 7);
                }
                org.frontdoor.api.CallbackTask called = new org.frontdoor.api.CallbackTask(t.id(),
                        t.conversationId(), t.department(), t.customerId(), t.customerName(), t.phone(), t.note(),
                        t.createdAt(), t.doneBy(), t.doneAt(), "CA1", caller.name(),
                        Instant.parse("2026-12-07T09:30:00Z"));
                tasks.set(0, called);
                return called;
            }
        };

        FakeHttp.Response r = call("GET", "/callbacks", null, as("jane", "agent-pw"), null);
        assertThat(r.status).isEqualTo(200);
        JsonNode row = r.json().path("callbacks").get(0);
        assertThat(row.path("phone").asText()).isEqualTo("+33612345678");
        assertThat(row.path("conversationId").asLong()).isEqualTo(10);
        assertThat(row.path("doneAt").isNull()).isTrue();

        FakeHttp.Response called = call("POST", "/callbacks/1/call", null, json(as("jane", "agent-pw")),
                "{\"agentPhone\":\"+15550123\"}");
        assertThat(called.status).as(called.body.toString()).isEqualTo(200);
        assertThat(called.json().path("callId").asText()).isEqualTo("CA1");
        assertThat(called.json().path("calledBy").asText()).isEqualTo("jane");
        FakeHttp.Response badPhone = call("POST", "/callbacks/1/call", null, json(as("jane", "agent-pw")),
                "{\"agentPhone\":\"+1\"}");
        assertThat(badPhone.status).isEqualTo(400);
        assertThat(badPhone.json().path("error").asText()).isEqualTo("agentPhone is not a phone number");
        FakeHttp.Response noDoor = call("POST", "/callbacks/1/call", null, json(as("jane", "agent-pw")),
                "{\"door\":\"sms/none\"}");
        assertThat(noDoor.status).isEqualTo(409);
        assertThat(noDoor.json().path("error").asText()).isEqualTo("door sms/none cannot place calls");
        FakeHttp.Response limited = call("POST", "/callbacks/1/call", null, json(as("jane", "agent-pw")),
                "{\"agentPhone\":\"+15550999\"}");
        assertThat(limited.status).isEqualTo(503);
        assertThat(limited.headers.get("Retry-After")).isEqualTo("7");
        assertThat(call("POST", "/callbacks/1/call", null, json(as("jane", "agent-pw")), "[]").status).isEqualTo(400);
        assertThat(call("POST", "/callbacks/9/call", null, json(as("jane", "agent-pw")), "{}").status).isEqualTo(404);

        FakeHttp.Response done = call("POST", "/callbacks/1/done", null, json(as("jane", "agent-pw")), "{}");
        assertThat(done.status).isEqualTo(200);
        assertThat(done.json().path("doneBy").asText()).isEqualTo("jane");
        assertThat(call("GET", "/callbacks", null, as("jane", "agent-pw"), null).json().path("callbacks")).isEmpty();
        assertThat(call("GET", "/callbacks", "all=true", as("jane", "agent-pw"), null).json().path("callbacks"))
                .hasSize(1);
        FakeHttp.Response again = call("POST", "/callbacks/1/done", null, json(as("jane", "agent-pw")), "{}");
        assertThat(again.status).isEqualTo(409);
        assertThat(again.json().path("error").asText()).isEqualTo("callback task 1 is done already");
        assertThat(call("POST", "/callbacks/9/done", null, json(as("jane", "agent-pw")), "{}").status).isEqualTo(404);
        assertThat(call("POST", "/callbacks/x/done", null, json(as("jane", "agent-pw")), "{}").status).isEqualTo(404);
        FakeHttp.Response bad = call("GET", "/callbacks", "limit=0", as("jane", "agent-pw"), null);
        assertThat(bad.status).isEqualTo(400);
        assertThat(bad.json().path("error").asText()).isEqualTo("limit is 1 to 1000");
        assertThat(call("GET", "/callbacks", "all=maybe", as("jane", "agent-pw"), null).status).isEqualTo(400);
        assertThat(call("DELETE", "/callbacks", null, json(as("jane", "agent-pw")), null).status).isEqualTo(405);
        assertThat(call("GET", "/callbacks", null, Map.of(), null).status).isEqualTo(401);
        servlet.callbacks = null;
        assertThat(call("GET", "/callbacks", null, as("jane", "agent-pw"), null).status).isEqualTo(503);
    }

    private static Channel channel(String id, String instance, ChannelHealth health) {
        return new Channel() {
            @Override
            public String id() {
                return id;
            }

            @Override
            public String instance() {
                return instance;
            }

            @Override
            public org.frontdoor.api.ChannelCapabilities capabilities() {
                return org.frontdoor.api.ChannelCapabilities.plainPrivate();
            }

            @Override
            public ChannelHealth health() {
                return health;
            }
        };
    }
}
