package org.frontdoor.channel.sms;

import java.io.IOException;
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
    static final class Failure extends Exception {
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
    }

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
