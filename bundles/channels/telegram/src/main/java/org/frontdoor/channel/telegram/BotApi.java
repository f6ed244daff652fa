package org.frontdoor.channel.telegram;

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
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.frontdoor.plugin.media.MediaFetches;

/**
 * The Bot API over HTTP: {@code POST <apiBaseUrl>/bot<token>/<method>} with a JSON body, and the file download
 * {@code GET <apiBaseUrl>/file/bot<token>/<file_path>}. The token is part of each URL, so no URL ever leaves this
 * class: every failure is a {@link Failure} whose message is a sentence naming the method and Telegram's answer.
 */
final class BotApi {

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    private static final java.util.regex.Pattern BOT_TOKEN = java.util.regex.Pattern.compile("[0-9]+:[A-Za-z0-9_-]+");

    /** How a call failed. */
    enum Kind {
        /** Telegram refused the token (401, or 404 for a token it does not know): AUTH_EXPIRED. */
        TOKEN_REFUSED,
        /** 429: wait {@link Failure#retryAfterSeconds()}. */
        RATE_LIMITED,
        /** Telegram answered and refuses this request for good (400, 403, other 4xx). */
        REFUSED,
        /** It may work later: 5xx, no answer, no connection. */
        PASSING
    }

    /** A failed call; the message is a sentence for people, without the token or a URL. */
    static final class Failure extends Exception implements MediaFetches.RetryAfter {
        private static final long serialVersionUID = 1L;
        private final Kind kind;
        private final int errorCode;
        private final long retryAfterSeconds;
        private final transient JsonNode parameters;

        Failure(Kind kind, int errorCode, long retryAfterSeconds, JsonNode parameters, String message) {
            super(message, null, false, false);
            this.kind = kind;
            this.errorCode = errorCode;
            this.retryAfterSeconds = retryAfterSeconds;
            this.parameters = parameters;
        }

        Kind kind() {
            return kind;
        }

        int errorCode() {
            return errorCode;
        }

        long retryAfterSeconds() {
            return retryAfterSeconds;
        }

        @Override
        public Duration retryAfter() {
            return kind == Kind.RATE_LIMITED ? Duration.ofSeconds(retryAfterSeconds) : null;
        }

        /** Telegram's {@code parameters} of the answer (migrate_to_chat_id, retry_after), or null. */
        JsonNode parameters() {
            return parameters;
        }
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT)
            .followRedirects(HttpClient.Redirect.NEVER).build();
    private final String base;
    private final String token;
    private final Duration timeout;

    BotApi(URI base, String token, Duration timeout) {
        String b = base.toString();
        this.base = b.endsWith("/") ? b.substring(0, b.length() - 1) : b;
        this.token = token;
        this.timeout = timeout;
    }

    /** The host and port of the Bot API, for reasons: never its path. */
    String peer() {
        URI u = URI.create(base);
        int port = u.getPort() != -1 ? u.getPort() : "https".equals(u.getScheme()) ? 443 : 80;
        return u.getHost() + ":" + port;
    }

    /** Calls {@code method} with a JSON body and gives its {@code result}. */
    JsonNode call(String method, Map<String, ?> body) throws Failure, InterruptedException {
        byte[] json;
        try {
            json = TelegramUpdates.JSON.writeValueAsBytes(body);
        } catch (IOException e) {
            throw new IllegalStateException("a Bot API request could not be written", e);
        }
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/bot" + token + "/" + method))
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(json))
                .build();
        HttpResponse<byte[]> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new Failure(Kind.PASSING, 0, 0, null, noAnswer(method, e));
        }
        JsonNode answer;
        try {
            answer = TelegramUpdates.JSON.readTree(response.body());
        } catch (IOException e) {
            answer = null;
        }
        if (response.statusCode() == 200 && answer != null && answer.path("ok").asBoolean(false)) {
            return answer.path("result");
        }
        throw failure(method, response.statusCode(), answer);
    }

    /** Opens a file by its {@code file_path} from getFile; the caller closes it. */
    InputStream download(String filePath) throws Failure, InterruptedException {
        if (filePath.contains("..") || filePath.startsWith("/")) {
            throw new Failure(Kind.REFUSED, 0, 0, null, "Telegram gave a file path that is not one: " + filePath);
        }
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/file/bot" + token + "/" + filePath))
                .timeout(timeout).GET().build();
        HttpResponse<InputStream> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw new Failure(Kind.PASSING, 0, 0, null, noAnswer("the file download", e));
        }
        if (response.statusCode() == 200) {
            return response.body();
        }
        JsonNode answer;
        try (InputStream in = response.body()) {
            answer = TelegramUpdates.JSON.readTree(in.readNBytes(64 * 1024));
        } catch (IOException e) {
            answer = null;
        }
        throw failure("the file download", response.statusCode(), answer);
    }

    private static Failure failure(String method, int status, JsonNode answer) {
        int code = answer != null && answer.path("error_code").isInt() ? answer.path("error_code").asInt() : status;
        String description = answer != null && answer.path("description").isTextual()
                ? answer.path("description").asText() : "HTTP " + status;
        JsonNode parameters = answer == null ? null : answer.get("parameters");
        if (code == 429) {
            long retryAfter = parameters != null && parameters.path("retry_after").canConvertToLong()
                    ? Math.max(1, parameters.path("retry_after").asLong()) : 1;
            return new Failure(Kind.RATE_LIMITED, code, retryAfter, parameters, "Telegram is limiting this bot's "
                    + "messages (" + method + " answered 429: " + description + ")");
        }
        if (code == 401 || code == 404) {
            return new Failure(Kind.TOKEN_REFUSED, code, 0, parameters, "Telegram refused the bot token (" + method
                    + " answered " + code + " " + description + ")");
        }
        if (code >= 400 && code < 500 && code != 408 && code != 425) {
            return new Failure(Kind.REFUSED, code, 0, parameters, "Telegram refused " + method + " for good: "
                    + code + " " + description);
        }
        return new Failure(Kind.PASSING, code, 0, parameters, "Telegram could not take " + method + " now: it "
                + "answered " + code + " " + description);
    }

    /** Why no answer came, as a sentence: no exception class, no URL. */
    private String noAnswer(String method, IOException e) {
        if (e instanceof HttpConnectTimeoutException) {
            return "the Bot API at " + peer() + " did not accept a connection within " + CONNECT_TIMEOUT.toSeconds()
                    + " s (" + method + ")";
        }
        if (e instanceof HttpTimeoutException) {
            return "the Bot API did not answer " + method + " within " + timeout.toSeconds() + " s";
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConnectException) {
                return "could not connect to the Bot API at " + peer() + " (" + method + ")";
            }
        }
        return "the connection to the Bot API at " + peer() + " failed before it answered " + method;
    }

    /** A text with anything shaped like a bot token masked, for a log line that does not know the instance. */
    static String maskTokens(String text) {
        return text == null ? null : BOT_TOKEN.matcher(text).replaceAll("<token>");
    }

    /** A text with the token masked, for whatever might still carry it. */
    String mask(String text) {
        return text == null || token == null || token.isEmpty() ? text : text.replace(token, "<token>");
    }

    @Override
    public String toString() {
        return "Bot API at " + peer();
    }
}
