package org.frontdoor.web;

import javax.ws.rs.GET;
import javax.ws.rs.POST;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.core.Response;

import static org.frontdoor.web.RestHandler.Kind.ADMIN;
import static org.frontdoor.web.RestHandler.Kind.OPEN;

/** {@code /channels}: every door and its health; an admin checks or reconnects one. */
@Path("/")
public class ChannelsApi extends Resource {

    ChannelsApi(Api api) {
        super(api);
    }

    @GET
    @Path("channels")
    @Access(OPEN)
    public Response list() {
        Channels channels = services().channels();
        if (channels == null) {
            throw new RestHandler.CoreNotRunning();
        }
        return answer(Reply.ok(channels.rows()));
    }

    @POST
    @Path("channels/{channel}/{instance}/check")
    @Access(value = ADMIN, refusal = "checking a door is for role admin")
    public Response check(@PathParam("channel") String channel, @PathParam("instance") String instance, byte[] body) {
        return answer(RestHandler.channelCheck(call(body), channel, instance, services().channels(), false));
    }

    @POST
    @Path("channels/{channel}/{instance}/reconnect")
    @Access(value = ADMIN, refusal = "reconnecting a door is for role admin")
    public Response reconnect(@PathParam("channel") String channel, @PathParam("instance") String instance,
                              byte[] body) {
        return answer(RestHandler.channelCheck(call(body), channel, instance, services().channels(), true));
    }
}
