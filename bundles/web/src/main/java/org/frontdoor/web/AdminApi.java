package org.frontdoor.web;

import javax.ws.rs.GET;
import javax.ws.rs.Path;
import javax.ws.rs.core.Response;

import static org.frontdoor.web.RestHandler.Kind.ADMIN;
import static org.frontdoor.web.RestHandler.Kind.PUBLIC;

/** What admins watch: the health (for everyone, more for admins), metrics, rules, integrations, event consumers. */
@Path("/")
public class AdminApi extends Resource {

    AdminApi(Api api) {
        super(api);
    }

    @GET
    @Path("event-consumers")
    @Access(value = ADMIN, refusal = "the event consumers are for role admin")
    public Response eventConsumers() {
        return answer(RestHandler.eventConsumers("GET", caller(), services().status()));
    }

    @GET
    @Path("rules")
    @Access(value = ADMIN, refusal = "the routing rules are for role admin")
    public Response rules() {
        return answer(RestHandler.rules(caller(), services().status()));
    }

    @GET
    @Path("integrations")
    @Access(value = ADMIN, refusal = "the integrations are for role admin")
    public Response integrations() {
        RestHandler.Services s = services();
        return answer(RestHandler.integrations("GET", caller(), s.integrations(), s.status()));
    }

    @GET
    @Path("health")
    @Access(PUBLIC)
    public Response health() {
        RestHandler.Services s = services();
        return answer(RestHandler.health("GET", caller(), call().query().containsKey("detail"), s.status(),
                s.channels() == null ? java.util.List.of() : s.channels().doors()));
    }

    @GET
    @Path("metrics")
    @Access(value = ADMIN, refusal = "the metrics are for role admin")
    public Response metrics() {
        return answer(RestHandler.metrics("GET", caller(), services().metrics()));
    }
}
