package org.frontdoor.web;

import java.util.List;

import javax.ws.rs.core.Context;
import javax.ws.rs.core.HttpHeaders;
import javax.ws.rs.core.Request;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.SecurityContext;
import javax.ws.rs.core.UriInfo;

import org.frontdoor.api.Caller;
import org.frontdoor.api.inbox.Inbox;

/**
 * What the resources of {@code /api/v1} share: the request as the handlers read it ({@link RestHandler.Request}),
 * the caller {@link AccessFilter} let in, the services bound now. Errors are thrown, for {@link Errors} to answer.
 */
abstract class Resource {

    final Api api;

    @Context
    UriInfo uri;

    @Context
    HttpHeaders headers;

    @Context
    Request request;

    @Context
    SecurityContext security;

    Resource(Api api) {
        this.api = api;
    }

    /** Who asks, as {@link AccessFilter} let them in. */
    Caller caller() {
        return security.getUserPrincipal() instanceof CallerPrincipal p ? p.caller() : RestHandler.ANONYMOUS;
    }

    RestHandler.Services services() {
        return api.services();
    }

    /** The inbox; {@link RestHandler.CoreNotRunning} while core is not running. */
    Inbox inbox() {
        Inbox inbox = services().inbox();
        if (inbox == null) {
            throw new RestHandler.CoreNotRunning();
        }
        return inbox;
    }

    /** The request without a body. */
    RestHandler.Request call() {
        return call(null);
    }

    /** The request as the handlers read it: the query parsed from the raw one, the first value of a name winning. */
    RestHandler.Request call(byte[] body) {
        String path = uri.getPath();
        List<String> keys = headers.getRequestHeader(RestHandler.IDEMPOTENCY_KEY);
        return new RestHandler.Request(request.getMethod(), path.startsWith("/") ? path : "/" + path,
                RestHandler.parseQuery(uri.getRequestUri().getRawQuery()), headers.getHeaderString("Content-Type"),
                body, caller(), keys == null ? List.of() : keys);
    }

    static Response answer(Reply reply) {
        return Replies.response(reply);
    }
}
