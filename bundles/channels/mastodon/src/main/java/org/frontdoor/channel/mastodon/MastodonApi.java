package org.frontdoor.channel.mastodon;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Mastodon's REST and streaming API for one account: every request carries {@code Authorization: Bearer <token>},
 * never the token in a URL, and goes only to the configured server (a {@code Link} to another host is not followed).
 * Every failure is a {@link Failure} whose message is a sentence naming the call and Mastodon's answer, without the
 * token.
 */
final class MastodonApi {

    static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    private static final Pattern NEXT = Pattern.compile("<([^>]+)>\\s*;\\s*rel=\"?next\"?");

    /** How a call failed. */
    enum Kind {
        /** 401: the token is revoked or wrong: AUTH_EXPIRED. */
        TOKEN_REFUSED,
        /** 429: wait until {@link Failure#retryAt()}. */
        RATE_LIMITED,
        /** Mastodon answered and refuses this request for good (403, 404, 422, other 4xx). */
        REFUSED,
        /** It may work later: 5xx, no answer, no connection. */
        PASSING
    }

    /** A failed call; the message is a sentence for people, without the token. */
    static final class Failure extends Exception {
        private static final long serialVersionUID = 1L;
        private final Kind kind;
        private final int status;
        private final Instant retryAt;

        Failure(Kind kind, int status, Instant retryAt, String message) {
            super(message, null, false, false);
            this.kind = kind;
            this.status = status;
            this.retryAt = retryAt;
        }

        Kind kind() {
            return kind;
        }

        int status() {
            return status;
        }

        /** For a 429: when Mastodon takes requests again (X-RateLimit-Reset). */
        Instant retryAt() {
            return retryAt;
        }
    }

    /** One page of a list, and the URL of the next (older) page when Mastodon gave one. */
    record Page(JsonNode items, URI next) {
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT)
            .followRedirects(HttpClient.Redirect.NEVER).build();
    private final URI base;
    private final String token;
    private final Duration timeout;

    MastodonApi(URI base, String token, Duration timeout) {
        String b = base.toString();
        this.base = URI.create(b.endsWith("/") ? b.substring(0, b.length() - 1) : b);
        this.token = Objects.requireNonNull(token, "token");
        this.timeout = timeout;
    }

    URI base() {
        return base;
    }

    /** The host and port of the server, for reasons. */
    static String peer(URI uri) {
        int port = uri.getPort() != -1 ? uri.getPort() : "https".equals(uri.getScheme()) ? 443 : 80;
        return uri.getHost() + ":" + port;
    }

    /** {@code GET /api/v2/instance}: the server's configuration, without authentication as Mastodon allows. */
    JsonNode instance() throws Failure, InterruptedException {
        return get(URI.create(base + "/api/v2/instance"), "GET /api/v2/instance").items();
    }

    /** The first page of the account's mentions newer than {@code sinceId} (all when null), newest first. */
    Page mentions(String sinceId, int limit) throws Failure, InterruptedException {
        String query = "types%5B%5D=mention&limit=" + limit + (sinceId == null ? "" : "&since_id=" + sinceId);
        return get(URI.create(base + "/api/v1/notifications?" + query), "GET /api/v1/notifications");
    }

    /** A page a {@code Link: <...>; rel="next"} named; only on the account's own server. */
    Page page(URI next) throws Failure, InterruptedException {
        return get(next, "GET /api/v1/notifications (next page)");
    }

    private Page get(URI uri, String call) throws Failure, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout)
                .header("Authorization", "Bearer " + token)
                .header("Accept", "application/json").GET().build();
        HttpResponse<byte[]> response = send(request, call);
        if (response.statusCode() != 200) {
            throw failure(call, response);
        }
        JsonNode body;
        try {
            body = JSON.readTree(response.body());
        } catch (IOException e) {
            throw new Failure(Kind.PASSING, 200, null, call + " answered 200 with a body that is not JSON");
        }
        return new Page(body, next(response.headers().firstValue("Link").orElse(null)));
    }

    /** The rel="next" URL of a Link header, when it is on the account's server. */
    URI next(String link) {
        if (link == null) {
            return null;
        }
        Matcher m = NEXT.matcher(link);
        if (!m.find()) {
            return null;
        }
        try {
            URI next = URI.create(m.group(1).trim());
            return base.getScheme().equals(next.getScheme()) && peer(base).equals(peer(next)) ? next : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** {@code POST /api/v1/statuses}: the new status, with the idempotency key Mastodon keeps for an hour. */
    JsonNode postStatus(Map<String, Object> status, String idempotencyKey) throws Failure, InterruptedException {
        byte[] json;
        try {
            json = JSON.writeValueAsBytes(status);
        } catch (IOException e) {
            throw new IllegalStateException("a status could not be written", e);
        }
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/api/v1/statuses")).timeout(timeout)
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .header("Idempotency-Key", idempotencyKey)
                .POST(HttpRequest.BodyPublishers.ofByteArray(json)).build();
        HttpResponse<byte[]> response = send(request, "POST /api/v1/statuses");
        if (response.statusCode() / 100 == 2) {
            try {
                return JSON.readTree(response.body());
            } catch (IOException e) {
                return JSON.createObjectNode();
            }
        }
        throw failure("POST /api/v1/statuses", response);
    }

    /**
     * Opens the account's notification stream ({@code GET /api/v1/streaming/user/notification} on
     * {@code streaming}): the body once Mastodon answered 200; the caller reads and closes it.
     */
    InputStream stream(URI streaming) throws Failure, InterruptedException {
        String s = streaming.toString();
        URI uri = URI.create((s.endsWith("/") ? s.substring(0, s.length() - 1) : s)
                + "/api/v1/streaming/user/notification");
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout)
                .header("Authorization", "Bearer " + token)
                .header("Accept", "text/event-stream").GET().build();
        HttpResponse<InputStream> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw new Failure(Kind.PASSING, 0, null, noAnswer("the streaming API", streaming, e));
        }
        if (response.statusCode() == 200) {
            return response.body();
        }
        byte[] body;
        try (InputStream in = response.body()) {
            body = in.readNBytes(16 * 1024);
        } catch (IOException e) {
            body = new byte[0];
        }
        throw failure("the streaming API", response.statusCode(), response.headers().firstValue("X-RateLimit-Reset")
                .orElse(null), body);
    }

    private HttpResponse<byte[]> send(HttpRequest request, String call) throws Failure, InterruptedException {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new Failure(Kind.PASSING, 0, null, noAnswer(call, base, e));
        }
    }

    private static Failure failure(String call, HttpResponse<byte[]> response) {
        return failure(call, response.statusCode(), response.headers().firstValue("X-RateLimit-Reset").orElse(null),
                response.body());
    }

    static Failure failure(String call, int status, String reset, byte[] body) {
        String said = error(body);
        String answer = status + (said.isEmpty() ? "" : " \"" + said + "\"");
        if (status == 429) {
            Instant at = reset(reset);
            return new Failure(Kind.RATE_LIMITED, status, at, "Mastodon's rate limit for this account is reached ("
                    + call + " answered 429)");
        }
        if (status == 401) {
            return new Failure(Kind.TOKEN_REFUSED, status, null, "Mastodon refused the access token (" + call
                    + " answered " + answer + ")");
        }
        if (status >= 400 && status < 500 && status != 408) {
            return new Failure(Kind.REFUSED, status, null, "Mastodon refused " + call + ": it answered " + answer);
        }
        return new Failure(Kind.PASSING, status, null, "Mastodon could not take " + call + " now: it answered "
                + answer);
    }

    /** X-RateLimit-Reset: an ISO 8601 time (Mastodon's), or null when absent or not one. */
    static Instant reset(String header) {
        if (header == null || header.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(header.trim());
        } catch (DateTimeParseException e) {
            try {
                return java.time.OffsetDateTime.parse(header.trim()).toInstant();
            } catch (DateTimeParseException e2) {
                return null;
            }
        }
    }

    /** Mastodon's {@code error} field, on one line and at most 200 characters; empty when it said nothing. */
    static String error(byte[] body) {
        if (body == null || body.length == 0) {
            return "";
        }
        String said;
        try {
            said = JSON.readTree(body).path("error").asText("");
        } catch (IOException e) {
            said = "";
        }
        said = said.replaceAll("\\p{Cntrl}", " ").strip();
        return said.length() > 200 ? said.substring(0, 200) + "…" : said;
    }

    /** Why no answer came, as a sentence: host and port at most. */
    private String noAnswer(String call, URI to, IOException e) {
        if (e instanceof HttpConnectTimeoutException) {
            return "Mastodon at " + peer(to) + " did not accept a connection within " + CONNECT_TIMEOUT.toSeconds()
                    + " s (" + call + ")";
        }
        if (e instanceof HttpTimeoutException) {
            return "Mastodon at " + peer(to) + " did not answer " + call + " within " + timeout.toSeconds() + " s";
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConnectException) {
                return "could not connect to Mastodon at " + peer(to) + " (" + call + ")";
            }
            if (t instanceof javax.net.ssl.SSLException) {
                return "the TLS connection with Mastodon at " + peer(to) + " failed: check its certificate";
            }
        }
        return "the connection to Mastodon at " + peer(to) + " closed before it answered " + call;
    }

    @Override
    public String toString() {
        return "Mastodon at " + peer(base);
    }
}
