package org.frontdoor.integration.support;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.function.LongFunction;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Posts one delivery to a peer and tells the route what the answer means: accepted (return), try again
 * ({@link DeliveryFailed}: core delivers the event again with a growing wait), or refused for good (parked: counted,
 * logged with its delivery id, and passed over). A {@code Retry-After} (seconds or an HTTP date, capped by
 * {@code maxRetryAfter}) is honoured: until then no request leaves, each redelivery fails at once with the time to
 * wait. Not thread-safe beyond what one events consumer needs: one delivery at a time.
 */
public final class HttpDelivery {

    private static final Logger LOG = LoggerFactory.getLogger(HttpDelivery.class);
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT)
            .followRedirects(HttpClient.Redirect.NEVER).build();
    private final URI url;
    private final Duration timeout;
    private final Duration maxRetryAfter;
    private final Tracker tracker;
    private final Clock clock;
    private final java.util.Set<Integer> hold;
    private final String source;
    private volatile Instant notBefore = Instant.MIN;
    private String attemptsOf;
    private int attempts;

    public HttpDelivery(URI url, Duration timeout, Duration maxRetryAfter, Tracker tracker, Clock clock) {
        this(url, timeout, maxRetryAfter, tracker, clock, java.util.Set.of());
    }

    /** @param hold 4xx statuses retried rather than parked, for this peer (see {@link Outcome#of(int, long, java.util.Set)}) */
    public HttpDelivery(URI url, Duration timeout, Duration maxRetryAfter, Tracker tracker, Clock clock,
                        java.util.Set<Integer> hold) {
        this(url, timeout, maxRetryAfter, tracker, clock, hold, null);
    }

    /**
     * @param hold   4xx statuses retried rather than parked, for this peer
     * @param source where the url is configured (a cfg file, else a PID: {@code FactoryConfigurations.source}), named
     *               when the peer refuses the connection; null when unknown
     */
    public HttpDelivery(URI url, Duration timeout, Duration maxRetryAfter, Tracker tracker, Clock clock,
                        java.util.Set<Integer> hold, String source) {
        this.source = source;
        this.hold = hold;
        this.url = url;
        this.timeout = timeout;
        this.maxRetryAfter = maxRetryAfter;
        this.tracker = tracker;
        this.clock = clock;
    }

    /**
     * Posts {@code body} as JSON.
     *
     * @param deliveryId the delivery's id, the same on every attempt (the peer dedupes on it)
     * @param headers    the headers of an attempt, given its unix time in seconds and its attempt number (1 for the
     *                   first)
     * @return true when the peer accepted it, false when it refused it for good (parked)
     * @throws DeliveryFailed when it should be tried again
     */
    public boolean post(String deliveryId, byte[] body, HeadersForAttempt headers)
            throws DeliveryFailed, InterruptedException {
        Instant now = clock.instant();
        if (now.isBefore(notBefore)) {
            throw new DeliveryFailed("waiting until " + notBefore + " as the peer asked (Retry-After) before "
                    + "delivering " + deliveryId);
        }
        if (!deliveryId.equals(attemptsOf)) {
            attemptsOf = deliveryId;
            attempts = 0;
        }
        attempts++;
        HttpRequest.Builder request = HttpRequest.newBuilder(url).timeout(timeout)
                .header("Content-Type", "application/json; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        headers.headers(now.getEpochSecond(), attempts).forEach(request::header);
        Outcome outcome;
        try {
            HttpResponse<Void> response = http.send(request.build(), HttpResponse.BodyHandlers.discarding());
            outcome = Outcome.of(response.statusCode(),
                    retryAfter(response.headers().firstValue("Retry-After").orElse(null), now), hold);
        } catch (IOException e) {
            outcome = Outcome.noAnswer(reason(e));
        }
        switch (outcome.kind()) {
            case ACCEPTED -> {
                tracker.delivered();
                attemptsOf = null;
                return true;
            }
            case REFUSED -> {
                LOG.warn("Integration {} parked delivery {}: {}", tracker.consumer(), deliveryId, outcome.reason());
                tracker.parked(outcome.reason() + " (delivery " + deliveryId + ")");
                attemptsOf = null;
                return false;
            }
            default -> {
                long wait = Math.min(outcome.retryAfterSeconds(), maxRetryAfter.toSeconds());
                if (wait > 0) {
                    notBefore = now.plusSeconds(wait);
                }
                String reason = outcome.reason() + " (delivery " + deliveryId + ", attempt " + attempts + ")";
                tracker.failed(reason);
                throw new DeliveryFailed(reason);
            }
        }
    }

    /** The headers of one attempt. */
    @FunctionalInterface
    public interface HeadersForAttempt {
        Map<String, String> headers(long unixSeconds, int attempt);
    }

    /** Seconds a {@code Retry-After} value asks for, 0 for none or nonsense. */
    static long retryAfter(String value, Instant now) {
        if (value == null || value.isBlank()) {
            return 0;
        }
        String v = value.trim();
        try {
            return Math.max(0, Long.parseLong(v));
        } catch (NumberFormatException notSeconds) {
            try {
                Instant at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                return Math.max(0, Duration.between(now, at).toSeconds());
            } catch (DateTimeParseException notDate) {
                return 0;
            }
        }
    }

    private static int port(URI url) {
        return url.getPort() != -1 ? url.getPort() : "https".equals(url.getScheme()) ? 443 : 80;
    }

    /** Why no answer came, in words, naming the host and port only. */
    private String reason(IOException e) {
        String peer = Urls.forPeople(url);
        if (e instanceof HttpConnectTimeoutException) {
            return "the peer at " + peer + " did not accept a connection within " + CONNECT_TIMEOUT.toSeconds() + " s";
        }
        if (e instanceof HttpTimeoutException) {
            return "the peer at " + peer + " did not answer within " + timeout.toSeconds() + " s";
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConnectException) {
                // the JDK's client throws a ConnectException with no message caused by a ClosedChannelException:
                // looked for first, so a refusal is never told as a connection that closed
                return "connection refused by " + url.getHost() + ":" + port(url) + ": is the peer running? check url in "
                        + (source == null ? "the integration's configuration" : source);
            }
        }
        return "the connection to the peer at " + peer + " failed before it answered";
    }
}
