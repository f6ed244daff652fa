package org.frontdoor.web;

import javax.ws.rs.GET;
import javax.ws.rs.POST;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.core.Response;

import com.fasterxml.jackson.databind.JsonNode;

import static org.frontdoor.web.RestHandler.Kind.ADMIN;
import static org.frontdoor.web.RestHandler.Kind.CUSTOMER;
import static org.frontdoor.web.RestHandler.Kind.LIST;
import static org.frontdoor.web.RestHandler.Kind.MERGE;

/** {@code /customers}, their merges and the suggested ones. */
@Path("/")
public class CustomersApi extends Resource {

    CustomersApi(Api api) {
        super(api);
    }

    @GET
    @Path("customers/{id}")
    @Access(CUSTOMER)
    public Response customer(@PathParam("id") String raw) {
        long id = RestHandler.parseId(raw, "customer id");
        return answer(RestHandler.found(inbox().customer(caller(), id), "no customer " + id));
    }

    @POST
    @Path("customers/{id}/merge")
    @Access(value = CUSTOMER, absent = "no customer {id} or no customer to merge it into")
    public Response merge(@PathParam("id") String raw, byte[] body) {
        long from = RestHandler.parseId(raw, "customer id");
        var in = inbox();
        JsonNode into = RestHandler.object(body).get("into");
        if (into == null || !into.canConvertToLong() || into.asLong() <= 0) {
            throw new RestHandler.BadRequest("missing field: into (the id of the customer to merge customer " + from
                    + " into)");
        }
        return answer(Reply.ok(in.merge(caller(), from, into.asLong())));
    }

    @POST
    @Path("customers/{id}/consent")
    @Access(value = ADMIN, refusal = "recording a customer's consent by hand is for role admin",
            absent = "no customer {id}")
    public Response consent(@PathParam("id") String id, byte[] body) {
        return answer(RestHandler.recordConsent(call(body), java.util.List.of(id), services()));
    }

    @POST
    @Path("merges/{id}/unmerge")
    @Access(MERGE)
    public Response unmerge(@PathParam("id") String raw, byte[] body) {
        long id = RestHandler.parseId(raw, "merge id");
        var in = inbox();
        RestHandler.object(body);
        return answer(Reply.ok(in.unmerge(caller(), id)));
    }

    @GET
    @Path("merge-suggestions")
    @Access(LIST)
    public Response mergeSuggestions() {
        return answer(Reply.ok(inbox().mergeSuggestions(caller())));
    }
}
