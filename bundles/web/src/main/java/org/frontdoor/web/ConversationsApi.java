package org.frontdoor.web;

import java.util.LinkedHashMap;
import java.util.Map;

import javax.ws.rs.GET;
import javax.ws.rs.POST;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.core.Response;

import com.fasterxml.jackson.databind.JsonNode;
import org.frontdoor.api.inbox.ReplyRoute;

import static org.frontdoor.web.RestHandler.Kind.ADMIN;
import static org.frontdoor.web.RestHandler.Kind.CONVERSATION;
import static org.frontdoor.web.RestHandler.Kind.LIST;
import static org.frontdoor.web.RestHandler.Kind.REPLY;

/** {@code /conversations} and {@code /replies}: the inbox, each conversation, its replies, notes and changes. */
@Path("/")
public class ConversationsApi extends Resource {

    ConversationsApi(Api api) {
        super(api);
    }

    @GET
    @Path("conversations")
    @Access(LIST)
    public Response list(@javax.ws.rs.BeanParam Paging paging) {
        RestHandler.Request r = call();
        return answer(RestHandler.list(r.query(), paging, r.caller(), inbox()));
    }

    @GET
    @Path("conversations/counts")
    @Access(LIST)
    public Response counts() {
        return answer(Reply.ok(inbox().counts(caller())));
    }

    @GET
    @Path("conversations/{id}")
    @Access(CONVERSATION)
    public Response conversation(@PathParam("id") String raw) {
        long id = RestHandler.parseId(raw, "conversation id");
        return answer(RestHandler.found(inbox().conversation(caller(), id), "no conversation " + id));
    }

    @GET
    @Path("conversations/{id}/messages/{messageId}/attachments/{n}")
    @Access(CONVERSATION)
    public Response attachment(@PathParam("id") String rawId, @PathParam("messageId") String rawMessage,
                               @PathParam("n") String rawN) {
        long id = RestHandler.parseId(rawId, "conversation id");
        long messageId = RestHandler.parseId(rawMessage, "message id");
        int n = (int) Math.min(Integer.MAX_VALUE, RestHandler.parseIndex(rawN));
        Reply reply = RestHandler.attachment(inbox(), caller(), id, messageId, n);
        if (reply.body() instanceof Download download) {
            return Downloads.response(download, api.blobs());
        }
        return answer(reply);
    }

    @POST
    @Path("conversations/{id}/replies")
    @Access(CONVERSATION)
    public Response reply(@PathParam("id") String raw, byte[] body) {
        long id = RestHandler.parseId(raw, "conversation id");
        return answer(RestHandler.reply(id, call(body), inbox()));
    }

    @POST
    @Path("conversations/{id}/replies/measure")
    @Access(CONVERSATION)
    public Response measure(@PathParam("id") String raw, byte[] body) {
        long id = RestHandler.parseId(raw, "conversation id");
        var in = inbox();
        JsonNode json = RestHandler.object(body);
        String text = RestHandler.string(json, "text");
        if (text == null) {
            throw new RestHandler.BadRequest("missing field: text");
        }
        ReplyRoute via = RestHandler.via(json);
        return answer(Reply.ok(via == null ? in.measureReply(caller(), id, text)
                : in.measureReply(caller(), id, text, via)));
    }

    @POST
    @Path("conversations/{id}/notes")
    @Access(CONVERSATION)
    public Response note(@PathParam("id") String raw, byte[] body) {
        long id = RestHandler.parseId(raw, "conversation id");
        return answer(RestHandler.note(id, call(body), inbox()));
    }

    @POST
    @Path("conversations/{id}/snooze")
    @Access(CONVERSATION)
    public Response snooze(@PathParam("id") String raw, byte[] body) {
        long id = RestHandler.parseId(raw, "conversation id");
        return answer(RestHandler.snooze(id, call(body), inbox()));
    }

    @POST
    @Path("conversations/{id}/assign")
    @Access(CONVERSATION)
    public Response assign(@PathParam("id") String raw, byte[] body) {
        long id = RestHandler.parseId(raw, "conversation id");
        return answer(RestHandler.assign(id, call(body), inbox()));
    }

    @POST
    @Path("conversations/{id}/transfer")
    @Access(CONVERSATION)
    public Response transfer(@PathParam("id") String raw, byte[] body) {
        long id = RestHandler.parseId(raw, "conversation id");
        return answer(RestHandler.transfer(id, call(body), inbox()));
    }

    @POST
    @Path("conversations/{id}/resolve")
    @Access(CONVERSATION)
    public Response resolve(@PathParam("id") String raw, byte[] body) {
        long id = RestHandler.parseId(raw, "conversation id");
        var in = inbox();
        RestHandler.object(body); // nothing to read, but garbage is still refused
        return answer(Reply.ok(in.resolve(caller(), id)));
    }

    @POST
    @Path("conversations/{id}/reopen")
    @Access(CONVERSATION)
    public Response reopen(@PathParam("id") String raw, byte[] body) {
        long id = RestHandler.parseId(raw, "conversation id");
        var in = inbox();
        RestHandler.object(body);
        return answer(Reply.ok(in.reopen(caller(), id)));
    }

    @POST
    @Path("conversations/{id}/read")
    @Access(CONVERSATION)
    public Response read(@PathParam("id") String raw, byte[] body) {
        long id = RestHandler.parseId(raw, "conversation id");
        var in = inbox();
        long upTo = RestHandler.messageId(RestHandler.object(body), "upTo");
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("conversationId", id);
        answer.put("readUpTo", in.markRead(caller(), id, upTo));
        return answer(Reply.ok(answer));
    }

    @POST
    @Path("conversations/{id}/typing")
    @Access(CONVERSATION)
    public Response typing(@PathParam("id") String raw, byte[] body) {
        long id = RestHandler.parseId(raw, "conversation id");
        var in = inbox();
        RestHandler.object(body);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("conversationId", id);
        answer.put("kept", in.typing(caller(), id));
        return answer(Reply.ok(answer));
    }

    @GET
    @Path("conversations/{id}/why")
    @Access(CONVERSATION)
    public Response why(@PathParam("id") String raw) {
        long id = RestHandler.parseId(raw, "conversation id");
        return answer(RestHandler.found(inbox().why(caller(), id), "no conversation " + id));
    }

    @POST
    @Path("conversations/{id}/messages/{messageId}/hide")
    @Access(value = ADMIN, refusal = "hiding or showing a customer's message on its network is for role admin",
            absent = "no conversation {id}")
    public Response hide(@PathParam("id") String id, @PathParam("messageId") String messageId, byte[] body) {
        return answer(RestHandler.moderate(call(body), java.util.List.of(id, messageId), services().inbox(), true));
    }

    @POST
    @Path("conversations/{id}/messages/{messageId}/unhide")
    @Access(value = ADMIN, refusal = "hiding or showing a customer's message on its network is for role admin",
            absent = "no conversation {id}")
    public Response unhide(@PathParam("id") String id, @PathParam("messageId") String messageId, byte[] body) {
        return answer(RestHandler.moderate(call(body), java.util.List.of(id, messageId), services().inbox(), false));
    }

    @POST
    @Path("replies/{id}/retry")
    @Access(REPLY)
    public Response retry(@PathParam("id") String raw, byte[] body) {
        long id = RestHandler.parseId(raw, "reply id");
        var in = inbox();
        RestHandler.object(body);
        return answer(RestHandler.queued(in.retryReply(caller(), id)));
    }
}
