/**
 * A door's webhook plumbing, shared by Frontdoor's channels and open to third-party ones: the servlet side
 * ({@link org.frontdoor.plugin.http.AsyncWebhookServlet}: the instance from the path, the body read up to a byte
 * limit, the JSON answer written at once or asynchronously once core has stored the message), the answers
 * ({@link org.frontdoor.plugin.http.JsonWebhook}: a status, headers and a JSON body; the usual refusals; an ingest's
 * outcome as 400 or 503) and strict JSON ({@link org.frontdoor.plugin.http.StrictJson}). Embedded, not imported:
 * a plugin has bnd copy this package in ({@code <Conditional-Package>org.frontdoor.plugin.http</Conditional-Package>}),
 * so at runtime it depends on the api alone.
 */
package org.frontdoor.plugin.http;
