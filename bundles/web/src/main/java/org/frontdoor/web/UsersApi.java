package org.frontdoor.web;

import javax.ws.rs.GET;
import javax.ws.rs.POST;
import javax.ws.rs.PUT;
import javax.ws.rs.Path;
import javax.ws.rs.core.Response;

import static org.frontdoor.web.RestHandler.Kind.ADMIN;
import static org.frontdoor.web.RestHandler.Kind.SELF;

/** {@code /users}: the login accounts ({@link UsersResource}), for admins; a user changes their own password. */
@Path("/")
public class UsersApi extends Resource {


    UsersApi(Api api) {
        super(api);
    }

    @GET
    @Path("users")
    @Access(value = ADMIN, refusal = "{user} is not an admin; only admins manage accounts")
    public Response list() {
        return users(null);
    }

    @POST
    @Path("users")
    @Access(value = ADMIN, refusal = "{user} is not an admin; only admins manage accounts")
    public Response create(byte[] body) {
        return users(body);
    }

    @GET
    @Path("users/{name}")
    @Access(value = ADMIN, refusal = "{user} is not an admin; only admins manage accounts")
    public Response user() {
        return users(null);
    }

    @PUT
    @Path("users/{name}/roles")
    @Access(value = ADMIN, refusal = "{user} is not an admin; only admins manage accounts")
    public Response roles(byte[] body) {
        return users(body);
    }

    @PUT
    @Path("users/{name}/password")
    @Access(SELF)
    public Response password(byte[] body) {
        return users(body);
    }

    private Response users(byte[] body) {
        return answer(RestHandler.users(call(body), services()));
    }
}
