package org.frontdoor.web;

import java.util.Map;

import javax.ws.rs.GET;
import javax.ws.rs.POST;
import javax.ws.rs.PUT;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.core.Response;

import org.frontdoor.api.agents.Agents;

import static org.frontdoor.web.RestHandler.Kind.ADMIN;
import static org.frontdoor.web.RestHandler.Kind.OPEN;
import static org.frontdoor.web.RestHandler.Kind.SELF;

/**
 * {@code /agents}: who takes conversations, with their departments, skills, capacity and presence; every role reads
 * them, admins create and change them ({@code version} as read, 409 when stale), an agent sets their own presence.
 */
@Path("/")
public class AgentsApi extends Resource {

    AgentsApi(Api api) {
        super(api);
    }

    @GET
    @Path("agents")
    @Access(OPEN)
    public Response list() {
        return answer(Reply.ok(Map.of("agents", agents().list().stream().map(RestHandler::agent).toList())));
    }

    @POST
    @Path("agents")
    @Access(value = ADMIN, refusal = "agents are created by role admin")
    public Response create(byte[] body) {
        return answer(RestHandler.createAgent(body, caller(), agents()));
    }

    @GET
    @Path("agents/{name}")
    @Access(value = OPEN, absent = "no agent {id}")
    public Response agent(@PathParam("name") String name) {
        return answer(Reply.ok(RestHandler.agent(agents().find(name.strip()).orElseThrow())));
    }

    @PUT
    @Path("agents/{name}")
    @Access(value = ADMIN, refusal = "agents are changed by role admin", absent = "no agent {id}")
    public Response update(@PathParam("name") String name, byte[] body) {
        return answer(RestHandler.updateAgent(name.strip(), body, caller(), agents()));
    }

    @PUT
    @Path("agents/{name}/presence")
    @Access(value = SELF, absent = "no agent {id}")
    public Response presence(@PathParam("name") String name, byte[] body) {
        return answer(RestHandler.setPresence(name.strip(), body, caller(), agents()));
    }

    /** The agents; {@link RestHandler.CoreNotRunning} while core is not running. */
    private Agents agents() {
        Agents agents = services().agents();
        if (agents == null) {
            throw new RestHandler.CoreNotRunning();
        }
        return agents;
    }
}
