package org.frontdoor.web;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import javax.ws.rs.core.Response;
import javax.ws.rs.ext.RuntimeDelegate;

import org.apache.cxf.endpoint.Server;
import org.apache.cxf.jaxrs.JAXRSServerFactoryBean;
import org.apache.cxf.jaxrs.client.WebClient;
import org.apache.cxf.message.Message;
import org.apache.cxf.phase.AbstractPhaseInterceptor;
import org.apache.cxf.phase.Phase;
import org.apache.cxf.transport.local.LocalConduit;
import org.apache.cxf.transport.local.LocalTransportFactory;
import org.frontdoor.api.Blobs;
import org.frontdoor.api.Caller;
import org.frontdoor.api.inbox.Inbox;

/**
 * The JAX-RS application of /api/v1 ({@link ApiApplication}: its resources, filters and mappers) run in CXF in-process
 * (the local transport, dispatched on the caller's thread), as the whiteboard runs it: the tests' requests go through
 * the real JAX-RS runtime. Either as a given caller with given services (what RestHandler.dispatch took), or through
 * {@link ApiServlet}, whose own paths (Swagger UI, the event stream) it serves itself.
 */
final class JaxRs {

    private static final String ADDRESS = "local://frontdoor-api-test";
    /** The harness's stand-in for credentials: the caller given is let in as it is. */
    private static final String AS_GIVEN = "Harness as-given";

    /** Who serves the request now (the server is one, the tests' components many). */
    private static final ThreadLocal<Api> API = new ThreadLocal<>();
    /** The servlet request the application sees (client address, HTTPS). */
    private static final ThreadLocal<HttpServletRequest> SERVLET = new ThreadLocal<>();
    /** The raw query string, as a servlet container passes it on (the client would encode it again). */
    private static final ThreadLocal<String> QUERY = new ThreadLocal<>();

    private static Server server;

    /** A store that has every content the dispatcher is asked for, empty (the access tests ask whether, not what). */
    private static final Blobs STORED = (Blobs) java.lang.reflect.Proxy.newProxyInstance(JaxRs.class.getClassLoader(),
            new Class<?>[] {Blobs.class}, (proxy, m, args) -> {
                if (m.getName().equals("open")) {
                    return java.util.Optional.of(new java.io.ByteArrayInputStream(new byte[0]));
                }
                throw new UnsupportedOperationException(m.getName());
            });

    private JaxRs() {
    }

    /** As the dispatcher took it: this caller, with the inbox alone. */
    static Reply handle(RestHandler.Request request, Inbox inbox) {
        return dispatch(request, RestHandler.Services.of(inbox));
    }

    /** The request through the application, as its caller, with these services. */
    static Reply dispatch(RestHandler.Request request, RestHandler.Services services) {
        Caller caller = request.caller();
        Api api = new Api() {
            @Override
            public RestHandler.Services services() {
                return services;
            }

            @Override
            public Admission admit(Ask ask) {
                return AS_GIVEN.equals(ask.authorization()) ? new Admission(caller, null)
                        : new Admission(null, ApiServlet.refusal(null));
            }

            /** The caller given is who the session is: GET names them; a browser's login and logout need ApiServlet. */
            @Override
            public Reply session(Ask ask, byte[] body) {
                if (!"GET".equals(ask.method())) {
                    return Reply.error(400, ask.method() + " /session is for a browser: it sets or clears the cookie");
                }
                Map<String, Object> answer = new LinkedHashMap<>();
                answer.put("user", caller.name());
                answer.put("roles", new java.util.TreeSet<>(caller.roles()));
                return Reply.ok(answer);
            }

            @Override
            public Blobs blobs() {
                return STORED;
            }
        };
        Map<String, List<String>> headers = new LinkedHashMap<>();
        headers.put("Authorization", List.of(AS_GIVEN));
        if (request.contentType() != null) {
            headers.put("Content-Type", List.of(request.contentType()));
        }
        if (!request.idempotencyKeys().isEmpty()) {
            headers.put(RestHandler.IDEMPOTENCY_KEY, request.idempotencyKeys());
        }
        String query = query(request.query());
        Answer answer = send(api, FakeHttp.request(request.method(), request.path(), query, Map.of(), null),
                request.method(), request.path(), query, headers, request.body());
        return answer.reply();
    }

    /** A servlet request to /api/v1 or /api/docs, as the web layer routes it: ApiServlet's paths, else the application. */
    static void service(ApiServlet servlet, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        String path = request.getPathInfo() == null ? "" : request.getPathInfo();
        if (ApiDocs.PATH.equals(request.getServletPath())
                || (ApiApplication.BASE + path).replaceAll("/+$", "").equals(ApiServlet.STREAM)) {
            if (!ApiDocs.PATH.equals(request.getServletPath())) {
                servlet.service(FakeHttp.wrap(request, ApiServlet.STREAM, ""), response);
                return;
            }
            servlet.service(request, response);
            return;
        }
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (String name : FakeHttp.headerNames(request)) {
            headers.put(name, java.util.Collections.list(request.getHeaders(name)));
        }
        byte[] body = request.getInputStream().readAllBytes();
        Answer answer = send(servlet, request, request.getMethod(), path, request.getQueryString(), headers, body);
        response.setStatus(answer.status());
        answer.headers().forEach((name, value) -> {
            if (name.equalsIgnoreCase("Content-Type")) {
                response.setContentType(value);
            } else if (!name.equalsIgnoreCase("Content-Length") && !name.equalsIgnoreCase("Date")) {
                response.setHeader(name, value);
            }
        });
        if (answer.body().length > 0) {
            response.getOutputStream().write(answer.body());
        }
    }

    /** What the application answered. */
    record Answer(int status, Map<String, String> headers, byte[] body) {

        /** As a Reply: the JSON body as a tree, any other as its text. */
        Reply reply() {
            String type = headers.get("Content-Type");
            Object parsed = null;
            String disposition = headers.get("Content-Disposition");
            if (disposition != null && disposition.startsWith("attachment")) {
                String name = java.net.URLDecoder.decode(disposition.substring(disposition.indexOf("''") + 2),
                        StandardCharsets.UTF_8);
                parsed = new Download(name, type, body.length, "as-stored");
            } else if (body.length > 0) {
                try {
                    parsed = type != null && type.startsWith("application/json") ? Json.MAPPER.readTree(body)
                            : new RestHandler.Text(type, new String(body, StandardCharsets.UTF_8));
                } catch (IOException e) {
                    throw new AssertionError("the answer is not JSON: " + new String(body, StandardCharsets.UTF_8),
                            e);
                }
            }
            Map<String, String> extra = new LinkedHashMap<>(headers);
            extra.keySet().removeIf(name -> List.of("Content-Type", "Content-Length", "Date", "Cache-Control",
                    "X-Content-Type-Options").contains(name));
            return new Reply(status, Map.copyOf(extra), parsed);
        }
    }

    private static Answer send(Api api, HttpServletRequest servlet, String method, String path, String query,
                               Map<String, List<String>> headers, byte[] body) {
        start();
        API.set(api);
        QUERY.set(query);
        String below = path == null ? "" : path;
        // the request as the whiteboard's servlet sees it: its address, below it the path the application matches
        SERVLET.set(new javax.servlet.http.HttpServletRequestWrapper(servlet) {
            @Override
            public StringBuffer getRequestURL() {
                return new StringBuffer(ADDRESS + below);
            }

            @Override
            public String getRequestURI() {
                return below;
            }

            @Override
            public String getContextPath() {
                return "";
            }

            @Override
            public String getServletPath() {
                return "";
            }

            @Override
            public String getPathInfo() {
                return below;
            }

            @Override
            public String getQueryString() {
                return query;
            }
        });
        try {
            WebClient client = WebClient.create(ADDRESS);
            if (path != null && !path.isEmpty()) {
                client.path(path);
            }
            WebClient.getConfig(client).getRequestContext().put(LocalConduit.DIRECT_DISPATCH, Boolean.TRUE);
            headers.forEach((name, values) -> client.header(name, values.toArray()));
            if (!headers.containsKey("Accept")) {
                client.accept("*/*");
            }
            Response response = client.invoke(method, body == null || body.length == 0 ? null : body);
            Map<String, String> answered = new LinkedHashMap<>();
            response.getStringHeaders().forEach((name, values) -> answered.put(name, String.join(", ", values)));
            byte[] content = response.hasEntity() ? response.readEntity(byte[].class) : new byte[0];
            return new Answer(response.getStatus(), answered, content == null ? new byte[0] : content);
        } finally {
            API.remove();
            SERVLET.remove();
            QUERY.remove();
        }
    }

    private static String query(Map<String, String> query) {
        if (query.isEmpty()) {
            return null;
        }
        StringBuilder out = new StringBuilder();
        query.forEach((name, value) -> out.append(out.length() == 0 ? "" : "&")
                .append(java.net.URLEncoder.encode(name, StandardCharsets.UTF_8)).append('=')
                .append(java.net.URLEncoder.encode(value, StandardCharsets.UTF_8)));
        return out.toString();
    }

    private static synchronized void start() {
        if (server != null) {
            return;
        }
        Api current = new Api() {
            @Override
            public RestHandler.Services services() {
                return API.get().services();
            }

            @Override
            public Admission admit(Ask ask) {
                return API.get().admit(ask);
            }

            @Override
            public Reply session(Ask ask, byte[] body) {
                return API.get().session(ask, body);
            }

            @Override
            public Blobs blobs() {
                return API.get().blobs();
            }
        };
        JAXRSServerFactoryBean factory = RuntimeDelegate.getInstance()
                .createEndpoint(new ApiApplication(current), JAXRSServerFactoryBean.class);
        factory.setAddress(ADDRESS);
        factory.setTransportId(LocalTransportFactory.TRANSPORT_ID);
        factory.getInInterceptors().add(new AbstractPhaseInterceptor<Message>(Phase.RECEIVE) {
            @Override
            public void handleMessage(Message message) {
                message.put("HTTP.REQUEST", SERVLET.get());
                // the local transport leaves the query on the URI; a servlet's transport has it beside
                String uri = (String) message.get(Message.REQUEST_URI);
                if (uri != null && uri.indexOf('?') >= 0) {
                    message.put(Message.REQUEST_URI, uri.substring(0, uri.indexOf('?')));
                }
                message.put(Message.QUERY_STRING, QUERY.get());
            }
        });
        server = factory.create();
    }
}
