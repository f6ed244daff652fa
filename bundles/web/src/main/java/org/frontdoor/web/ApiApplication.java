package org.frontdoor.web;

import java.util.List;
import java.util.Set;

import javax.ws.rs.core.Application;

/**
 * The JAX-RS application of {@code /api/v1}, registered with the OSGi JAX-RS whiteboard by {@link ApiServlet} once it
 * may serve (the realm and the web layer ready): its resources per area, and the one place each for who asks and may
 * ({@link AccessFilter}), what a change must send ({@link BodyFilter}), errors ({@link Errors}) and the headers every
 * answer carries ({@link NoStore}). The tests run this same application in CXF in-process.
 */
public final class ApiApplication extends Application {

    /** The application's name in the whiteboard ({@code osgi.jaxrs.name}). */
    static final String NAME = "frontdoor-api";
    /** Where it is served ({@code osgi.jaxrs.application.base}). */
    static final String BASE = "/api/v1";
    /** The servlet context the whiteboard makes for it ({@code "context.for" + name}, as Aries names it). */
    static final String CONTEXT = "context.for" + NAME;

    /** Every resource class, in the order {@link RestHandler#ROUTES} lists their methods. */
    static final List<Class<?>> RESOURCES = List.of(ConversationsApi.class, CustomersApi.class, EventsApi.class,
            SessionApi.class, CallbacksApi.class, AdminApi.class, DashboardApi.class, AgentsApi.class, UsersApi.class,
            ChannelsApi.class, DepartmentsApi.class, OpenApiDocument.class);

    private final Set<Object> singletons;

    ApiApplication(Api api) {
        Errors errors = new Errors(api);
        this.singletons = Set.of(new ConversationsApi(api), new CustomersApi(api), new EventsApi(api),
                new SessionApi(api), new CallbacksApi(api), new AdminApi(api), new DashboardApi(api),
                new AgentsApi(api), new UsersApi(api), new ChannelsApi(api), new DepartmentsApi(api),
                new OpenApiDocument(api), new AccessFilter(api), new BodyFilter(), errors, new Errors.Unrouted(errors), new NoStore());
    }

    @Override
    public Set<Object> getSingletons() {
        return singletons;
    }
}
