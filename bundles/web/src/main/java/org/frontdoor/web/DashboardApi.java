package org.frontdoor.web;

import javax.ws.rs.GET;
import javax.ws.rs.Path;
import javax.ws.rs.core.Response;

import static org.frontdoor.web.RestHandler.Kind.SUPERVISOR;

/** {@code /dashboard}: the queues and volumes supervisors watch, within their scope. */
@Path("/")
public class DashboardApi extends Resource {

    DashboardApi(Api api) {
        super(api);
    }

    @GET
    @Path("dashboard/queues")
    @Access(value = SUPERVISOR, refusal = "the dashboard is for role supervisor or admin")
    public Response queues() {
        return answer(RestHandler.queues(call(), services().inbox()));
    }

    @GET
    @Path("dashboard/volumes")
    @Access(value = SUPERVISOR, refusal = "the dashboard is for role supervisor or admin")
    public Response volumes() {
        return answer(RestHandler.volumes(call(), services().inbox()));
    }
}
