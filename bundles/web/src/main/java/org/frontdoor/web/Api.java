package org.frontdoor.web;

import org.frontdoor.api.Blobs;
import org.frontdoor.api.Caller;

/**
 * What the JAX-RS application of {@code /api/v1} ({@link ApiApplication}) needs from its component
 * ({@link ApiServlet}): the services bound now, and who asks.
 */
interface Api {

    /** The services as bound now; any may be null while core is not running. */
    RestHandler.Services services();

    /** Who asks, from the request's credentials: a caller, or the answer that refuses them. */
    Admission admit(Ask ask);

    /** {@code /session}: log in (POST), who am I (GET), log out (DELETE). */
    Reply session(Ask ask, byte[] body);

    /** Where attachments' contents are, or null while absent. */
    Blobs blobs();

    /**
     * What a request says about who sends it.
     *
     * @param method        the HTTP method
     * @param authorization the Authorization header, or null
     * @param cookie        the Cookie header, or null
     * @param csrf          the session's CSRF header, or null
     * @param remoteAddr    the client's address
     * @param secure        whether it came over HTTPS
     */
    record Ask(String method, String authorization, String cookie, String csrf, String remoteAddr, boolean secure,
               String origin, String host, String contentType) {
    }

    /** A caller let in, or (caller null) the answer that refuses the request. */
    record Admission(Caller caller, Reply refused) {
    }
}
