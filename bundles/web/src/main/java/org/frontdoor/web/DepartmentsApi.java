package org.frontdoor.web;

import javax.ws.rs.GET;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.core.Response;

import static org.frontdoor.web.RestHandler.Kind.OPEN;

/** {@code /departments}: configured or only seen, with their settings and whether they are open now. */
@Path("/")
public class DepartmentsApi extends Resource {

    DepartmentsApi(Api api) {
        super(api);
    }

    @GET
    @Path("departments")
    @Access(OPEN)
    public Response list() {
        RestHandler.Services s = services();
        return answer(RestHandler.departments("GET", null, s.departments(), s.now()));
    }

    @GET
    @Path("departments/{id}")
    @Access(OPEN)
    public Response department(@PathParam("id") String id) {
        RestHandler.Services s = services();
        return answer(RestHandler.departments("GET", id, s.departments(), s.now()));
    }
}
