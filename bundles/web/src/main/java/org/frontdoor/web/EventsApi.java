package org.frontdoor.web;

import javax.ws.rs.BeanParam;
import javax.ws.rs.GET;
import javax.ws.rs.Path;
import javax.ws.rs.core.Response;

import static org.frontdoor.web.RestHandler.Kind.LIST;

/**
 * {@code /events}: the event feed by pages ({@code GET /events/stream}, its live Server-Sent Events, is
 * {@link ApiServlet}'s; here it is the catch-up page a client without SSE reads).
 */
@Path("/")
public class EventsApi extends Resource {

    EventsApi(Api api) {
        super(api);
    }

    @GET
    @Path("events")
    @Access(LIST)
    public Response events(@BeanParam Paging paging) {
        RestHandler.Request r = call();
        return answer(RestHandler.events(r.query(), paging, r.caller(), inbox()));
    }

    @GET
    @Path("events/stream")
    @Access(LIST)
    public Response stream(@BeanParam Paging paging) {
        return events(paging);
    }
}
