package org.frontdoor.web;

import java.security.Principal;

import javax.ws.rs.core.SecurityContext;

import org.frontdoor.api.Caller;

/** The caller {@link AccessFilter} let in, as the request's SecurityContext tells the resources. */
record CallerPrincipal(Caller caller) implements Principal {

    @Override
    public String getName() {
        return caller.name();
    }

    /** A request's SecurityContext naming this caller. */
    static SecurityContext context(Caller caller, boolean secure) {
        CallerPrincipal principal = new CallerPrincipal(caller);
        return new SecurityContext() {
            @Override
            public Principal getUserPrincipal() {
                return principal;
            }

            @Override
            public boolean isUserInRole(String role) {
                return caller.hasRole(role);
            }

            @Override
            public boolean isSecure() {
                return secure;
            }

            @Override
            public String getAuthenticationScheme() {
                return "frontdoor";
            }
        };
    }
}
