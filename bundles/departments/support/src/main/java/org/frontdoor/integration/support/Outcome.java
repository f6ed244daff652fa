package org.frontdoor.integration.support;

/**
 * How a peer answered one delivery.
 *
 * @param status  the HTTP status, 0 when none came
 * @param kind    what it means for the event
 * @param reason  a sentence for the console, null when accepted; never a secret, a URL path or customer text
 * @param retryAfterSeconds the peer's {@code Retry-After} in seconds, 0 when it gave none
 */
public record Outcome(int status, Kind kind, String reason, long retryAfterSeconds) {

    /** What an answer means. */
    public enum Kind {
        /** 2xx: delivered; the event's position may move on. */
        ACCEPTED,
        /** No answer, 408, 429, 5xx, a redirect, 401/403 (our key or the peer's setup): try the same event again. */
        RETRY,
        /** Any other 4xx: the peer will never take this one; it is parked (counted, logged) and the next goes. */
        REFUSED
    }

    /** Classifies a status the peer answered. */
    public static Outcome of(int status, long retryAfterSeconds) {
        return of(status, retryAfterSeconds, java.util.Set.of());
    }

    /**
     * Classifies a status the peer answered; {@code hold} are 4xx statuses that mean "the peer's setup is wrong"
     * rather than "this delivery is wrong" for this peer (Slack's 404 and 410 for a removed webhook): retried like 401.
     */
    public static Outcome of(int status, long retryAfterSeconds, java.util.Set<Integer> hold) {
        if (hold.contains(status)) {
            return new Outcome(status, Kind.RETRY, "the peer refused us (" + status + "): check its URL or channel "
                    + "in the cfg; events wait meanwhile", retryAfterSeconds);
        }
        if (status >= 200 && status < 300) {
            return new Outcome(status, Kind.ACCEPTED, null, 0);
        }
        if (status == 401 || status == 403) {
            return new Outcome(status, Kind.RETRY, "the peer refused our credentials (" + status + "): check the "
                    + "secret or URL in the cfg; events wait meanwhile", retryAfterSeconds);
        }
        if (status == 408 || status == 429 || status >= 500 || status < 400) {
            String why = status == 429 ? "the peer is taking too much at once: it answered 429"
                    : status == 408 ? "the peer gave up waiting: it answered 408"
                    : status < 400 ? "the peer answered " + status + ", and deliveries follow no redirect: set "
                            + "the final address in the cfg"
                    : "the peer could not take it now: it answered " + status;
            if (retryAfterSeconds > 0) {
                why += ", asking to wait " + retryAfterSeconds + " s";
            }
            return new Outcome(status, Kind.RETRY, why, retryAfterSeconds);
        }
        return new Outcome(status, Kind.REFUSED, "the peer refused a delivery for good: it answered " + status,
                0);
    }

    /** No answer came; the reason says why in words. */
    public static Outcome noAnswer(String reason) {
        return new Outcome(0, Kind.RETRY, reason, 0);
    }
}
