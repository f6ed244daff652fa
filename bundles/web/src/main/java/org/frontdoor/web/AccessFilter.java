package org.frontdoor.web;

import java.lang.reflect.Method;

import javax.annotation.Priority;
import javax.servlet.http.HttpServletRequest;
import javax.ws.rs.Priorities;
import javax.ws.rs.container.ContainerRequestContext;
import javax.ws.rs.container.ContainerRequestFilter;
import javax.ws.rs.container.ResourceInfo;
import javax.ws.rs.core.Context;

import org.frontdoor.api.Caller;
import org.frontdoor.api.agents.Agents;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place that lets a request of {@code /api/v1} in: who asks ({@link Api#admit}: the session cookie with its
 * CSRF header on changes, else HTTP Basic, throttled; 401 with the Basic challenge without valid credentials, 403
 * without a role of the API), then what the resource method's {@link Access} asks: role admin, supervisor; none for
 * {@link RestHandler.Kind#PUBLIC} without credentials, and {@link RestHandler.Kind#SESSION}, which answers about the
 * cookie itself. A method without {@link Access} is refused (500), never served unchecked. The caller goes on as the
 * request's SecurityContext ({@link CallerPrincipal}).
 */
@Priority(Priorities.AUTHENTICATION)
public final class AccessFilter implements ContainerRequestFilter {

    private static final Logger LOG = LoggerFactory.getLogger(AccessFilter.class);

    private final Api api;

    @Context
    private ResourceInfo resource;

    @Context
    private HttpServletRequest servlet;

    AccessFilter(Api api) {
        this.api = api;
    }

    @Override
    public void filter(ContainerRequestContext request) {
        Method method = resource.getResourceMethod();
        Access access = method == null ? null : method.getAnnotation(Access.class);
        if (access == null) {
            LOG.error("{} {} has no @Access: refused", request.getMethod(), method);
            request.abortWith(Replies.response(Reply.error(500, "internal error; see the server log")));
            return;
        }
        RestHandler.Kind kind = access.value();
        if (kind == RestHandler.Kind.SESSION) {
            return;
        }
        Caller caller;
        if (kind == RestHandler.Kind.PUBLIC && request.getHeaderString("Authorization") == null) {
            // no login asked for (a load balancer's health probe): served as nobody in particular
            caller = RestHandler.ANONYMOUS;
        } else {
            Api.Admission admission = api.admit(ask(request.getMethod(), request::getHeaderString, servlet));
            if (admission.refused() != null) {
                request.abortWith(Replies.response(admission.refused()));
                return;
            }
            caller = admission.caller();
        }
        request.setSecurityContext(CallerPrincipal.context(caller, servlet != null && servlet.isSecure()));
        String refusal = refusal(kind, access, caller);
        if (refusal != null) {
            request.abortWith(Replies.response(Reply.error(403, refusal)));
        }
    }

    /** The 403's reason when the caller lacks the role the kind asks for, else null. */
    private static String refusal(RestHandler.Kind kind, Access access, Caller caller) {
        boolean admin = caller.hasRole(Agents.ADMIN);
        if (kind == RestHandler.Kind.ADMIN && !admin) {
            return access.refusal().isEmpty() ? "this is for role admin" : access.refusal().replace("{user}", caller.name());
        }
        if (kind == RestHandler.Kind.SUPERVISOR && !admin && !caller.hasRole(Agents.SUPERVISOR)) {
            return access.refusal().isEmpty() ? "this is for role supervisor or admin" : access.refusal();
        }
        return null;
    }

    /** What a request says about who sends it. */
    static Api.Ask ask(String method, java.util.function.Function<String, String> header, HttpServletRequest servlet) {
        return new Api.Ask(method, header.apply("Authorization"), header.apply("Cookie"),
                header.apply(Sessions.CSRF_HEADER), servlet == null ? null : servlet.getRemoteAddr(),
                servlet != null && servlet.isSecure(), header.apply("Origin"), header.apply("Host"),
                header.apply("Content-Type"));
    }
}
