package org.frontdoor.web;

import javax.ws.rs.container.ContainerRequestContext;
import javax.ws.rs.container.ContainerResponseContext;
import javax.ws.rs.container.ContainerResponseFilter;

/** Every answer of {@code /api/v1} is kept by no cache and never sniffed for another type than it says. */
public final class NoStore implements ContainerResponseFilter {

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        if (!response.getHeaders().containsKey("Cache-Control")) {
            response.getHeaders().putSingle("Cache-Control", "no-store");
        }
        response.getHeaders().putSingle("X-Content-Type-Options", "nosniff");
    }
}
