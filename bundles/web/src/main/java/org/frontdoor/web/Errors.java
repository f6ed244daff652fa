package org.frontdoor.web;

import java.lang.reflect.Method;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.servlet.http.HttpServletRequest;
import javax.ws.rs.Path;
import javax.ws.rs.WebApplicationException;
import javax.ws.rs.container.ResourceInfo;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.HttpHeaders;
import javax.ws.rs.core.Request;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.UriInfo;
import javax.ws.rs.ext.ExceptionMapper;

import org.frontdoor.api.inbox.IdempotencyKeyReusedException;
import org.frontdoor.api.inbox.InboxUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place that turns what went wrong in {@code /api/v1} into an answer: a request to correct 400, an
 * Idempotency-Key reused for another request 422, the database not answering now 503 with Retry-After 5 (logged once,
 * without a stack trace), core not running 503 with Retry-After 10, what does not exist or is outside the caller's
 * scope 404 in the route's words ({@link Access#absent}: the same for both), a change that no longer applies 409 (on a
 * read it is core failing: 500), a refused argument 400, anything else 500 without details (logged). A path no
 * resource has is 404 and a method its path lacks 405 with Allow, after who asks is checked as for any route.
 */
public final class Errors implements ExceptionMapper<Throwable> {

    private static final Logger LOG = LoggerFactory.getLogger(Errors.class);
    private static final Pattern FIRST_PARAM = Pattern.compile("\\{([^}/:]+)");

    private final Api api;

    @Context
    private ResourceInfo resource;

    @Context
    private UriInfo uri;

    @Context
    private Request request;

    @Context
    private HttpHeaders headers;

    @Context
    private HttpServletRequest servlet;

    Errors(Api api) {
        this.api = api;
    }

    @Override
    public Response toResponse(Throwable e) {
        return Replies.response(reply(e));
    }

    private Reply reply(Throwable e) {
        String method = request.getMethod();
        if (e instanceof WebApplicationException w) {
            int status = w.getResponse().getStatus();
            if (status == 404 || status == 405) {
                return unrouted(method, status == 405);
            }
            return Reply.error(status, w.getResponse().getStatusInfo().getReasonPhrase());
        }
        if (e instanceof IllegalArgumentException && resource.getResourceMethod() == null) {
            // the runtime reads the query before it looks for a resource: a malformed escape, refused as ours are
            Api.Admission admission = api.admit(AccessFilter.ask(method, headers::getHeaderString, servlet));
            return admission.refused() != null ? admission.refused()
                    : Reply.error(400, "malformed query string: " + e.getMessage());
        }
        if (e instanceof RestHandler.BadRequest) {
            return Reply.error(400, e.getMessage());
        }
        if (e instanceof RestHandler.CoreNotRunning) {
            return Reply.error(503, "Frontdoor core is not running").with("Retry-After", "10");
        }
        if (e instanceof IdempotencyKeyReusedException) {
            return Reply.error(422, e.getMessage());
        }
        if (e instanceof InboxUnavailableException) {
            // the database cannot answer now: the client tries again; the log says why, once, without a stack trace
            LOG.warn("{} {}: {}", method, path(), e.getMessage());
            return Reply.error(503, "Frontdoor cannot answer now; try again shortly").with("Retry-After", "5");
        }
        if (e instanceof org.frontdoor.api.agents.AgentConflictException) {
            return Reply.error(409, reason(e, "the change no longer applies"));
        }
        if (e instanceof NoSuchElementException) {
            String absent = absent();
            if (absent != null) {
                // always the same words: what is outside the caller's scope must read exactly like what does not exist
                return Reply.error(404, absent);
            }
        } else if (e instanceof IllegalStateException) {
            if (RestHandler.CHANGES.contains(method)) {
                return Reply.error(409, reason(e, "the change no longer applies"));
            }
            // a read cannot conflict: this is core failing, answered 500 without its details
        } else if (e instanceof IllegalArgumentException) {
            return Reply.error(400, reason(e, "refused"));
        }
        LOG.error("{} {} failed", method, path(), e);
        return Reply.error(500, "internal error; see the server log");
    }

    /** The runtime's own refusals (no resource, method not allowed) in our words: before its mapper of them. */
    public static final class Unrouted implements ExceptionMapper<WebApplicationException> {

        private final Errors errors;

        Unrouted(Errors errors) {
            this.errors = errors;
        }

        @Override
        public Response toResponse(WebApplicationException e) {
            return errors.toResponse(e);
        }
    }

    /**
     * A path no resource has (404), or a method its path lacks (405 naming the methods it has): after who asks is
     * checked, so that without credentials it is 401 as for any route.
     */
    private Reply unrouted(String method, boolean notAllowed) {
        Api.Admission admission = api.admit(AccessFilter.ask(method, headers::getHeaderString, servlet));
        if (admission.refused() != null) {
            return admission.refused();
        }
        String type = headers.getHeaderString("Content-Type");
        if (RestHandler.CHANGES.contains(method) && !RestHandler.isJson(type)) {
            // as for a route: a change is refused for its type before its path is looked at
            return BodyFilter.unsupported(method, type);
        }
        String path = path();
        Set<String> allowed = new TreeSet<>();
        for (RestHandler.Route route : RestHandler.ROUTES) {
            if (route.pattern().matcher(path).matches()) {
                allowed.add(route.method());
            }
        }
        if (!allowed.isEmpty() && !allowed.contains(method)) {
            String allow = String.join(", ", allowed);
            return Reply.error(405, method + " is not allowed here; use " + allow).with("Allow", allow);
        }
        if (notAllowed) {
            return Reply.error(405, method + " is not allowed here");
        }
        return Reply.error(404, "no resource " + path + " (every route is in /api/v1/openapi.json)");
    }

    /** The route's words for what does not exist, or null where absence cannot be meant (then it is a failure). */
    private String absent() {
        Method method = resource.getResourceMethod();
        Access access = method == null ? null : method.getAnnotation(Access.class);
        if (access == null) {
            return null;
        }
        String template = access.absent();
        if (template.isEmpty()) {
            template = switch (access.value()) {
                case CONVERSATION -> "no conversation {id}";
                case REPLY -> "no reply {id}";
                case CUSTOMER -> "no customer {id}";
                case MERGE -> "no merge {id}";
                case CALLBACK -> "no callback task {id}";
                default -> null;
            };
        }
        if (template == null) {
            return null;
        }
        Path path = method.getAnnotation(Path.class);
        Matcher first = path == null ? null : FIRST_PARAM.matcher(path.value());
        String id = first != null && first.find() ? uri.getPathParameters().getFirst(first.group(1)) : null;
        try {
            id = id == null ? "" : Long.toString(Long.parseLong(id.strip()));
        } catch (NumberFormatException e) {
            id = id.strip(); // a name, as given
        }
        return template.replace("{id}", id);
    }

    /** The path below {@code /api/v1}, from its "/". */
    private String path() {
        String p = uri.getPath();
        return p.startsWith("/") ? p : "/" + p;
    }

    private static String reason(Throwable e, String fallback) {
        return e.getMessage() == null || e.getMessage().isBlank() ? fallback : e.getMessage();
    }
}
