package org.frontdoor.web;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import javax.ws.rs.GET;
import javax.ws.rs.Path;
import javax.ws.rs.core.Response;

import org.apache.cxf.endpoint.Server;
import org.apache.cxf.jaxrs.JAXRSServerFactoryBean;
import org.apache.cxf.jaxrs.client.WebClient;
import org.apache.cxf.transport.local.LocalConduit;
import org.apache.cxf.transport.local.LocalTransportFactory;
import org.frontdoor.api.Blobs;
import org.frontdoor.api.Caller;
import org.frontdoor.api.Scope;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Every resource method says who may call it ({@link Access}); one that does not is refused, never served. */
class AccessTest {

    @Test
    void everyResourceMethodOfTheApplicationSaysWhoMayCallIt() {
        List<String> unmarked = new ArrayList<>();
        int methods = 0;
        for (Class<?> type : ApiApplication.RESOURCES) {
            for (Method m : type.getMethods()) {
                if (RestHandler.httpMethod(m) == null) {
                    continue;
                }
                methods++;
                if (m.getAnnotation(Access.class) == null) {
                    unmarked.add(type.getSimpleName() + "." + m.getName());
                }
            }
        }
        assertThat(unmarked).as("resource methods without @Access").isEmpty();
        assertThat(RestHandler.ROUTES).hasSize(methods);
        assertThat(RestHandler.ROUTES).allSatisfy(route -> assertThat(route.kind()).as(route.toString()).isNotNull());
    }

    /** A resource with a method that forgot its {@link Access}. */
    @Path("/")
    public static class Forgetful {

        volatile boolean served;

        @GET
        @Path("forgotten")
        public Response forgotten() {
            served = true;
            return Response.ok("served").build();
        }
    }

    @Test
    void aMethodWithoutAccessIsRefusedAtRuntime() {
        Caller jane = new Caller("jane", Set.of("agent"), Scope.ALL);
        Api api = new Api() {
            @Override
            public RestHandler.Services services() {
                return RestHandler.Services.of(null);
            }

            @Override
            public Admission admit(Ask ask) {
                return new Admission(jane, null);
            }

            @Override
            public Reply session(Ask ask, byte[] body) {
                throw new UnsupportedOperationException();
            }

            @Override
            public Blobs blobs() {
                return null;
            }
        };
        JAXRSServerFactoryBean factory = new JAXRSServerFactoryBean();
        factory.setAddress("local://forgetful");
        factory.setTransportId(LocalTransportFactory.TRANSPORT_ID);
        Forgetful forgetful = new Forgetful();
        factory.setServiceBeans(List.of(forgetful));
        Errors errors = new Errors(api);
        factory.setProviders(List.of(new AccessFilter(api), errors, new Errors.Unrouted(errors)));
        Server server = factory.create();
        try {
            Response forgotten = get("/forgotten");

            assertThat(forgotten.getStatus()).isEqualTo(500);
            assertThat(forgotten.readEntity(String.class)).contains("internal error; see the server log");
            assertThat(forgetful.served).as("the method never runs").isFalse();
        } finally {
            server.destroy();
        }
    }

    private static Response get(String path) {
        WebClient client = WebClient.create("local://forgetful");
        WebClient.getConfig(client).getRequestContext().put(LocalConduit.DIRECT_DISPATCH, Boolean.TRUE);
        return client.path(path).accept("*/*").get();
    }
}
