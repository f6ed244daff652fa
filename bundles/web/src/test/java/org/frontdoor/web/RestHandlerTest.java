package org.frontdoor.web;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import org.frontdoor.api.Caller;
import org.frontdoor.api.ConversationEvent;
import org.frontdoor.api.Scope;
import org.frontdoor.api.Visibility;
import org.frontdoor.api.inbox.ConversationStatus;
import org.frontdoor.api.inbox.ConversationSummary;
import org.frontdoor.api.inbox.EventPage;
import org.frontdoor.api.inbox.ReplyStatus;
import org.frontdoor.api.inbox.ReplyView;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RestHandlerTest {

    private static final Instant T = Instant.parse("2026-11-24T10:00:00Z");
    private static final String JSON = "application/json";
    private static final Caller JANE = new Caller("jane", Set.of("agent"), Scope.ALL);
    private static final Caller SALES_ONLY = new Caller("sam", Set.of("agent"), Scope.departments(List.of("sales")));
    private final MemoryInbox inbox = new MemoryInbox()
            .add(1, "support", "api", ConversationStatus.QUEUED, T.plusSeconds(10))
            .add(2, "sales", "api", ConversationStatus.NEW, T.plusSeconds(30))
            .add(3, "support", "email", ConversationStatus.RESOLVED, T.plusSeconds(20))
            .add(4, "sales", "api", ConversationStatus.QUEUED, T.plusSeconds(5));

    private Reply get(String path, Map<String, String> query) {
        return get(JANE, path, query);
    }

    private Reply get(Caller caller, String path, Map<String, String> query) {
        return JaxRs.handle(new RestHandler.Request("GET", path, query, null, null, caller), inbox);
    }

    private Reply post(String path, String body) {
        return post(JANE, path, body);
    }

    private Reply post(Caller caller, String path, String body) {
        return call("POST", path, JSON, body, caller);
    }

    private Reply call(String method, String path, String contentType, String body, Caller caller) {
        return JaxRs.handle(new RestHandler.Request(method, path, Map.of(), contentType,
                body == null ? null : body.getBytes(StandardCharsets.UTF_8), caller), inbox);
    }

    private static JsonNode json(Reply reply) {
        return Json.MAPPER.valueToTree(reply.body());
    }

    private static String error(Reply reply) {
        return json(reply).path("error").asText();
    }

    @Test
    void listsConversationsNewestActivityFirstWithATotal() {
        JsonNode page = json(get("/conversations", Map.of()));

        assertThat(page.path("total").asInt()).isEqualTo(4);
        assertThat(page.path("items").findValuesAsText("id")).containsExactly("2", "3", "1", "4");
        assertThat(page.path("items").get(0).path("lastActivityAt").asText()).isEqualTo("2026-11-24T10:00:30Z");
        assertThat(page.path("items").get(0).path("threadRef").asText()).isEqualTo("thread-2");
        assertThat(inbox.lastQuery.limit()).isEqualTo(RestHandler.DEFAULT_LIMIT);
    }

    @Test
    void filtersAndPages() {
        JsonNode page = json(get("/conversations", Map.of("status", "queued", "department", "support", "channel", "api")));
        JsonNode second = json(get("/conversations/", Map.of("offset", "1", "limit", "1")));

        assertThat(page.path("items").findValuesAsText("id")).containsExactly("1");
        assertThat(second.path("items").findValuesAsText("id")).containsExactly("3");
        assertThat(second.path("total").asInt()).isEqualTo(4);
        assertThat(second.path("offset").asInt()).isEqualTo(1);
    }

    @Test
    void refusesBadParametersWithTheReason() {
        assertThat(get("/conversations", Map.of("status", "OPEN")).status()).isEqualTo(400);
        assertThat(error(get("/conversations", Map.of("status", "OPEN")))).contains("QUEUED");
        assertThat(error(get("/conversations", Map.of("limit", "501")))).contains("1..500");
        assertThat(error(get("/conversations", Map.of("offset", "-1")))).contains("offset");
        assertThat(error(get("/conversations", Map.of("limit", "ten")))).isEqualTo("limit must be a whole number");
        assertThat(error(get("/conversations", Map.of("limit", "99999999999")))).isEqualTo("limit is out of range");
    }

    @Test
    void everyCallReachesTheInboxAsTheCaller() {
        get("/conversations", Map.of());
        get("/conversations/1", Map.of());
        get("/customers/10", Map.of());
        get("/events", Map.of());
        post("/conversations/1/replies", "{\"text\":\"On it\"}");
        post("/conversations/1/assign", "{}");
        post("/conversations/1/transfer", "{\"department\":\"billing\"}");
        post("/conversations/1/resolve", "");

        assertThat(inbox.callers).hasSize(8).containsOnly(JANE);
    }

    @Test
    void aCallerSeesOnlyItsScopeAndWhatIsOutsideReadsAsAbsent() {
        inbox.event(ConversationEvent.Type.ROUTED, 1, "system", "rule default")
                .event(ConversationEvent.Type.ROUTED, 2, "system", "rule sales");

        JsonNode all = json(get("/conversations", Map.of()));
        JsonNode sales = json(get(SALES_ONLY, "/conversations", Map.of()));
        Reply outside = get(SALES_ONLY, "/conversations/1", Map.of());
        Reply missing = get(SALES_ONLY, "/conversations/99", Map.of());
        Reply replyOutside = post(SALES_ONLY, "/conversations/1/replies", "{\"text\":\"hi\"}");
        JsonNode events = json(get(SALES_ONLY, "/events", Map.of()));

        assertThat(all.path("total").asInt()).isEqualTo(4);
        assertThat(sales.path("total").asInt()).isEqualTo(2);
        assertThat(sales.path("items").findValuesAsText("id")).containsExactly("2", "4");
        assertThat(outside.status()).isEqualTo(missing.status()).isEqualTo(404);
        assertThat(error(outside)).isEqualTo("no conversation 1");
        assertThat(error(missing)).isEqualTo("no conversation 99");
        assertThat(replyOutside.status()).isEqualTo(404);
        assertThat(inbox.replies.get(1L)).isEmpty();
        assertThat(get(SALES_ONLY, "/customers/10", Map.of()).status()).isEqualTo(404);
        assertThat(get(SALES_ONLY, "/customers/20", Map.of()).status()).isEqualTo(200);
        assertThat(events.path("events").findValuesAsText("conversationId")).containsExactly("2");
        assertThat(events.path("next").asLong()).isEqualTo(2);
    }

    @Test
    void showsAConversationWithItsMessagesAndTheirAnnotations() {
        Reply reply = get("/conversations/2", Map.of());

        assertThat(reply.status()).isEqualTo(200);
        assertThat(json(reply).path("summary").path("department").asText()).isEqualTo("sales");
        JsonNode message = json(reply).path("messages").get(0);
        assertThat(message.path("text").asText()).isEqualTo("Message of 2");
        assertThat(message.path("customerId").asLong()).isEqualTo(20);
        assertThat(message.path("annotations").get(0).toString())
                .isEqualTo("{\"name\":\"sentiment\",\"value\":\"negative\",\"confidence\":0.92}");
        assertThat(get("/conversations/99", Map.of()).status()).isEqualTo(404);
        assertThat(error(get("/conversations/99", Map.of()))).isEqualTo("no conversation 99");
        assertThat(get("/conversations/abc", Map.of()).status()).isEqualTo(400);
        assertThat(error(get("/conversations/abc", Map.of()))).isEqualTo("'abc' is not a conversation id");
    }

    @Test
    void queuesAReplyAs202WithItsLocation() {
        Reply reply = post("/conversations/1/replies", "{\"text\":\"We are on it\"}");

        assertThat(reply.status()).isEqualTo(202);
        assertThat(reply.headers()).containsEntry("Location", "/api/v1/conversations/1");
        assertThat(json(reply).path("status").asText()).isEqualTo("QUEUED");
        assertThat(json(reply).path("author").asText()).isEqualTo("jane");
        assertThat(json(reply).path("visibility").asText()).as("the door's default").isEqualTo("PRIVATE");
        assertThat(inbox.replies.get(1L)).hasSize(1);
    }

    @Test
    void writesAnInternalNoteAs201AndTheConversationListsItUnderNotes() {
        Reply note = post("/conversations/1/notes", "{\"text\":\"@billing <b>can you check?</b> @sam\"}");

        assertThat(note.status()).isEqualTo(201);
        assertThat(note.headers()).containsEntry("Location", "/api/v1/conversations/1");
        assertThat(json(note).path("author").asText()).isEqualTo("jane");
        assertThat(json(note).path("text").asText()).as("data, as written").isEqualTo("@billing <b>can you check?</b> @sam");
        assertThat(json(note).path("mentions").toString()).isEqualTo("[\"billing\",\"sam\"]");
        JsonNode conversation = json(get("/conversations/1", Map.of()));
        assertThat(conversation.path("notes").size()).isEqualTo(1);
        assertThat(conversation.path("notes").get(0).path("id").asLong()).isEqualTo(json(note).path("id").asLong());
        assertThat(conversation.path("replies").size()).as("a note is not a reply").isZero();
        assertThat(inbox.replies.get(1L)).isEmpty();
    }

    @Test
    void whyShowsTheRuleTheAnnotationsAndTheHistoryWithinTheCallersScope() {
        Reply why = get("/conversations/1/why", Map.of());

        assertThat(why.status()).isEqualTo(200);
        JsonNode body = json(why);
        assertThat(body.path("summary").path("id").asLong()).isEqualTo(1);
        assertThat(body.path("rule").asText()).isEqualTo("refunds");
        assertThat(body.path("reason").asText()).isEqualTo("one of its keywords (refund) in the latest message");
        assertThat(body.path("annotations").get(0).path("name").asText()).isEqualTo("language");
        assertThat(body.path("annotations").get(0).path("value").asText()).isEqualTo("fr");
        assertThat(body.path("annotations").get(0).path("confidence").asDouble()).isEqualTo(0.97);
        assertThat(body.path("history").get(0).path("action").asText()).isEqualTo("routed");
        assertThat(body.path("history").get(0).path("actor").asText()).isEqualTo("system");

        Reply outside = get(SALES_ONLY, "/conversations/1/why", Map.of());
        assertThat(outside.status()).isEqualTo(404);
        assertThat(error(outside)).isEqualTo("no conversation 1");
        assertThat(error(get("/conversations/999/why", Map.of()))).isEqualTo("no conversation 999");
        assertThat(get("/conversations/x/why", Map.of()).status()).isEqualTo(400);
        assertThat(post("/conversations/1/why", "{}").status()).isEqualTo(405);
    }

    @Test
    void aNoteNeedsTextOfAtMost4000CharactersAndAConversationInScope() {
        assertThat(post("/conversations/1/notes", "{}").status()).isEqualTo(400);
        assertThat(post("/conversations/1/notes", "{\"text\":\"  \"}").status()).isEqualTo(400);
        assertThat(post("/conversations/1/notes", "{\"text\":7}").status()).isEqualTo(400);
        assertThat(post("/conversations/1/notes", "{\"text\":\"" + "x".repeat(4001) + "\"}").status()).isEqualTo(400);
        assertThat(post("/conversations/1/notes", "{\"text\":\"" + "x".repeat(4000) + "\"}").status()).isEqualTo(201);
        Reply outside = post(SALES_ONLY, "/conversations/1/notes", "{\"text\":\"@sam hi\"}");
        assertThat(outside.status()).isEqualTo(404);
        assertThat(error(outside)).isEqualTo("no conversation 1");
        assertThat(get("/conversations/1/notes", Map.of()).status()).isEqualTo(405);
        assertThat(inbox.notes.get(1L)).hasSize(1);
    }

    @Test
    void aReplyMayAskForAVisibilityInAnyCase() {
        post("/conversations/1/replies", "{\"text\":\"Answered in public\",\"visibility\":\"public\"}");
        post("/conversations/1/replies", "{\"text\":\"In private\",\"visibility\":\"PRIVATE\"}");
        post("/conversations/1/replies", "{\"text\":\"As the door likes\",\"visibility\":null,\"draft\":true}");

        assertThat(inbox.replies.get(1L)).extracting(ReplyView::visibility)
                .containsExactly(Visibility.PUBLIC, Visibility.PRIVATE, Visibility.PRIVATE);
    }

    @Test
    void refusesBadRepliesWithTheReason() {
        assertThat(post("/conversations/1/replies", "{\"text\": ").status()).isEqualTo(400);
        assertThat(error(post("/conversations/1/replies", "{\"txt\":\"x\"}"))).isEqualTo("missing field: text");
        assertThat(error(post("/conversations/1/replies", "{\"text\":\"   \"}"))).isEqualTo("missing field: text");
        assertThat(error(post("/conversations/1/replies", ""))).isEqualTo("missing field: text");
        assertThat(error(post("/conversations/1/replies", "{\"text\":42}"))).isEqualTo("text must be a string");
        assertThat(error(post("/conversations/1/replies", "[\"text\"]"))).startsWith("the body must be a JSON object");
        assertThat(error(post("/conversations/1/replies", "{\"text\":\"x\",\"visibility\":\"secret\"}")))
                .contains("visibility must be \"public\" or \"private\"");
        assertThat(error(post("/conversations/1/replies", "{\"text\":\"x\",\"visibility\":true}")))
                .isEqualTo("visibility must be a string");
        assertThat(error(post("/conversations/1/replies", "{\"text\":\"" + "x".repeat(300) + "\"}"))).contains("280");
        assertThat(post("/conversations/99/replies", "{\"text\":\"x\"}").status()).isEqualTo(404);
        assertThat(error(post("/conversations/0/replies", "{\"text\":\"x\"}"))).isEqualTo("'0' is not a conversation id");
        assertThat(inbox.replies.get(1L)).isEmpty();
    }

    @Test
    void aReplyMayGoThroughAnotherDoorToAConfirmedIdentity() {
        Reply reply = post("/conversations/1/replies", "{\"text\":\"By mail\",\"via\":{\"channel\":\"email\","
                + "\"instance\":\"support\",\"handle\":\"ann@example.org\",\"name\":\"Ann\"}}");

        assertThat(reply.status()).isEqualTo(202);
        assertThat(inbox.routes).singleElement().satisfies(via -> {
            assertThat(via.channel()).isEqualTo("email");
            assertThat(via.instance()).isEqualTo("support");
            assertThat(via.recipient().handle()).isEqualTo("ann@example.org");
            assertThat(via.recipient().displayName()).isEqualTo("Ann");
        });
        assertThat(error(post("/conversations/1/replies", "{\"text\":\"x\",\"via\":{\"channel\":\"email\","
                + "\"instance\":\"support\",\"handle\":\"bob@example.org\"}}"))).isEqualTo(
                "bob@example.org is not confirmed");
        assertThat(error(post("/conversations/1/replies", "{\"text\":\"x\",\"via\":{\"channel\":\"email\","
                + "\"handle\":\"ann@example.org\"}}"))).isEqualTo("missing field: via.instance");
        assertThat(error(post("/conversations/1/replies", "{\"text\":\"x\",\"via\":\"email\"}")))
                .startsWith("via must be an object");
        assertThat(error(post("/conversations/1/replies", "{\"text\":\"x\",\"visibility\":\"public\","
                + "\"via\":{\"channel\":\"email\",\"instance\":\"support\",\"handle\":\"ann@example.org\"}}")))
                .isEqualTo("a reply via another door is private: leave out visibility");
    }

    @Test
    void assignsToTheCallerOrToTheAgentNamed() {
        Reply self = post("/conversations/1/assign", "{}");
        Reply other = post("/conversations/4/assign", "{\"agent\":\" joe \"}");
        Reply noBody = post("/conversations/1/assign", null);

        assertThat(self.status()).isEqualTo(200);
        assertThat(json(self).path("assignee").asText()).isEqualTo("jane");
        assertThat(json(self).path("status").asText()).isEqualTo("ASSIGNED");
        assertThat(json(other).path("assignee").asText()).isEqualTo("joe");
        assertThat(noBody.status()).isEqualTo(200);
    }

    @Test
    void refusesAnAssignmentThatCannotBeWithTheReason() {
        Reply notRouted = post("/conversations/2/assign", "{}");
        Reply resolved = post("/conversations/3/assign", "{}");

        assertThat(notRouted.status()).isEqualTo(409);
        assertThat(error(notRouted)).isEqualTo("conversation 2 is not routed yet");
        assertThat(resolved.status()).isEqualTo(409);
        assertThat(post("/conversations/99/assign", "{}").status()).isEqualTo(404);
        assertThat(error(post("/conversations/1/assign", "{\"agent\":\"  \"}"))).startsWith("agent must name an agent");
        assertThat(error(post("/conversations/1/assign", "{\"agent\":[\"joe\"]}"))).isEqualTo("agent must be a string");
        assertThat(inbox.conversations.get(1L).assignee()).isNull();
    }

    @Test
    void transfersToAnotherDepartmentsQueue() {
        post("/conversations/1/assign", "{}");

        Reply moved = post("/conversations/1/transfer", "{\"department\":\"billing\"}");

        assertThat(moved.status()).isEqualTo(200);
        assertThat(json(moved).path("department").asText()).isEqualTo("billing");
        assertThat(json(moved).path("status").asText()).isEqualTo("QUEUED");
        assertThat(json(moved).path("assignee").isNull()).isTrue();
    }

    @Test
    void refusesATransferThatCannotBeWithTheReason() {
        assertThat(error(post("/conversations/1/transfer", "{}"))).isEqualTo("missing field: department");
        assertThat(error(post("/conversations/1/transfer", "{\"department\":7}"))).isEqualTo("department must be a string");
        Reply same = post("/conversations/1/transfer", "{\"department\":\"support\"}");
        assertThat(same.status()).isEqualTo(409);
        assertThat(error(same)).isEqualTo("conversation 1 is in support already");
        assertThat(post("/conversations/99/transfer", "{\"department\":\"billing\"}").status()).isEqualTo(404);
        assertThat(inbox.conversations.get(1L).department()).isEqualTo("support");
    }

    @Test
    void marksReadUpToAMessageOrTheLatestAndRefusesWhatIsNotAMessageId() {
        Reply latest = post("/conversations/1/read", "");
        Reply named = post("/conversations/4/read", "{\"upTo\": 400}");

        assertThat(latest.status()).isEqualTo(200);
        assertThat(json(latest).path("conversationId").asLong()).isEqualTo(1);
        assertThat(json(latest).path("readUpTo").asLong()).isEqualTo(100);
        assertThat(json(named).path("readUpTo").asLong()).isEqualTo(400);
        assertThat(json(get("/conversations/1", Map.of())).path("readUpTo").asLong()).isEqualTo(100);
        for (String bad : new String[]{"{\"upTo\": \"400\"}", "{\"upTo\": 4.5}", "{\"upTo\": -4}", "{\"upTo\": 0}"}) {
            Reply refused = post("/conversations/4/read", bad);
            assertThat(refused.status()).as(bad).isEqualTo(400);
            assertThat(error(refused)).as(bad).startsWith("upTo must be a message id");
        }
        Reply notItsMessage = post("/conversations/4/read", "{\"upTo\": 100}");
        assertThat(notItsMessage.status()).isEqualTo(400);
        assertThat(error(notItsMessage)).isEqualTo("message 100 is not one of conversation 4's");
        assertThat(post("/conversations/99/read", "{}").status()).isEqualTo(404);
        assertThat(get("/conversations/1/read", Map.of()).status()).isEqualTo(405);
    }

    @Test
    void typingSaysWhetherItWasKeptAndIsRefusedOnAResolvedConversation() {
        Reply first = post("/conversations/1/typing", "{}");
        Reply again = post("/conversations/1/typing", "");

        assertThat(first.status()).isEqualTo(200);
        assertThat(json(first).path("kept").asBoolean()).isTrue();
        assertThat(json(again).path("kept").asBoolean()).isFalse();
        assertThat(post("/conversations/3/typing", "{}").status()).as("resolved").isEqualTo(409);
        assertThat(post("/conversations/99/typing", "{}").status()).isEqualTo(404);
        assertThat(post("/conversations/1/typing", "[]").status()).isEqualTo(400);
    }

    @Test
    void resolvesWithAnEmptyObjectOrNoBody() {
        Reply withObject = post("/conversations/1/resolve", "{}");
        Reply withNothing = post("/conversations/4/resolve", "");

        assertThat(withObject.status()).isEqualTo(200);
        assertThat(json(withObject).path("status").asText()).isEqualTo("RESOLVED");
        assertThat(withNothing.status()).isEqualTo(200);
        assertThat(inbox.conversations.get(4L).status()).isEqualTo(ConversationStatus.RESOLVED);
    }

    @Test
    void refusesToResolveTwiceOrWithAMalformedBody() {
        Reply twice = post("/conversations/3/resolve", "{}");

        assertThat(twice.status()).isEqualTo(409);
        assertThat(error(twice)).isEqualTo("conversation 3 is resolved already");
        assertThat(error(post("/conversations/1/resolve", "yes"))).startsWith("malformed JSON");
        assertThat(post("/conversations/99/resolve", "{}").status()).isEqualTo(404);
        assertThat(inbox.conversations.get(1L).status()).isEqualTo(ConversationStatus.QUEUED);
    }

    /** The reply's delivery receipts as {@code delivery}: {state, at, reason}; null before any; other keys as they were. */
    @Test
    void aReplyShowsWhatItsVendorReportedAsDelivery() {
        inbox.addDeliveredReply(1, 11, new org.frontdoor.api.delivery.Delivery(
                org.frontdoor.api.delivery.DeliveryState.FAILED, Instant.parse("2026-12-07T09:00:00Z"),
                "undelivered: Twilio error 30003"));
        inbox.addReply(1, 12, ReplyStatus.SENT, null);

        JsonNode replies = json(get("/conversations/1", Map.of())).path("replies");

        JsonNode failed = replies.get(replies.size() - 2);
        assertThat(failed.path("status").asText()).isEqualTo("SENT");
        assertThat(failed.path("delivery").path("state").asText()).isEqualTo("FAILED");
        assertThat(failed.path("delivery").path("at").asText()).isEqualTo("2026-12-07T09:00:00Z");
        assertThat(failed.path("delivery").path("reason").asText()).isEqualTo("undelivered: Twilio error 30003");
        JsonNode quiet = replies.get(replies.size() - 1);
        assertThat(quiet.has("delivery")).isTrue();
        assertThat(quiet.path("delivery").isNull()).isTrue();
        assertThat(quiet.has("status") && quiet.has("lastError") && quiet.has("sentAt")).isTrue();
    }

    @Test
    void reopensAResolvedConversationAndRefusesAnOpenOneWithTheReason() {
        Reply open = post("/conversations/1/reopen", "{}");
        Reply garbage = post("/conversations/3/reopen", "[1]");
        Reply elsewhere = post(SALES_ONLY, "/conversations/3/reopen", "{}");
        ConversationStatus untouched = inbox.conversations.get(3L).status();
        Reply reopened = post("/conversations/3/reopen", "");

        assertThat(open.status()).isEqualTo(409);
        assertThat(error(open)).isEqualTo("conversation 1 is open already");
        assertThat(garbage.status()).isEqualTo(400);
        assertThat(elsewhere.status()).isEqualTo(404);
        assertThat(error(elsewhere)).isEqualTo("no conversation 3");
        assertThat(untouched).isEqualTo(ConversationStatus.RESOLVED);
        assertThat(reopened.status()).isEqualTo(200);
        assertThat(json(reopened).path("status").asText()).isIn("QUEUED", "ASSIGNED");
        assertThat(inbox.conversations.get(3L).status()).isNotEqualTo(ConversationStatus.RESOLVED);
    }

    @Test
    void measuringThroughAnotherDoorNeedsAWholeViaAndNoVisibility() {
        Reply noHandle = post("/conversations/1/replies/measure",
                "{\"text\":\"hi\",\"via\":{\"channel\":\"email\",\"instance\":\"support\"}}");
        Reply withVisibility = post("/conversations/1/replies/measure", "{\"text\":\"hi\",\"visibility\":\"public\","
                + "\"via\":{\"channel\":\"email\",\"instance\":\"support\",\"handle\":\"a@b.org\"}}");
        Reply notAnObject = post("/conversations/1/replies/measure", "{\"text\":\"hi\",\"via\":\"email\"}");

        assertThat(noHandle.status()).isEqualTo(400);
        assertThat(error(noHandle)).isEqualTo("missing field: via.handle");
        assertThat(withVisibility.status()).isEqualTo(400);
        assertThat(error(withVisibility)).contains("private");
        assertThat(notAnObject.status()).isEqualTo(400);
        assertThat(inbox.replies.get(1L)).isEmpty();
    }

    @Test
    void retriesAFailedReplyAs202() {
        inbox.addReply(1, 7, ReplyStatus.FAILED, "the customer blocked this account");

        Reply again = post("/replies/7/retry", "");

        assertThat(again.status()).isEqualTo(202);
        assertThat(again.headers()).containsEntry("Location", "/api/v1/conversations/1");
        assertThat(json(again).path("status").asText()).isEqualTo("QUEUED");
        assertThat(json(again).path("attempts").asInt()).isZero();
    }

    @Test
    void refusesToRetryAReplyThatHasNotFailedOrIsNotThere() {
        inbox.addReply(1, 8, ReplyStatus.SENT, null);

        Reply sent = post("/replies/8/retry", "{}");

        assertThat(sent.status()).isEqualTo(409);
        assertThat(error(sent)).isEqualTo("reply 8 has not failed: it is SENT");
        assertThat(error(post("/replies/9/retry", "{}"))).isEqualTo("no reply 9");
        assertThat(error(post("/replies/x/retry", "{}"))).isEqualTo("'x' is not a reply id");
        assertThat(error(post(SALES_ONLY, "/replies/8/retry", "{}"))).isEqualTo("no reply 8");
    }

    @Test
    void readsTheEventLogWithTypesByTheirIdsAndThePositionToAskAfter() {
        inbox.event(ConversationEvent.Type.MESSAGE_ADDED, 1, "system", null)
                .event(ConversationEvent.Type.REPLY_SENT, 1, "system", null)
                .event(ConversationEvent.Type.SLA_BREACHED, 4, "system", "30 min");

        JsonNode first = json(get("/events", Map.of("limit", "2")));
        JsonNode rest = json(get("/events", Map.of("after", first.path("next").asText())));
        JsonNode none = json(get("/events", Map.of("after", "3")));

        assertThat(first.path("events").findValuesAsText("type")).containsExactly("message-added", "reply-sent");
        assertThat(first.path("next").asLong()).isEqualTo(2);
        assertThat(rest.path("events").get(0).path("type").asText()).isEqualTo("sla-breached");
        assertThat(rest.path("events").get(0).path("department").asText()).isEqualTo("sales");
        assertThat(rest.path("events").get(0).path("at").asText()).isEqualTo("1970-01-01T00:00:02Z");
        assertThat(none.path("events")).isEmpty();
        assertThat(none.path("next").asLong()).isEqualTo(3);
    }

    @Test
    void refusesBadEventParametersNamingThem() {
        assertThat(error(get("/events", Map.of("after", "-1")))).startsWith("after must be a position");
        assertThat(error(get("/events", Map.of("after", "soon")))).isEqualTo("after must be a whole number");
        assertThat(error(get("/events", Map.of("limit", "0")))).isEqualTo("limit must be within 1..500");
        assertThat(error(get("/events", Map.of("limit", "501")))).isEqualTo("limit must be within 1..500");
        assertThat(inbox.callers).isEmpty();
    }

    @Test
    void everyChangeNeedsAJsonContentType() {
        for (String type : new String[] {null, "text/plain", "application/x-www-form-urlencoded",
                "multipart/form-data; boundary=x", "application/jsonp", "application/json-patch+json",
                "application/json; charset=iso-8859-1", ""}) {
            Reply reply = call("POST", "/conversations/1/replies", type, "{\"text\":\"hi\"}", JANE);

            assertThat(reply.status()).as(String.valueOf(type)).isEqualTo(415);
            assertThat(error(reply)).startsWith("POST needs Content-Type: application/json");
        }
        for (String method : new String[] {"PUT", "PATCH", "DELETE"}) {
            assertThat(call(method, "/conversations/1", "text/plain", "{}", JANE).status()).isEqualTo(415);
        }
        assertThat(call("POST", "/conversations/1/resolve", null, null, JANE).status()).isEqualTo(415);
        assertThat(inbox.replies.get(1L)).isEmpty();
        assertThat(inbox.callers).isEmpty();
    }

    @Test
    void acceptsJsonInAnyCaseWithAUtf8Charset() {
        for (String type : new String[] {"application/json", "Application/JSON", "application/json; charset=utf-8",
                "application/json;charset=\"UTF-8\"", " application/json ; Charset=UTF-8"}) {
            assertThat(call("POST", "/conversations/1/replies", type, "{\"text\":\"hi\"}", JANE).status()).as(type)
                    .isEqualTo(202);
        }
        assertThat(RestHandler.isJson("application/json; version=2")).isTrue();
    }

    @Test
    void showsACustomerWithIdentities() {
        Reply reply = get("/customers/20", Map.of());

        assertThat(reply.status()).isEqualTo(200);
        assertThat(json(reply).path("identities").get(0).path("handle").asText()).isEqualTo("handle-2");
        assertThat(get("/customers/21", Map.of()).status()).isEqualTo(404);
        assertThat(error(get("/customers/21", Map.of()))).isEqualTo("no customer 21");
    }

    @Test
    void answersWrongMethodsUnknownPathsAndAMissingCore() {
        Reply wrong = call("DELETE", "/conversations/1", JSON, null, JANE);
        assertThat(wrong.status()).isEqualTo(405);
        assertThat(wrong.headers()).containsEntry("Allow", "GET");
        assertThat(call("GET", "/conversations/1/resolve", null, null, JANE).headers()).containsEntry("Allow", "POST");
        assertThat(get("/nothing-here", Map.of()).status()).isEqualTo(404);
        Reply down = JaxRs.handle(new RestHandler.Request("GET", "/conversations", Map.of(), null, null, JANE),
                null);
        assertThat(down.status()).isEqualTo(503);
        assertThat(down.headers()).containsKey("Retry-After");
    }

    @Test
    void hidingAMessageAnswersWhatTheNetworkSaidAndNeedsAnAdminWithAReason() {
        Caller ada = new Caller("ada", Set.of("admin"), Scope.ALL);
        java.util.concurrent.atomic.AtomicReference<RuntimeException> network = new java.util.concurrent.atomic
                .AtomicReference<>();
        MemoryInbox moderated = new MemoryInbox() {
            @Override
            public org.frontdoor.api.inbox.MessageView hide(Caller caller, long conversationId, long messageId,
                                                            String reason) {
                if (network.get() != null) {
                    throw network.get();
                }
                return new org.frontdoor.api.inbox.MessageView(messageId, "1336950233925439489",
                        org.frontdoor.api.Visibility.PUBLIC, 7, "caseycross", "Casey", "<b>rude</b>", T, List.of(),
                        List.of(), 1, new org.frontdoor.api.inbox.MessageView.Hidden(caller.name(), T, reason));
            }
        };
        java.util.function.BiFunction<Caller, String, Reply> hide = (caller, body) -> JaxRs.handle(
                new RestHandler.Request("POST", "/conversations/1/messages/5/hide", Map.of(), JSON,
                        body.getBytes(StandardCharsets.UTF_8), caller), moderated);

        Reply hidden = hide.apply(ada, "{\"reason\": \"a phone number\"}");
        assertThat(hidden.status()).isEqualTo(200);
        assertThat(json(hidden).path("hidden").path("by").asText()).isEqualTo("ada");
        assertThat(json(hidden).path("hidden").path("reason").asText()).isEqualTo("a phone number");
        assertThat(json(hidden).path("text").asText()).isEqualTo("<b>rude</b>");
        assertThat(hide.apply(JANE, "{\"reason\": \"a phone number\"}").status()).isEqualTo(403);
        assertThat(hide.apply(ada, "{}").status()).isEqualTo(400);
        assertThat(hide.apply(ada, "{\"reason\": 5}").status()).isEqualTo(400);
        assertThat(hide.apply(ada, "{\"reason\": \"x\"} {}").status()).as("bytes after the JSON").isEqualTo(400);

        network.set(new org.frontdoor.api.inbox.ModerationFailedException("X refused to hide the post: 403", false));
        Reply refused = hide.apply(ada, "{\"reason\": \"spam\"}");
        assertThat(refused.status()).isEqualTo(422);
        assertThat(error(refused)).isEqualTo("X refused to hide the post: 403");
        network.set(new org.frontdoor.api.inbox.ModerationFailedException("X did not answer within 10 s", true));
        Reply later = hide.apply(ada, "{\"reason\": \"spam\"}");
        assertThat(later.status()).isEqualTo(503);
        assertThat(later.headers()).containsKey("Retry-After");
        network.set(new IllegalStateException("door telegram/it cannot hide messages on its network"));
        assertThat(hide.apply(ada, "{\"reason\": \"spam\"}").status()).isEqualTo(409);
        network.set(new java.util.NoSuchElementException("message 5 is not one of conversation 1's"));
        Reply noMessage = hide.apply(ada, "{\"reason\": \"spam\"}");
        assertThat(noMessage.status()).isEqualTo(404);
        assertThat(error(noMessage)).isEqualTo("no message 5 in conversation 1");
        network.set(new java.util.NoSuchElementException("conversation 1 does not exist"));
        assertThat(error(hide.apply(ada, "{\"reason\": \"spam\"}"))).isEqualTo("no conversation 1");
    }

    @Test
    void aDatabaseThatCannotAnswerIsA503WithRetryAfterNotAnInternalError() {
        MemoryInbox unavailable = new MemoryInbox() {
            @Override
            public ConversationSummary resolve(Caller caller, long conversationId) {
                throw new org.frontdoor.api.inbox.InboxUnavailableException("the inbox cannot answer now: "
                        + "connection refused", null);
            }
        };

        Reply reply = JaxRs.handle(new RestHandler.Request("POST", "/conversations/1/resolve", Map.of(), JSON,
                null, JANE), unavailable);

        assertThat(reply.status()).isEqualTo(503);
        assertThat(reply.headers()).containsKey("Retry-After");
        assertThat(error(reply)).isEqualTo("Frontdoor cannot answer now; try again shortly");
    }

    @Test
    void anAbsenceIsAnsweredInTheSameWordsWhateverCoreSays() {
        MemoryInbox talkative = new MemoryInbox() {
            @Override
            public ConversationSummary resolve(Caller caller, long conversationId) {
                throw new NoSuchElementException("conversation 1 belongs to department legal");
            }
        };

        Reply reply = JaxRs.handle(new RestHandler.Request("POST", "/conversations/1/resolve", Map.of(), JSON,
                null, JANE), talkative);

        assertThat(reply.status()).isEqualTo(404);
        assertThat(error(reply)).isEqualTo("no conversation 1");
    }

    @Test
    void aConflictOnAReadIsCoreFailingNotTheCallers() {
        MemoryInbox failing = new MemoryInbox() {
            @Override
            public EventPage events(Caller caller, long after, int limit, org.frontdoor.api.EventFilter filter) {
                throw new IllegalStateException("connection pool closed");
            }
        };

        Reply reply = JaxRs.handle(new RestHandler.Request("GET", "/events", Map.of(), null, null, JANE), failing);

        // a 500 without its details (they are in the log), not a 409 the caller could act on
        assertThat(reply.status()).isEqualTo(500);
        assertThat(error(reply)).isEqualTo("internal error; see the server log");
    }

    @Test
    void refusesTrailingContentAfterTheJsonObject() {
        Reply reply = post("/conversations/1/replies", "{\"text\":\"a\"} {\"text\":\"b\"}");

        assertThat(reply.status()).isEqualTo(400);
        assertThat(error(reply)).startsWith("malformed JSON");
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

    @Test
    void anAgentMergesTwoCustomersAndUndoesItAndSeesTheSuggestions() {
        inbox.suggestions.add(new org.frontdoor.api.inbox.MergeSuggestion(4, 10, "Customer 1", 20, "Customer 2",
                "webchat identity shop:v-1 proved email jane@example.com by code", "channel-webchat-shop",
                java.time.Instant.parse("2026-12-06T10:00:00Z")));

        JsonNode suggestions = json(get("/merge-suggestions", Map.of()));
        assertThat(suggestions).hasSize(1);
        assertThat(suggestions.get(0).path("reason").asText()).contains("proved email jane@example.com by code");

        Reply merged = post("/customers/10/merge", "{\"into\": 20}");
        assertThat(merged.status()).isEqualTo(200);
        assertThat(json(merged).path("fromCustomer").asLong()).isEqualTo(10);
        assertThat(json(merged).path("intoCustomer").asLong()).isEqualTo(20);
        long id = json(merged).path("id").asLong();
        assertThat(post("/customers/10/merge", "{\"into\": 20}").status()).as("merged away already").isEqualTo(409);
        assertThat(post("/customers/10/merge", "{}").status()).isEqualTo(400);
        assertThat(error(post("/customers/10/merge", "{}"))).startsWith("missing field: into");
        assertThat(post("/customers/10/merge", "{\"into\": 10}").status()).isEqualTo(400);
        assertThat(post("/customers/10/merge", "{\"into\": 99}").status()).isEqualTo(404);

        Reply undone = post("/merges/" + id + "/unmerge", "{}");
        assertThat(undone.status()).isEqualTo(200);
        assertThat(json(undone).path("unmergedBy").asText()).isEqualTo(json(merged).path("mergedBy").asText());
        assertThat(post("/merges/" + id + "/unmerge", "{}").status()).isEqualTo(409);
        assertThat(post("/merges/77/unmerge", "{}").status()).isEqualTo(404);
        assertThat(get("/merges/" + id + "/unmerge", Map.of()).status()).isEqualTo(405);
    }

    /**
     * Seen on main: {@code GET /api/v1/events} took no filter, and {@code department=billing} could not see a
     * conversation transferred out of billing.
     */
    @Test
    void filtersTheEventLogByTypesAndDepartmentAndADepartmentSeesATransferOutOfIt() {
        inbox.event(ConversationEvent.Type.MESSAGE_ADDED, 1, "system", null)
                .transferred(1, "billing")
                .event(ConversationEvent.Type.RESOLVED, 1, "jane", null);

        JsonNode billing = json(get("/events", Map.of("department", "billing")));
        JsonNode closing = json(get("/events", Map.of("types", "transferred,resolved")));

        assertThat(billing.path("events").findValuesAsText("type")).containsExactly("transferred");
        JsonNode transfer = billing.path("events").get(0);
        assertThat(transfer.path("previousDepartment").asText()).isEqualTo("billing");
        assertThat(transfer.path("department").asText()).isEqualTo("support");
        assertThat(transfer.path("customerId").asLong()).isPositive();
        assertThat(transfer.has("customerName")).isTrue();
        assertThat(transfer.has("reopened")).isTrue();
        assertThat(closing.path("events").findValuesAsText("type")).containsExactly("transferred", "resolved");
        assertThat(error(get("/events", Map.of("types", "routed,shouted")))).startsWith("unknown event type: shouted");
    }

    @Test
    void listsTheEventConsumersToAdminsOnly() {
        org.frontdoor.api.admin.PipelineStatus status = new org.frontdoor.api.admin.PipelineStatus() {
            @Override
            public String databaseProblem() {
                return null;
            }

            @Override
            public List<org.frontdoor.api.admin.RuleInfo> rules() {
                return List.of();
            }

            @Override
            public List<org.frontdoor.api.admin.EventConsumerInfo> eventConsumers() {
                return List.of(new org.frontdoor.api.admin.EventConsumerInfo("tickets", 900, 2, "host/1",
                        java.time.Instant.EPOCH, null, java.time.Instant.EPOCH, 7, 401, 900, "transferred,resolved",
                        "billing"));
            }

            @Override
            public org.frontdoor.api.admin.EventConsumerInfo resetEventConsumer(String name, long position) {
                throw new UnsupportedOperationException();
            }
        };
        Caller admin = new Caller("root", Set.of("admin"), Scope.ALL);

        JsonNode list = json(admin(admin, "GET", "/event-consumers", status, List.of()));

        JsonNode tickets = list.path("consumers").get(0);
        assertThat(tickets.path("name").asText()).isEqualTo("tickets");
        assertThat(tickets.path("behind").asLong()).isEqualTo(2);
        assertThat(tickets.path("generation").asLong()).isEqualTo(7);
        assertThat(tickets.path("missedFrom").asLong()).isEqualTo(401);
        assertThat(tickets.path("missedTo").asLong()).isEqualTo(900);
        assertThat(tickets.path("department").asText()).isEqualTo("billing");
        Reply agent = admin(JANE, "GET", "/event-consumers", status, List.of());
        assertThat(agent.status()).isEqualTo(403);
        assertThat(error(agent)).isEqualTo("the event consumers are for role admin");
        assertThat(admin(admin, "GET", "/event-consumers", null, List.of()).status()).isEqualTo(503);
        Reply post = admin(admin, "POST", "/event-consumers", status, List.of());
        assertThat(post.status()).isEqualTo(405);
        assertThat(post.headers()).containsEntry("Allow", "GET");
    }

    @Test
    void listsTheIntegrationsBesideTheirConsumersToAdminsOnly() {
        org.frontdoor.api.admin.PipelineStatus status = new org.frontdoor.api.admin.PipelineStatus() {
            @Override
            public String databaseProblem() {
                return null;
            }

            @Override
            public List<org.frontdoor.api.admin.RuleInfo> rules() {
                return List.of();
            }

            @Override
            public List<org.frontdoor.api.admin.EventConsumerInfo> eventConsumers() {
                return List.of(new org.frontdoor.api.admin.EventConsumerInfo("integration.webhook-crm", 340, 5,
                        "n1", null, "the peer could not take it now: it answered 503", java.time.Instant.EPOCH));
            }

            @Override
            public org.frontdoor.api.admin.EventConsumerInfo resetEventConsumer(String name, long position) {
                throw new UnsupportedOperationException();
            }
        };
        org.frontdoor.api.admin.IntegrationStatus webhook = () -> new org.frontdoor.api.admin.IntegrationInfo(
                "webhook-crm", "webhook", "integration.webhook-crm", "sales", "https://crm.example.com:443", 12,
                java.time.Instant.EPOCH, 1, null, null);
        Caller admin = new Caller("root", Set.of("admin"), Scope.ALL);

        JsonNode list = json(admin(admin, "GET", "/integrations", status, List.of(webhook)));

        JsonNode crm = list.path("integrations").get(0);
        assertThat(crm.path("name").asText()).isEqualTo("webhook-crm");
        assertThat(crm.path("kind").asText()).isEqualTo("webhook");
        assertThat(crm.path("position").asLong()).isEqualTo(340);
        assertThat(crm.path("behind").asLong()).isEqualTo(5);
        assertThat(crm.path("delivered").asLong()).isEqualTo(12);
        assertThat(crm.path("parked").asLong()).isEqualTo(1);
        assertThat(crm.path("lastError").asText()).isEqualTo("the peer could not take it now: it answered 503");
        assertThat(json(admin(admin, "GET", "/integrations", null, List.of(webhook))).path("integrations").get(0)
                .path("position").isNull()).isTrue();
        assertThat(admin(JANE, "GET", "/integrations", status, List.of(webhook)).status()).isEqualTo(403);
        assertThat(admin(admin, "DELETE", "/integrations", status, List.of(webhook)).status()).isEqualTo(405);
    }

    /** An administrator's route through the runtime, with the pipeline's status and the integrations given. */
    private static Reply admin(Caller caller, String method, String path, org.frontdoor.api.admin.PipelineStatus status,
                               List<org.frontdoor.api.admin.IntegrationStatus> integrations) {
        return JaxRs.dispatch(new RestHandler.Request(method, path, Map.of(), JSON,
                        RestHandler.CHANGES.contains(method) ? "{}".getBytes(StandardCharsets.UTF_8) : null, caller),
                new RestHandler.Services(null, status, null, null, integrations, null, null, null, name -> { },
                        Instant.now()));
    }

    private Reply postWithKey(String path, String body, String... keys) {
        return JaxRs.handle(new RestHandler.Request("POST", path, Map.of(), JSON,
                body.getBytes(StandardCharsets.UTF_8), JANE, List.of(keys)), inbox);
    }

    /**
     * Seen (issue 16): a client retrying after a 503 at commit sent its reply twice. With an Idempotency-Key the
     * repeat answers the reply stored first. Fails on main: there the header was not read and each POST stored a reply.
     */
    @Test
    void aReplyWithAnIdempotencyKeyIsStoredOnceAndARepeatAnswersTheFirst() {
        Reply first = postWithKey("/conversations/1/replies", "{\"text\":\"Your refund is on its way\"}",
                "8e03978e-40d5-43e8-bc93-6894a57f9324");
        Reply repeat = postWithKey("/conversations/1/replies", "{ \"text\": \"Your refund is on its way\" }",
                "\"8e03978e-40d5-43e8-bc93-6894a57f9324\"");

        assertThat(first.status()).isEqualTo(202);
        assertThat(repeat.status()).isEqualTo(202);
        assertThat(json(repeat).path("id").asLong()).isEqualTo(json(first).path("id").asLong());
        assertThat(inbox.conversation(JANE, 1).orElseThrow().replies()).hasSize(1);

        Reply otherBody = postWithKey("/conversations/1/replies", "{\"text\":\"Something else\"}",
                "8e03978e-40d5-43e8-bc93-6894a57f9324");
        assertThat(otherBody.status()).isEqualTo(422);
        assertThat(error(otherBody)).contains("Idempotency-Key was used for another reply")
                .contains("reply " + json(first).path("id").asLong());

        Reply newKey = postWithKey("/conversations/1/replies", "{\"text\":\"Something else\"}", "another-key");
        assertThat(newKey.status()).isEqualTo(202);
        assertThat(json(newKey).path("id").asLong()).isNotEqualTo(json(first).path("id").asLong());
    }

    @Test
    void aMalformedIdempotencyKeyIsRefusedBeforeAnythingIsStored() {
        for (String[] keys : List.of(new String[] {""}, new String[] {"\"\""}, new String[] {"has space"},
                new String[] {"x".repeat(256)}, new String[] {"caf\u00e9"}, new String[] {"a,b"},
                new String[] {"one", "two"})) {
            Reply reply = postWithKey("/conversations/1/replies", "{\"text\":\"hi\"}", keys);
            assertThat(reply.status()).as(String.join(" | ", keys)).isEqualTo(400);
            assertThat(error(reply)).as(String.join(" | ", keys)).contains("Idempotency-Key");
        }
        assertThat(inbox.conversation(JANE, 1).orElseThrow().replies()).isEmpty();
    }


    @Test
    void theHealthReportNamesWhatNeedsAnAdministratorToAdminsOnly() {
        org.frontdoor.api.admin.PipelineStatus status = new org.frontdoor.api.admin.PipelineStatus() {
            @Override
            public String databaseProblem() {
                return null;
            }

            @Override
            public List<org.frontdoor.api.admin.RuleInfo> rules() {
                return List.of();
            }

            @Override
            public List<org.frontdoor.api.admin.EventConsumerInfo> eventConsumers() {
                return List.of(new org.frontdoor.api.admin.EventConsumerInfo("tickets", 900, 2, "host/1",
                        java.time.Instant.EPOCH, null, java.time.Instant.EPOCH, 7, 401, 900, "", null));
            }

            @Override
            public org.frontdoor.api.admin.EventConsumerInfo resetEventConsumer(String name, long position) {
                throw new UnsupportedOperationException();
            }
        };
        Caller admin = new Caller("root", Set.of("admin"), Scope.ALL);
        List<org.frontdoor.api.admin.HealthReport.Door> doors = List.of(new org.frontdoor.api.admin.HealthReport.Door(
                "api", "demo", org.frontdoor.api.ChannelHealth.up()));

        JsonNode health = json(RestHandler.health("GET", admin, false, status, doors));

        assertThat(health.path("status").asText()).isEqualTo("DEGRADED");
        assertThat(health.path("ready").asBoolean()).isTrue();
        assertThat(health.path("problems").get(0).path("part").asText()).isEqualTo("events consumer tickets");
        assertThat(health.path("problems").get(0).path("reason").asText()).contains("missed events 401 to 900");
        Reply coreDown = RestHandler.health("GET", admin, false, null, doors);
        assertThat(coreDown.status()).isEqualTo(503);
        assertThat(json(coreDown).path("status").asText()).isEqualTo("DOWN");
        assertThat(RestHandler.health("GET", JANE, true, status, doors).status()).isEqualTo(403);
        assertThat(admin(admin, "POST", "/health", status, List.of()).status()).isEqualTo(405);
    }

    /** A pipeline whose database answers, or not. */
    private static org.frontdoor.api.admin.PipelineStatus pipeline(String databaseProblem) {
        return new org.frontdoor.api.admin.PipelineStatus() {
            @Override
            public String databaseProblem() {
                return databaseProblem;
            }

            @Override
            public List<org.frontdoor.api.admin.RuleInfo> rules() {
                return List.of();
            }

            @Override
            public List<org.frontdoor.api.admin.EventConsumerInfo> eventConsumers() {
                throw new AssertionError("the public health answer reads no event consumers");
            }

            @Override
            public org.frontdoor.api.admin.EventConsumerInfo resetEventConsumer(String name, long position) {
                throw new UnsupportedOperationException();
            }
        };
    }

    @Test
    void theHealthWithoutALoginSaysReadyAndEachDoorsStatusAndNothingMore() {
        List<org.frontdoor.api.admin.HealthReport.Door> doors = List.of(
                new org.frontdoor.api.admin.HealthReport.Door("email", "support", org.frontdoor.api.ChannelHealth.of(
                        org.frontdoor.api.ChannelHealth.Status.AUTH_EXPIRED, "the IMAP server refused the login of "
                                + "support at mail.internal:993: check 'password' in etc/x.cfg")),
                new org.frontdoor.api.admin.HealthReport.Door("api", "demo", org.frontdoor.api.ChannelHealth.up()));

        Reply reply = RestHandler.health("GET", RestHandler.ANONYMOUS, false, pipeline(null), doors);

        assertThat(reply.status()).as("a door that is not up leaves the node ready").isEqualTo(200);
        JsonNode body = json(reply);
        assertThat(body.path("status").asText()).isEqualTo("DEGRADED");
        assertThat(body.path("live").asBoolean()).isTrue();
        assertThat(body.path("ready").asBoolean()).isTrue();
        assertThat(body.path("core").asText()).isEqualTo("UP");
        assertThat(body.path("database").asText()).isEqualTo("UP");
        assertThat(body.path("doors").toString()).isEqualTo("[{\"channel\":\"api\",\"instance\":\"demo\","
                + "\"status\":\"UP\"},{\"channel\":\"email\",\"instance\":\"support\",\"status\":\"AUTH_EXPIRED\"}]");
        assertThat(body.has("problems")).isFalse();
        assertThat(body.toString()).doesNotContain("mail.internal").doesNotContain("cfg");
        assertThat(RestHandler.health("GET", RestHandler.ANONYMOUS, true, pipeline(null), doors).status())
                .as("?detail without a login").isEqualTo(403);
    }

    @Test
    void aDatabaseThatDoesNotAnswerMakesTheNodeNotReadyWithTheReasonForAdminsOnly() {
        String problem = "the database did not answer a query within 2000 ms (see karaf.log, and "
                + "etc/org.ops4j.datasource-frontdoor.cfg)";

        Reply anonymous = RestHandler.health("GET", RestHandler.ANONYMOUS, false, pipeline(problem), List.of());
        Reply admin = RestHandler.health("GET", new Caller("root", Set.of("admin"), Scope.ALL), true,
                pipeline(problem), List.of());

        assertThat(anonymous.status()).isEqualTo(503);
        assertThat(anonymous.headers()).containsEntry("Retry-After", "10");
        assertThat(json(anonymous).path("ready").asBoolean()).isFalse();
        assertThat(json(anonymous).path("database").asText()).isEqualTo("DOWN");
        assertThat(json(anonymous).toString()).doesNotContain("karaf.log");
        assertThat(admin.status()).isEqualTo(503);
        assertThat(json(admin).path("problems").get(0).path("part").asText()).isEqualTo("database");
        assertThat(json(admin).path("problems").get(0).path("reason").asText()).isEqualTo(problem);
    }

    @Test
    void aDoorIsCheckedAndReconnectedByAnAdmin() {
        java.util.concurrent.atomic.AtomicInteger reconnects = new java.util.concurrent.atomic.AtomicInteger();
        class Door implements org.frontdoor.api.Channel, org.frontdoor.api.ChannelCheck {
            public String id() {
                return "email";
            }

            public String instance() {
                return "support";
            }

            public org.frontdoor.api.ChannelCapabilities capabilities() {
                return org.frontdoor.api.ChannelCapabilities.plainPrivate();
            }

            public org.frontdoor.api.ChannelHealth health() {
                return org.frontdoor.api.ChannelHealth.of(org.frontdoor.api.ChannelHealth.Status.AUTH_EXPIRED,
                        "sending: check 'smtpPassword'");
            }

            public org.frontdoor.api.CheckReport check() {
                return new org.frontdoor.api.CheckReport(List.of(
                        org.frontdoor.api.CheckReport.Step.ok("IMAP login and folder", "logged in"),
                        org.frontdoor.api.CheckReport.Step.failed("SMTP connect, EHLO and AUTH",
                                "check 'smtpPassword'")));
            }

            public void reconnect() {
                reconnects.incrementAndGet();
            }
        }
        Channels channels = new Channels();
        channels.add(new Door(), Map.of(org.osgi.framework.Constants.SERVICE_ID, 5L));
        Caller admin = new Caller("root", Set.of("admin"), Scope.ALL);

        Reply checked = RestHandler.channelCheck(new RestHandler.Request("POST", "/channels/email/support/check",
                Map.of(), "application/json", new byte[0], admin), "email", "support", channels, false);
        Reply reconnected = RestHandler.channelCheck(new RestHandler.Request("POST",
                "/channels/email/support/reconnect", Map.of(), "application/json", new byte[0], admin), "email",
                "support", channels, true);
        Reply missing = RestHandler.channelCheck(new RestHandler.Request("POST", "/channels/email/sales/check",
                Map.of(), "application/json", new byte[0], admin), "email", "sales", channels, false);

        assertThat(checked.status()).isEqualTo(200);
        assertThat(json(checked).path("ok").asBoolean()).isFalse();
        assertThat(json(checked).path("steps").get(1).path("detail").asText()).isEqualTo("check 'smtpPassword'");
        assertThat(json(checked).path("status").asText()).isEqualTo("AUTH_EXPIRED");
        assertThat(reconnected.status()).isEqualTo(202);
        assertThat(reconnects).hasValue(1);
        assertThat(missing.status()).isEqualTo(404);
        assertThat(error(missing)).isEqualTo("no door email/sales (see GET /api/v1/channels)");
    }
}
