// Swagger UI over /api/v1/openapi.json. "Try it out" runs as the page's user: with a browser session, every change
// carries the session's CSRF token (GET /api/v1/session tells it); with HTTP Basic the browser adds the login.
let csrfToken = null;

fetch("/api/v1/session", {credentials: "same-origin"})
  .then(answer => answer.ok ? answer.json() : null)
  .then(session => { csrfToken = session ? session.csrfToken : null; })
  .catch(() => { csrfToken = null; });

window.ui = SwaggerUIBundle({
  url: "/api/v1/openapi.json",
  dom_id: "#swagger-ui",
  deepLinking: true,
  validatorUrl: null,
  layout: "BaseLayout",
  requestInterceptor: request => {
    if (csrfToken && request.method && request.method.toUpperCase() !== "GET") {
      request.headers["X-CSRF-Token"] = csrfToken;
    }
    return request;
  }
});
