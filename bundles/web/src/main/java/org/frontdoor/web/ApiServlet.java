package org.frontdoor.web;

import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

import javax.servlet.Servlet;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.apache.karaf.jaas.config.JaasRealm;
import org.frontdoor.api.Frontdoor;
import org.frontdoor.api.Blobs;
import org.frontdoor.api.Caller;
import org.frontdoor.api.Channel;
import org.frontdoor.api.Callbacks;
import org.frontdoor.api.Departments;
import org.frontdoor.api.accounts.Accounts;
import org.frontdoor.api.accounts.BrowserSessions;
import org.frontdoor.api.admin.PipelineStatus;
import org.frontdoor.api.agents.Agents;
import org.frontdoor.api.live.EventCommits;
import org.frontdoor.api.Scope;
import org.frontdoor.api.inbox.Inbox;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.http.whiteboard.HttpWhiteboardConstants;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The REST API under {@code /api/v1}: registers its JAX-RS application ({@link ApiApplication}) with the OSGi JAX-RS
 * whiteboard while the realm and the web layer are ready, and is what the application needs ({@link Api}): the
 * services bound now, and who asks ({@link #admit}: HTTP Basic against the Karaf realm or a browser's session cookie,
 * roles admin, supervisor or agent, an agent's and a supervisor's scope from their departments, {@link Agents#scopeOf};
 * failed logins throttled per user name and client address, {@link WebConfig}). Serves itself, as a servlet, what is
 * not JAX-RS: the live events as Server-Sent Events at {@link #STREAM} ({@link EventStream}) and Swagger UI over
 * {@code GET /api/v1/openapi.json} at {@link ApiDocs#PATH}, for admins, callers let in the same way.
 */
@Designate(ocd = WebConfig.class)
@Component(service = Servlet.class, configurationPid = "org.frontdoor.web", immediate = true, property = {
        HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_PATTERN + "=" + ApiDocs.PATH + "/*",
        HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_NAME + "=frontdoor-rest",
        HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_ASYNC_SUPPORTED + "=true"})
public class ApiServlet extends HttpServlet implements Api {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(ApiServlet.class);
    static final Set<String> ROLES = Set.of("admin", "supervisor", "agent");
    private static final int MAX_BODY = BodyFilter.MAX_BODY;
    /** The live event stream's path, a servlet of its own beside the JAX-RS application (the longer pattern wins). */
    static final String STREAM = ApiApplication.BASE + "/events/stream";
    // charset: clients send non-ASCII credentials as UTF-8, which is how they are decoded (RFC 7617)
    static final String CHALLENGE = "Basic realm=\"frontdoor\", charset=\"UTF-8\"";

    private final transient Authenticator authenticator;
    /** The browsers logged in with a session cookie (the console). */
    final transient Sessions sessions;
    /** {@code GET /events/stream}, started with the first stream. */
    private final transient java.util.concurrent.atomic.AtomicReference<EventStream> stream =
            new java.util.concurrent.atomic.AtomicReference<>();

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile Inbox inbox;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile Blobs blobs;

    /** This node's commits of events waking the live streams (see {@link EventStream}): whose, and the listening. */
    private record Listening(EventCommits from, EventCommits.Subscription subscription) {
    }

    private final transient AtomicReference<Listening> commits = new AtomicReference<>();

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindEventCommits(EventCommits eventCommits) {
        Listening old = commits.getAndSet(new Listening(eventCommits, eventCommits.listen(this::eventsCommitted)));
        if (old != null) {
            old.subscription().close();
        }
    }

    void unbindEventCommits(EventCommits eventCommits) {
        // a greedy swap binds the new one first: only the departing service's listening ends
        Listening current = commits.get();
        if (current != null && current.from() == eventCommits && commits.compareAndSet(current, null)) {
            current.subscription().close();
        }
    }

    private void eventsCommitted() {
        EventStream s = stream.get();
        if (s != null) {
            s.committed();
        }
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile PipelineStatus pipelineStatus;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile Departments departments;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile Callbacks callbacks;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile Agents agents;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile Accounts accounts;

    /** The metrics' Prometheus text, from frontdoor-metrics (a JDK type: web depends on no metrics library). */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, service = java.util.function.Supplier.class,
            target = "(frontdoor.metrics=prometheus-text)")
    volatile java.util.function.Supplier<String> metrics;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile org.frontdoor.api.consent.ConsentDesk consentDesk;

    final transient Channels channels = new Channels();

    /** What "open now" is measured against in {@code GET /departments} (tests set it). */
    transient Clock clock = Clock.systemUTC();

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addChannel(Channel channel, Map<String, Object> properties) {
        channels.add(channel, properties);
    }

    void removeChannel(Channel channel, Map<String, Object> properties) {
        channels.remove(properties);
    }

    /** The department integrations' status services, by service id. */
    final transient Map<Long, org.frontdoor.api.admin.IntegrationStatus> integrations =
            new java.util.concurrent.ConcurrentHashMap<>();

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addIntegration(org.frontdoor.api.admin.IntegrationStatus integration, Map<String, Object> properties) {
        integrations.put((Long) properties.get("service.id"), integration);
    }

    void removeIntegration(org.frontdoor.api.admin.IntegrationStatus integration, Map<String, Object> properties) {
        integrations.remove((Long) properties.get("service.id"));
    }

    /**
     * Registered only once the realm karaf logs in against the login accounts (with the first admin in them), so no
     * login is refused, and counted as failed, for want of them while Frontdoor starts.
     */
    @Reference(service = JaasRealm.class, target = "(" + AccountRealm.MARKER + "=true)")
    transient Object accountsRealm;

    /** Where browser sessions are kept, shared by the nodes (the store's); in memory while absent. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            unbind = "unbindBrowserSessions")
    void bindBrowserSessions(BrowserSessions store) {
        sessions.useStore(store);
    }

    void unbindBrowserSessions(BrowserSessions store) {
        sessions.releaseStore(store);
    }

    /** Registered only once Pax Web's default context runs ({@link Frontdoor#WEB_READY}). */
    @Reference(service = Object.class, target = Frontdoor.WEB_READY)
    transient Object webReady;

    @Activate
    public ApiServlet(WebConfig config) {
        this(new Authenticator(Authenticator.jaas("karaf"), Clock.systemUTC(), Duration.ofSeconds(30),
                new LoginThrottle(Clock.systemUTC(), LoginThrottle.Settings.of(config))),
                new Sessions(Clock.systemUTC(), idle(config)));
    }

    /** New throttle limits and idle timeout apply to the next request, without registering the servlet again. */
    @Modified
    void modified(WebConfig config) {
        authenticator.throttle().update(LoginThrottle.Settings.of(config));
        sessions.idleTimeout(idle(config));
    }

    private static Duration idle(WebConfig config) {
        return Duration.ofMinutes(Math.max(1, config.sessionIdleMinutes()));
    }

    ApiServlet(Authenticator authenticator) {
        this(authenticator, new Sessions(Clock.systemUTC(), Duration.ofMinutes(30)));
    }

    ApiServlet(Authenticator authenticator, Sessions sessions) {
        this.authenticator = authenticator;
        this.sessions = sessions;
    }

    /**
     * The JAX-RS application of /api/v1, registered with the whiteboard while this component is active (immediate: a
     * delayed component would be deactivated, and the application gone, whenever the web layer let go of the servlet).
     */
    private transient org.osgi.framework.ServiceRegistration<?> application;

    @Activate
    void activate(org.osgi.framework.BundleContext context) {
        java.util.Hashtable<String, Object> properties = new java.util.Hashtable<>();
        properties.put(org.osgi.service.jaxrs.whiteboard.JaxrsWhiteboardConstants.JAX_RS_APPLICATION_BASE,
                ApiApplication.BASE);
        properties.put(org.osgi.service.jaxrs.whiteboard.JaxrsWhiteboardConstants.JAX_RS_NAME, ApiApplication.NAME);
        // the whiteboard serves the application in a servlet context of its own at /api/v1: the web layer's
        // default context is stopped and started again whenever a door adds a WebSocket endpoint (Pax Web), which
        // the whiteboard's servlet does not survive (every request then answered 404 "No service was found")
        application = context.registerService(javax.ws.rs.core.Application.class, new ApiApplication(this),
                properties);
        // the live event stream, a servlet beside the application in its context (the longer pattern wins)
        java.util.Hashtable<String, Object> stream = new java.util.Hashtable<>();
        stream.put(HttpWhiteboardConstants.HTTP_WHITEBOARD_CONTEXT_SELECT, "("
                + HttpWhiteboardConstants.HTTP_WHITEBOARD_CONTEXT_NAME + "=" + ApiApplication.CONTEXT + ")");
        stream.put(HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_PATTERN,
                STREAM.substring(ApiApplication.BASE.length()));
        stream.put(HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_NAME, "frontdoor-events-stream");
        stream.put(HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_ASYNC_SUPPORTED, true);
        streamServlet = context.registerService(Servlet.class, new HttpServlet() {
            private static final long serialVersionUID = 1L;

            @Override
            protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
                ApiServlet.this.service(request, response);
            }
        }, stream);
    }

    /** The servlet of {@link #STREAM} in the application's context. */
    private transient org.osgi.framework.ServiceRegistration<?> streamServlet;

    @org.osgi.service.component.annotations.Deactivate
    void deactivate() {
        if (streamServlet != null) {
            streamServlet.unregister();
            streamServlet = null;
        }
        if (application != null) {
            application.unregister();
            application = null;
        }
        EventStream s = stream.getAndSet(null);
        if (s != null) {
            s.close();
        }
    }

    private EventStream stream() {
        EventStream s = stream.get();
        if (s == null) {
            synchronized (stream) {
                s = stream.get();
                if (s == null) {
                    s = new EventStream(() -> inbox);
                    stream.set(s);
                }
            }
        }
        return s;
    }

    /**
     * {@link ApiDocs#PATH}, and {@link #STREAM}: the live events as Server-Sent Events, for a caller let in as the
     * JAX-RS application lets them in ({@link #admit}); every other path of /api/v1 is the application's.
     */
    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (ApiDocs.PATH.equals(request.getServletPath())) {
            docs(request, response);
            return;
        }
        String path = request.getPathInfo() == null ? "" : request.getPathInfo();
        if (!path.isEmpty() && !"/".equals(path)) {
            write(response, Reply.error(404, "no resource " + request.getRequestURI()
                    + " (every route is in /api/v1/openapi.json)"));
            return;
        }
        if (!"GET".equals(request.getMethod())) {
            Admission admission = admit(ask(request));
            write(response, admission.refused() != null ? admission.refused()
                    : Reply.error(405, request.getMethod() + " is not allowed here; use GET").with("Allow", "GET"));
            return;
        }
        try {
            Admission admission = admit(ask(request));
            if (admission.refused() != null) {
                write(response, admission.refused());
                return;
            }
            long after = EventStream.resumeFrom(request.getHeader("Last-Event-ID"),
                    RestHandler.parseQuery(request.getQueryString()).get("after"));
            stream().start(request, response, admission.caller(), after);
        } catch (RestHandler.BadRequest e) {
            write(response, Reply.error(400, e.getMessage()));
        } catch (RuntimeException e) {
            LOG.error("{} {} failed", request.getMethod(), request.getRequestURI(), e);
            write(response, Reply.error(500, "internal error; see the server log"));
        }
    }

    /** What a servlet request says about who sends it. */
    static Ask ask(HttpServletRequest request) {
        return new Ask(request.getMethod(), request.getHeader("Authorization"), request.getHeader("Cookie"),
                request.getHeader(Sessions.CSRF_HEADER), request.getRemoteAddr(), request.isSecure(),
                request.getHeader("Origin"), request.getHeader("Host"), request.getContentType());
    }

    /**
     * The one place that lets a caller of the API in: who asks ({@link #whoAsks}), then 401 without valid credentials
     * (with the Basic challenge), 403 without a role of the API; the caller with the scope the inbox limits them to.
     */
    @Override
    public Admission admit(Ask ask) {
        Login login = whoAsks(ask);
        if (login.refused() != null) {
            return new Admission(null, login.refused());
        }
        Reply refused = refusal(login.user());
        if (refused != null) {
            if (login.user() != null && login.sessionId() == null) {
                // refused for lack of a role: log in afresh next time, so a role granted meanwhile counts at once
                authenticator.forget(ask.authorization());
            }
            return new Admission(null, refused);
        }
        return new Admission(callerOf(login.user(), agents), null);
    }

    @Override
    public Blobs blobs() {
        return blobs;
    }

    /**
     * Who asks, or the answer that refuses them before any role is looked at.
     *
     * @param user      the user logged in, or null without (valid) credentials
     * @param sessionId the browser session's id when the session cookie was used (no Authorization header)
     * @param refused   the answer when the session has ended, a change lacks the CSRF header, or logins are locked
     */
    private record Login(Authenticator.User user, String sessionId, Reply refused) {
    }

    /**
     * The one place that tells who a request comes from: the session cookie without an Authorization header (a
     * browser: no Basic challenge, the browser would ask for a password in its own dialog; a change needs the
     * session's CSRF header), else HTTP Basic, throttled.
     */
    private Login whoAsks(Ask request) {
        String sessionId = request.authorization() == null ? Sessions.idFrom(request.cookie()) : null;
        if (sessionId != null) {
            Optional<Sessions.Session> session = sessions.find(sessionId);
            if (session.isEmpty()) {
                return new Login(null, sessionId, Reply.error(401, "the session has ended; log in again")
                        .with("Set-Cookie", Sessions.cleared(request.secure())));
            }
            if (RestHandler.CHANGES.contains(request.method()) && !session.get().csrfMatches(request.csrf())) {
                return new Login(null, sessionId, Reply.error(403, "a change made with a session cookie needs the "
                        + "session's " + Sessions.CSRF_HEADER + " header"));
            }
            return new Login(session.get().user, sessionId, null);
        }
        try {
            return new Login(authenticator.authenticate(request.authorization(), request.remoteAddr()), null, null);
        } catch (LoginThrottle.Locked e) {
            return new Login(null, null, Reply.error(429, e.getMessage())
                    .with("Retry-After", Long.toString(e.retryAfterSeconds())));
        }
    }

    /**
     * {@link ApiDocs#PATH}: Swagger UI, for admins logged in as for the API (a browser's session cookie, or HTTP
     * Basic: without either, the Basic challenge lets a browser ask).
     */
    private void docs(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String path = request.getPathInfo() == null ? "" : request.getPathInfo();
        if (path.isEmpty()) {
            write(response, new Reply(301, Map.of("Location", ApiDocs.PATH + "/"), null));
            return;
        }
        if (!"GET".equals(request.getMethod())) {
            write(response, Reply.error(405, request.getMethod() + " is not allowed here; use GET")
                    .with("Allow", "GET"));
            return;
        }
        Login login = whoAsks(ask(request));
        Reply refused = login.refused() != null ? login.refused() : refusal(login.user());
        if (refused == null && !login.user().roles().contains(Agents.ADMIN)) {
            refused = Reply.error(403, login.user().name() + " is not an admin; the API's documentation is for "
                    + "role admin");
        }
        if (refused != null) {
            write(response, refused);
            return;
        }
        Optional<ApiDocs.File> file = ApiDocs.file(path);
        if (file.isEmpty()) {
            write(response, Reply.error(404, "no page " + ApiDocs.PATH + path));
            return;
        }
        ApiDocs.headers().forEach(response::setHeader);
        response.setStatus(200);
        response.setContentType(file.get().mediaType());
        response.setContentLength(file.get().content().length);
        response.getOutputStream().write(file.get().content());
    }

    /**
     * {@code /session}: POST logs in with {@code {"username", "password"}} (JSON or a form), throttled as HTTP Basic
     * is, and sets the session cookie; GET tells who the cookie's session is, with its CSRF token (a reloaded page
     * goes on without a new login); DELETE logs out. Never a Basic challenge: a browser would answer it with its own
     * password dialog.
     */
    @Override
    public Reply session(Ask request, byte[] body) {
        boolean secure = request.secure();
        String id = Sessions.idFrom(request.cookie());
        switch (request.method()) {
            case "GET" -> {
                Optional<Sessions.Session> session = sessions.find(id);
                return session.isEmpty() ? Reply.error(401, "not logged in") : Reply.ok(sessionBody(session.get()));
            }
            case "DELETE" -> {
                Optional<Sessions.Session> session = sessions.find(id);
                if (session.isEmpty()) {
                    return Reply.error(401, "not logged in").with("Set-Cookie", Sessions.cleared(secure));
                }
                if (!session.get().csrfMatches(request.csrf())) {
                    return Reply.error(403, "logging out with a session cookie needs the session's "
                            + Sessions.CSRF_HEADER + " header");
                }
                sessions.end(id);
                return new Reply(204, Map.of("Set-Cookie", Sessions.cleared(secure)), null);
            }
            case "POST" -> {
                return login(request, body, secure, id);
            }
            default -> {
                return Reply.error(405, request.method() + " is not allowed here; use GET, POST, DELETE")
                        .with("Allow", "DELETE, GET, POST");
            }
        }
    }

    private Reply login(Ask request, byte[] body, boolean secure, String previous) {
        String origin = request.origin();
        String host = request.host();
        if (origin != null && host != null && !host.equalsIgnoreCase(authority(origin))) {
            return Reply.error(403, "a login from another site's page is refused");
        }
        String type = request.contentType();
        String name;
        String password;
        if (RestHandler.isJson(type)) {
            com.fasterxml.jackson.databind.JsonNode json;
            try {
                json = Json.MAPPER.readTree(body);
            } catch (IOException e) {
                return Reply.error(400, "the body is not JSON: {\"username\", \"password\"}");
            }
            if (json == null || !json.isObject()) {
                return Reply.error(400, "the body must be {\"username\", \"password\"}");
            }
            name = json.path("username").isTextual() ? json.path("username").asText() : null;
            password = json.path("password").isTextual() ? json.path("password").asText() : null;
        } else if (type != null && type.toLowerCase(java.util.Locale.ROOT)
                .startsWith("application/x-www-form-urlencoded")) {
            Map<String, String> form = RestHandler.parseQuery(new String(body, StandardCharsets.UTF_8));
            name = form.get("username");
            password = form.get("password");
        } else {
            return Reply.error(415, "POST /session needs Content-Type: application/json or "
                    + "application/x-www-form-urlencoded");
        }
        if (name == null || name.isEmpty() || password == null || password.isEmpty()) {
            return Reply.error(400, "missing field: username and password are both needed");
        }
        Authenticator.User user;
        try {
            user = authenticator.login(name, password, request.remoteAddr());
        } catch (LoginThrottle.Locked e) {
            return Reply.error(429, e.getMessage()).with("Retry-After", Long.toString(e.retryAfterSeconds()));
        }
        if (user == null) {
            return Reply.error(401, "wrong user name or password");
        }
        Reply refused = refusal(user);
        if (refused != null) {
            return Reply.error(403, user.name() + " has none of the roles admin, supervisor, agent");
        }
        sessions.end(previous);
        Sessions.Session session = sessions.create(user);
        return Reply.ok(sessionBody(session)).with("Set-Cookie", Sessions.cookie(session.id, secure));
    }

    /** host[:port] of an Origin header, or null when it is none ("null", malformed). */
    private static String authority(String origin) {
        try {
            return java.net.URI.create(origin).getRawAuthority();
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private Map<String, Object> sessionBody(Sessions.Session session) {
        Map<String, Object> body = new java.util.LinkedHashMap<>();
        body.put("user", session.user.name());
        body.put("roles", new java.util.TreeSet<>(session.user.roles()));
        body.put("csrfToken", session.csrfToken);
        body.put("idleTimeoutSeconds", sessions.idleTimeout().toSeconds());
        return body;
    }



    /** What the routes of {@link RestHandler#ROUTES} use, as bound now. */
    @Override
    public RestHandler.Services services() {
        return new RestHandler.Services(inbox, pipelineStatus, departments, channels, List.copyOf(integrations.values()),
                callbacks, agents, accounts, name -> {
                    authenticator.forgetUser(name);
                    sessions.endAllOf(name);
                }, clock.instant(), metrics, consentDesk);
    }

    /** 401 without valid credentials, 403 without role admin, supervisor or agent, null when the user may go on. */
    static Reply refusal(Authenticator.User user) {
        if (user == null) {
            return Reply.error(401, "authentication required").with("WWW-Authenticate", CHALLENGE);
        }
        if (user.roles().stream().noneMatch(ROLES::contains)) {
            return Reply.error(403, user.name() + " has none of the roles admin, supervisor, agent");
        }
        return null;
    }

    /**
     * The caller the inbox sees for a user let through by {@link #refusal}: the one place that decides what a user of
     * the REST API may see.
     */
    static Caller callerOf(Authenticator.User user, Agents agents) {
        return Caller.asUser(user.name(), user.roles(), scopeOf(user, agents));
    }

    /** As {@link #callerOf(Authenticator.User, Agents)} without the agents (core not running): admins alone see. */
    static Caller callerOf(Authenticator.User user) {
        return callerOf(user, null);
    }

    /**
     * Everything for an admin; otherwise what {@link Agents#scopeOf} gives (the user's departments as an agent and those
     * their roles may read), and nothing at all while core is not running.
     */
    private static Scope scopeOf(Authenticator.User user, Agents agents) {
        if (user.roles().contains(Agents.ADMIN)) {
            return Scope.ALL;
        }
        return agents == null ? Scope.departments(Set.of()) : agents.scopeOf(user.name(), user.roles());
    }


    static void write(HttpServletResponse response, Reply reply) throws IOException {
        response.setStatus(reply.status());
        reply.headers().forEach(response::setHeader);
        response.setHeader("Cache-Control", "no-store");
        response.setHeader("X-Content-Type-Options", "nosniff");
        if (reply.body() == null) {
            return;
        }
        if (reply.body() instanceof RestHandler.Text text) {
            byte[] bytes = text.text().getBytes(StandardCharsets.UTF_8);
            response.setContentType(text.mediaType());
            response.setContentLength(bytes.length);
            response.getOutputStream().write(bytes);
            return;
        }
        byte[] json = Json.MAPPER.writeValueAsString(reply.body()).getBytes(StandardCharsets.UTF_8);
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        response.setContentLength(json.length);
        response.getOutputStream().write(json);
    }
}
