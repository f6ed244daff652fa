package org.frontdoor.web;

import javax.ws.rs.BeanParam;
import javax.ws.rs.GET;
import javax.ws.rs.POST;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.core.Response;

import static org.frontdoor.web.RestHandler.Kind.CALLBACK;
import static org.frontdoor.web.RestHandler.Kind.LIST;

/** {@code /callbacks}: the phone callbacks SLA escalations asked for. */
@Path("/")
public class CallbacksApi extends Resource {

    CallbacksApi(Api api) {
        super(api);
    }

    @GET
    @Path("callbacks")
    @Access(LIST)
    public Response list(@BeanParam Paging paging) {
        return answer(RestHandler.callbacks(call().query(), paging, caller(), services().callbacks()));
    }

    @POST
    @Path("callbacks/{id}/done")
    @Access(CALLBACK)
    public Response done(@PathParam("id") String id, byte[] body) {
        return answer(RestHandler.callbackDone(id, caller(), services().callbacks()));
    }

    @POST
    @Path("callbacks/{id}/call")
    @Access(CALLBACK)
    public Response call(@PathParam("id") String id, byte[] body) {
        return answer(RestHandler.callbackCall(id, body, caller(), services().callbacks()));
    }
}
