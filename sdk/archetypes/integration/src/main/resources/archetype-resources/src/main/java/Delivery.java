package ${package};

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.frontdoor.api.ConversationEvent;

/**
 * Posts one event to the peer: JSON, with an {@code Idempotency-Key} of {@code <consumer>:<position>}, the same on
 * every attempt and after a reinstall, so a peer that keeps the keys it has taken gets every event once. A refused
 * connection, a timeout, a 5xx, 408 or 429 throws: the route fails, and Frontdoor delivers the same event again after a
 * growing delay. Any other 4xx will never pass (the peer refuses this event for good): {@link #post} returns false and
 * the event is passed over, or the consumer would be stuck on it.
 */
final class Delivery {

    static final String IDEMPOTENCY_KEY = "Idempotency-Key";

    private final HttpClient http;
    private final URI url;
    private final Duration timeout;

    Delivery(URI url, Duration timeout) {
        this.url = url;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    /** True when the peer took the event, false when it refused it for good (a 4xx other than 408 and 429). */
    boolean post(String consumer, ConversationEvent event) throws IOException, InterruptedException {
        String key = consumer + ":" + event.position();
        HttpRequest request = HttpRequest.newBuilder(url).timeout(timeout)
                .header("Content-Type", "application/json")
                .header(IDEMPOTENCY_KEY, key)
                .POST(HttpRequest.BodyPublishers.ofString(json(key, event), StandardCharsets.UTF_8))
                .build();
        HttpResponse<Void> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.discarding());
        } catch (java.net.ConnectException refused) {
            throw new IOException("the peer at " + url.getHost() + ":" + url.getPort() + " refused the connection",
                    refused);
        }
        int status = response.statusCode();
        if (status / 100 == 2) {
            return true;
        }
        if (status / 100 == 4 && status != 408 && status != 429) {
            return false;
        }
        throw new IOException("the peer answered " + status + " to " + key);
    }

    /** The body: the event's identifying fields (customer text is left out: add what your peer needs). */
    static String json(String key, ConversationEvent event) {
        return "{\"key\":" + quote(key)
                + ",\"event\":" + quote(event.type().id())
                + ",\"position\":" + event.position()
                + ",\"conversationId\":" + event.conversationId()
                + ",\"department\":" + quote(event.department())
                + ",\"channel\":" + quote(event.channel())
                + ",\"at\":" + quote(event.at() == null ? null : event.at().toString()) + "}";
    }

    static String quote(String value) {
        if (value == null) {
            return "null";
        }
        StringBuilder out = new StringBuilder("\"");
        for (char c : value.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
