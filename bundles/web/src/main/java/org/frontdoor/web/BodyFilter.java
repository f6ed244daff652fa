package org.frontdoor.web;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;

import javax.annotation.Priority;
import javax.ws.rs.Priorities;
import javax.ws.rs.container.ContainerRequestContext;
import javax.ws.rs.container.ContainerRequestFilter;
import javax.ws.rs.container.ResourceInfo;
import javax.ws.rs.core.Context;

/**
 * What every request to {@code /api/v1} must send, in one place: a well-formed query (400); for a change, after {@link AccessFilter}: {@code Content-Type:
 * application/json} (415 otherwise: a browser lets any site send a form or text/plain with the user's cached
 * credentials, but never JSON without asking first; {@code /session} also takes a form), and a body of at most
 * {@value #MAX_BODY} bytes (413).
 */
@Priority(Priorities.AUTHORIZATION + 10)
public final class BodyFilter implements ContainerRequestFilter {

    static final int MAX_BODY = 256 * 1024;

    @Context
    private ResourceInfo resource;

    @Override
    public void filter(ContainerRequestContext request) throws IOException {
        // a malformed query is refused in its words before any parameter is read from it
        String query;
        try {
            query = request.getUriInfo().getRequestUri().getRawQuery();
        } catch (IllegalArgumentException e) {
            throw new RestHandler.BadRequest("malformed query string: " + e.getMessage());
        }
        RestHandler.parseQuery(query);
        if (!RestHandler.CHANGES.contains(request.getMethod())) {
            return;
        }
        if (request.getLength() > MAX_BODY) {
            request.abortWith(Replies.response(tooLarge()));
            return;
        }
        byte[] body;
        try (InputStream in = request.getEntityStream()) {
            body = in == null ? new byte[0] : in.readNBytes(MAX_BODY + 1);
        }
        if (body.length > MAX_BODY) {
            request.abortWith(Replies.response(tooLarge()));
            return;
        }
        Access access = resource.getResourceMethod() == null ? null
                : resource.getResourceMethod().getAnnotation(Access.class);
        String type = request.getHeaderString("Content-Type");
        if ((access == null || access.value() != RestHandler.Kind.SESSION) && !RestHandler.isJson(type)) {
            request.abortWith(Replies.response(unsupported(request.getMethod(), type)));
            return;
        }
        request.setEntityStream(new ByteArrayInputStream(body));
    }

    /** 415 for a change without JSON, naming the type it had. */
    static Reply unsupported(String method, String type) {
        String not = type == null || type.isBlank() ? ""
                : " (UTF-8), not " + type.substring(0, Math.min(type.length(), 100));
        return Reply.error(415, method + " needs Content-Type: application/json" + not);
    }

    static Reply tooLarge() {
        return Reply.error(413, "the body is larger than " + MAX_BODY + " bytes");
    }
}
