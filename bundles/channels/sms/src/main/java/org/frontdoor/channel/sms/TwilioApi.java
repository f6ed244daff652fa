package org.frontdoor.channel.sms;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.frontdoor.plugin.media.MediaFetches;

/**
 * Twilio's REST API as the door calls it: {@code POST {base}/2010-04-01/Accounts/{AccountSid}/{resource}.json},
 * form-encoded, with HTTP Basic {@code AccountSid:AuthToken}. The token travels only in that header: never in a URL,
 * never in a message of this class.
 */
final class TwilioApi {

    /** What a failed call means. */
    enum Kind {
        /** 401 (Twilio's 20003): the credentials are wrong or were rotated. */
        AUTH_REFUSED,
        /** 429: too many requests; {@link Failure#retryAfterSeconds()} says how long to wait. */
        RATE_LIMITED,
        /** Another 4xx: the API refused this request and will refuse it again (an opted-out number, a bad To). */
        REFUSED,
        /** 5xx or no answer: try again later. */
        PASSING
    }

    /** A failed call; its message names the code and Twilio's message, never the token. */
    static final class Failure extends Exception implements MediaFetches.RetryAfter {
        private static final long serialVersionUID = 1L;
        private final Kind kind;
        private final int code;
        private final long retryAfterSeconds;

        Failure(Kind kind, int code, long retryAfterSeconds, String message) {
            super(message, null, false, false);
            this.kind = kind;
            this.code = code;
            this.retryAfterSeconds = retryAfterSeconds;
        }

        Kind kind() {
            return kind;
        }

        /** Twilio's error code (20003, 21610...), or 0. */
        int code() {
            return code;
        }

        long retryAfterSeconds() {
            return retryAfterSeconds;
        }

        /** When a media fetch tries again: the provider's Retry-After after a 429, else the fetcher's backoff. */
        @Override
        public Duration retryAfter() {
            return kind == Kind.RATE_LIMITED ? Duration.ofSeconds(Math.max(1, retryAfterSeconds)) : null;
        }
    }

    private static final int MAX_REDIRECTS = 3;

    static final ObjectMapper JSON = new ObjectMapper();

    private final URI base;
    private final String accountSid;
    private final String authorization;
    private final Duration timeout;
    private final HttpClient http;

    TwilioApi(URI base, String accountSid, String authToken, Duration timeout) {
        String b = base.toString();
        this.base = URI.create(b.endsWith("/") ? b.substring(0, b.length() - 1) : b);
        this.accountSid = accountSid;
        this.authorization = "Basic " + Base64.getEncoder().encodeToString(
                (accountSid + ":" + authToken).getBytes(StandardCharsets.UTF_8));
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /** Creates a resource ({@code Messages}, {@code Calls}) and gives Twilio's JSON answer (201). */
    JsonNode create(String resource, Map<String, String> form) throws Failure, InterruptedException {
        String body = form.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/2010-04-01/Accounts/" + accountSid + "/"
                        + resource + ".json"))
                .timeout(timeout)
                .header("Authorization", authorization)
                .header("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
                .build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new Failure(Kind.PASSING, 0, 0, "the SMS provider at " + base + " could not be reached ("
                    + e.getClass().getSimpleName() + ")");
        }
        int status = response.statusCode();
        JsonNode answer = parse(response.body());
        if (status / 100 == 2) {
            return answer;
        }
        int code = answer.path("code").asInt(0);
        String message = answer.path("message").asText("");
        String said = "the SMS provider answered " + status + (code != 0 ? " (error " + code + ")" : "")
                + (message.isBlank() ? "" : ": " + shorten(message));
        if (status == 401 || code == 20003) {
            throw new Failure(Kind.AUTH_REFUSED, code, 0, said);
        }
        if (status == 429) {
            long wait = response.headers().firstValue("Retry-After").map(TwilioApi::seconds).orElse(1L);
            throw new Failure(Kind.RATE_LIMITED, code, wait, said);
        }
        if (status / 100 == 4) {
            throw new Failure(Kind.REFUSED, code, 0, said);
        }
        throw new Failure(Kind.PASSING, code, 0, said);
    }

    /**
     * Opens a media file of the account (an MMS's {@code MediaUrlN}, a voicemail's {@code RecordingUrl}): HTTP Basic
     * only to the API's own scheme, host and port, and redirects (Twilio sends media on to its CDN) followed without
     * it, so the credentials never leave for another host. The caller closes the stream. Messages name the host, never
     * the URL's path or query.
     */
    InputStream open(URI url) throws Failure, InterruptedException {
        URI at = url;
        for (int hops = 0; hops <= MAX_REDIRECTS; hops++) {
            HttpRequest.Builder request = HttpRequest.newBuilder(at).timeout(timeout.multipliedBy(6)).GET();
            if (sameOrigin(at, base)) {
                request.header("Authorization", authorization);
            }
            HttpResponse<InputStream> response;
            try {
                response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
            } catch (IOException | IllegalArgumentException e) {
                throw new Failure(Kind.PASSING, 0, 0, "the media host " + host(at) + " could not be reached ("
                        + e.getClass().getSimpleName() + ")");
            }
            int status = response.statusCode();
            if (status == 200) {
                return response.body();
            }
            try (InputStream ignored = response.body()) {
                // only the status and headers matter
            } catch (IOException e) {
                // nothing to read back
            }
            String location = response.headers().firstValue("Location").orElse(null);
            if (status / 100 == 3 && location != null) {
                try {
                    at = at.resolve(location);
                } catch (IllegalArgumentException e) {
                    throw new Failure(Kind.REFUSED, 0, 0, "the media host " + host(at) + " redirected to an address "
                            + "that is not a URL");
                }
                if (!"https".equals(at.getScheme()) && !"http".equals(at.getScheme())) {
                    throw new Failure(Kind.REFUSED, 0, 0, "the media host redirected to a non-HTTP address");
                }
                continue;
            }
            String said = "the media host " + host(at) + " answered " + status;
            if (status == 401 || status == 403) {
                throw new Failure(sameOrigin(at, base) ? Kind.AUTH_REFUSED : Kind.REFUSED, 0, 0, said);
            }
            if (status == 429) {
                throw new Failure(Kind.RATE_LIMITED, 0,
                        response.headers().firstValue("Retry-After").map(TwilioApi::seconds).orElse(1L), said);
            }
            throw new Failure(status / 100 == 4 ? Kind.REFUSED : Kind.PASSING, 0, 0, said);
        }
        throw new Failure(Kind.PASSING, 0, 0, "the media host " + host(url) + " redirected more than "
                + MAX_REDIRECTS + " times");
    }

    private static boolean sameOrigin(URI a, URI b) {
        return a.getScheme() != null && a.getScheme().equalsIgnoreCase(b.getScheme()) && a.getHost() != null
                && a.getHost().equalsIgnoreCase(b.getHost()) && port(a) == port(b);
    }

    private static int port(URI u) {
        return u.getPort() != -1 ? u.getPort() : "https".equalsIgnoreCase(u.getScheme()) ? 443 : 80;
    }

    private static String host(URI u) {
        return u.getHost() == null ? "(no host)" : u.getHost() + (u.getPort() == -1 ? "" : ":" + u.getPort());
    }

    private static long seconds(String header) {
        try {
            return Math.max(0, Long.parseLong(header.trim()));
        } catch (NumberFormatException notSeconds) {
            return 1;
        }
    }

    private static JsonNode parse(String body) {
        try {
            return body == null || body.isBlank() ? JSON.createObjectNode() : JSON.readTree(body);
        } catch (IOException notJson) {
            return JSON.createObjectNode();
        }
    }

    private static String shorten(String s) {
        return s.length() > 300 ? s.substring(0, 300) + "…" : s;
    }
}
