package org.frontdoor.web;

import javax.ws.rs.GET;
import javax.ws.rs.Path;
import javax.ws.rs.core.Response;

import static org.frontdoor.web.RestHandler.Kind.OPEN;

/** {@code /openapi.json}: the OpenAPI 3 document of every route ({@link OpenApi}), which Swagger UI shows. */
@Path("/")
public class OpenApiDocument extends Resource {

    OpenApiDocument(Api api) {
        super(api);
    }

    @GET
    @Path("openapi.json")
    @Access(OPEN)
    public Response document() {
        return answer(Reply.ok(OpenApi.document()));
    }
}
