package org.frontdoor.web;

import javax.servlet.http.HttpServletRequest;
import javax.ws.rs.DELETE;
import javax.ws.rs.GET;
import javax.ws.rs.POST;
import javax.ws.rs.Path;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.Response;

import static org.frontdoor.web.RestHandler.Kind.SESSION;

/**
 * {@code /session}: POST logs in with {@code {"username", "password"}} (JSON or a form), throttled as HTTP Basic is,
 * and sets the session cookie; GET tells who the cookie's session is, with its CSRF token; DELETE logs out. Never a
 * Basic challenge: a browser would answer it with its own password dialog ({@link ApiServlet#session}).
 */
@Path("/")
public class SessionApi extends Resource {

    @Context
    HttpServletRequest servlet;

    SessionApi(Api api) {
        super(api);
    }

    @GET
    @Path("session")
    @Access(SESSION)
    public Response who() {
        return session(null);
    }

    @POST
    @Path("session")
    @Access(SESSION)
    public Response login(byte[] body) {
        return session(body);
    }

    @DELETE
    @Path("session")
    @Access(SESSION)
    public Response logout() {
        return session(null);
    }

    private Response session(byte[] body) {
        return answer(api.session(AccessFilter.ask(request.getMethod(), headers::getHeaderString, servlet),
                body == null ? new byte[0] : body));
    }
}
