package org.frontdoor.web;

import javax.ws.rs.GET;
import javax.ws.rs.POST;
import javax.ws.rs.PUT;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
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
        return answer(UsersResource.list(services().accounts()));
    }

    @POST
    @Path("users")
    @Access(value = ADMIN, refusal = "{user} is not an admin; only admins manage accounts")
    public Response create(byte[] body) {
        return answer(UsersResource.add(body, services().accounts()));
    }

    @GET
    @Path("users/{name}")
    @Access(value = ADMIN, refusal = "{user} is not an admin; only admins manage accounts")
    public Response user(@PathParam("name") String name) {
        return answer(UsersResource.get(name, services().accounts()));
    }

    @PUT
    @Path("users/{name}/roles")
    @Access(value = ADMIN, refusal = "{user} is not an admin; only admins manage accounts")
    public Response roles(@PathParam("name") String name, byte[] body) {
        return answer(UsersResource.setRoles(name, body, services().accounts(), loginChanged()));
    }

    @PUT
    @Path("users/{name}/password")
    @Access(SELF)
    public Response password(@PathParam("name") String name, byte[] body) {
        return answer(UsersResource.setPassword(name, body, new Authenticator.User(caller().name(), caller().roles()),
                services().accounts(), loginChanged()));
    }

    /** Told the name of an account whose login changed (its cached logins and sessions end). */
    private java.util.function.Consumer<String> loginChanged() {
        return services().loginChanged() == null ? name -> { } : services().loginChanged();
    }
}
