package org.frontdoor.web;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.frontdoor.api.inbox.ConversationStatus;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RestHandlerTest {

    private static final Instant T = Instant.parse("2026-11-24T10:00:00Z");
    private final MemoryInbox inbox = new MemoryInbox()
            .add(1, "support", "api", ConversationStatus.QUEUED, T.plusSeconds(10))
            .add(2, "sales", "api", ConversationStatus.NEW, T.plusSeconds(30))
            .add(3, "support", "email", ConversationStatus.RESOLVED, T.plusSeconds(20));

    private Reply get(String path, Map<String, String> query) {
        return RestHandler.handle("GET", path, query, new byte[0], "jane", inbox);
    }

    private Reply post(String path, String body) {
        return RestHandler.handle("POST", path, Map.of(), body.getBytes(StandardCharsets.UTF_8), "jane", inbox);
    }

    private static JsonNode json(Reply reply) {
        return Json.MAPPER.valueToTree(reply.body());
    }

    @Test
    void listsConversationsNewestActivityFirstWithATotal() {
        JsonNode page = json(get("/conversations", Map.of()));

        assertThat(page.path("total").asInt()).isEqualTo(3);
        assertThat(page.path("items").findValuesAsText("id")).containsExactly("2", "3", "1");
        assertThat(page.path("items").get(0).path("lastActivityAt").asText()).isEqualTo("2026-11-24T10:00:30Z");
        assertThat(inbox.lastQuery.limit()).isEqualTo(RestHandler.DEFAULT_LIMIT);
    }

    @Test
    void filtersAndPages() {
        JsonNode page = json(get("/conversations", Map.of("status", "queued", "department", "support", "channel", "api")));
        JsonNode second = json(get("/conversations/", Map.of("offset", "1", "limit", "1")));

        assertThat(page.path("items").findValuesAsText("id")).containsExactly("1");
        assertThat(second.path("items").findValuesAsText("id")).containsExactly("3");
        assertThat(second.path("total").asInt()).isEqualTo(3);
        assertThat(second.path("offset").asInt()).isEqualTo(1);
    }

    @Test
    void refusesBadParametersWithTheReason() {
        assertThat(get("/conversations", Map.of("status", "OPEN")).status()).isEqualTo(400);
        assertThat(json(get("/conversations", Map.of("status", "OPEN"))).path("error").asText()).contains("QUEUED");
        assertThat(json(get("/conversations", Map.of("limit", "501"))).path("error").asText()).contains("1..500");
        assertThat(json(get("/conversations", Map.of("offset", "-1"))).path("error").asText()).contains("offset");
        assertThat(json(get("/conversations", Map.of("limit", "ten"))).path("error").asText()).contains("whole number");
    }

    @Test
    void showsAConversationWithItsMessages() {
        Reply reply = get("/conversations/2", Map.of());

        assertThat(reply.status()).isEqualTo(200);
        assertThat(json(reply).path("summary").path("department").asText()).isEqualTo("sales");
        assertThat(json(reply).path("messages").get(0).path("text").asText()).isEqualTo("Message of 2");
        assertThat(get("/conversations/99", Map.of()).status()).isEqualTo(404);
        assertThat(get("/conversations/abc", Map.of()).status()).isEqualTo(400);
    }

    @Test
    void queuesAReplyAs202WithItsLocation() {
        Reply reply = post("/conversations/1/replies", "{\"text\":\"We are on it\"}");

        assertThat(reply.status()).isEqualTo(202);
        assertThat(reply.headers()).containsEntry("Location", "/api/v1/conversations/1");
        assertThat(json(reply).path("status").asText()).isEqualTo("QUEUED");
        assertThat(json(reply).path("author").asText()).isEqualTo("jane");
        assertThat(inbox.replies.get(1L)).hasSize(1);
    }

    @Test
    void refusesBadRepliesWithTheReason() {
        assertThat(post("/conversations/1/replies", "{\"text\": ").status()).isEqualTo(400);
        assertThat(json(post("/conversations/1/replies", "{\"txt\":\"x\"}")).path("error").asText()).isEqualTo("missing field: text");
        assertThat(json(post("/conversations/1/replies", "{\"text\":\"   \"}")).path("error").asText()).isEqualTo("missing field: text");
        assertThat(json(post("/conversations/1/replies", "{\"text\":\"" + "x".repeat(300) + "\"}")).path("error").asText())
                .contains("280");
        assertThat(post("/conversations/99/replies", "{\"text\":\"x\"}").status()).isEqualTo(404);
        assertThat(inbox.replies.get(1L)).isEmpty();
    }

    @Test
    void showsACustomerWithIdentities() {
        Reply reply = get("/customers/20", Map.of());

        assertThat(reply.status()).isEqualTo(200);
        assertThat(json(reply).path("identities").get(0).path("handle").asText()).isEqualTo("handle-2");
        assertThat(get("/customers/21", Map.of()).status()).isEqualTo(404);
    }

    @Test
    void answersWrongMethodsUnknownPathsAndAMissingCore() {
        Reply wrong = RestHandler.handle("DELETE", "/conversations/1", Map.of(), new byte[0], "jane", inbox);
        assertThat(wrong.status()).isEqualTo(405);
        assertThat(wrong.headers()).containsEntry("Allow", "GET");
        assertThat(get("/agents", Map.of()).status()).isEqualTo(404);
        Reply down = RestHandler.handle("GET", "/conversations", Map.of(), new byte[0], "jane", null);
        assertThat(down.status()).isEqualTo(503);
        assertThat(down.headers()).containsKey("Retry-After");
    }

    @Test
    void refusesTrailingContentAfterTheJsonObject() {
        Reply reply = post("/conversations/1/replies", "{\"text\":\"a\"} {\"text\":\"b\"}");

        assertThat(reply.status()).isEqualTo(400);
        assertThat(json(reply).path("error").asText()).startsWith("malformed JSON");
        assertThat(inbox.replies.get(1L)).isEmpty();
    }

    @Test
    void parsesRawQueryStrings() {
        assertThat(RestHandler.parseQuery("status=new&department=ventes%20%C3%A9t%C3%A9&status=queued&flag&&x=a+b"))
                .containsExactly(Map.entry("status", "new"), Map.entry("department", "ventes été"),
                        Map.entry("flag", ""), Map.entry("x", "a b"));
        assertThat(RestHandler.parseQuery(null)).isEmpty();
        assertThatThrownBy(() -> RestHandler.parseQuery("limit=%G1")).isInstanceOf(RestHandler.BadRequest.class)
                .hasMessageStartingWith("malformed query string");
    }
}
