package org.frontdoor.web;

import javax.ws.rs.GET;
import javax.ws.rs.POST;
import javax.ws.rs.PUT;
import javax.ws.rs.Path;
import javax.ws.rs.core.Response;

import static org.frontdoor.web.RestHandler.Kind.ADMIN;
import static org.frontdoor.web.RestHandler.Kind.OPEN;
import static org.frontdoor.web.RestHandler.Kind.SELF;

/** {@code /agents}: who takes conversations, with their departments, skills, capacity and presence. */
@Path("/")
public class AgentsApi extends Resource {

    AgentsApi(Api api) {
        super(api);
    }

    @GET
    @Path("agents")
    @Access(OPEN)
    public Response list() {
        return agents(null);
    }

    @POST
    @Path("agents")
    @Access(value = ADMIN, refusal = "agents are created by role admin")
    public Response create(byte[] body) {
        return agents(body);
    }

    @GET
    @Path("agents/{name}")
    @Access(OPEN)
    public Response agent() {
        return agents(null);
    }

    @PUT
    @Path("agents/{name}")
    @Access(value = ADMIN, refusal = "agents are changed by role admin")
    public Response update(byte[] body) {
        return agents(body);
    }

    @PUT
    @Path("agents/{name}/presence")
    @Access(SELF)
    public Response presence(byte[] body) {
        return agents(body);
    }

    private Response agents(byte[] body) {
        RestHandler.Request r = call(body);
        return answer(RestHandler.agents(r.method(), r.path(), r.contentType(), r.body(), r.caller(),
                services().agents()));
    }
}
