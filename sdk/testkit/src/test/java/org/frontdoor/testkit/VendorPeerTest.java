package org.frontdoor.testkit;

import java.net.ConnectException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class VendorPeerTest {

    private final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<String> post(java.net.URI url, String body, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(url).POST(HttpRequest.BodyPublishers.ofString(body));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void answersAsScriptedInOrderThenWithTheStatusFromNowAndRecordsEveryRequest() throws Exception {
        try (VendorPeer crm = new VendorPeer()) {
            crm.tooManyRequests(Duration.ofSeconds(2));
            crm.unauthorized();
            crm.answer(503);

            HttpResponse<String> throttled = post(crm.url("/leads"), "{\"a\":1}");
            assertThat(throttled.statusCode()).isEqualTo(429);
            assertThat(throttled.headers().firstValue("Retry-After")).contains("2");
            assertThat(post(crm.url("/leads"), "{\"a\":2}").statusCode()).isEqualTo(401);
            assertThat(post(crm.url("/leads"), "{\"a\":3}").statusCode()).isEqualTo(503);
            assertThat(post(crm.url("/leads?x=1"), "{\"a\":4}").statusCode()).isEqualTo(200);
            crm.answerFromNow(500);
            assertThat(post(crm.url("/leads"), "{\"a\":5}").statusCode()).isEqualTo(500);

            assertThat(crm.received()).extracting(r -> r.json().path("a").asInt()).containsExactly(1, 2, 3, 4, 5);
            assertThat(crm.received().get(3).query()).isEqualTo("x=1");
            assertThat(crm.received().get(3).method()).isEqualTo("POST");
            assertThat(crm.accepted()).extracting(VendorPeer.Received::text).containsExactly("{\"a\":4}");
            assertThat(crm.rejections()).isEmpty();
        }
    }

    @Test
    void aRequestFailingTheVendorsChecksGets400WithItsReasonAndIsKeptAsARejection() throws Exception {
        try (VendorPeer slack = new VendorPeer() {
            @Override
            protected String check(Received request) {
                return "Bearer t".equals(request.header("Authorization")) ? null : "no token";
            }

            @Override
            protected String body(Received request) {
                return "{\"ok\":true}";
            }
        }) {
            HttpResponse<String> refused = post(slack.url("/api/chat.postMessage"), "{}");
            HttpResponse<String> taken = post(slack.url("/api/chat.postMessage"), "{}", "Authorization", "Bearer t");

            assertThat(refused.statusCode()).isEqualTo(400);
            assertThat(refused.body()).isEqualTo("no token");
            assertThat(taken.statusCode()).isEqualTo(200);
            assertThat(taken.body()).isEqualTo("{\"ok\":true}");
            assertThat(slack.rejections()).containsExactly("no token");
            assertThat(slack.accepted()).hasSize(1);
            assertThat(slack.received()).hasSize(2);
        }
    }

    @Test
    void goesDownAndComesBackOnTheSamePort() throws Exception {
        try (VendorPeer peer = new VendorPeer()) {
            int port = peer.port();
            peer.down();
            assertThatThrownBy(() -> post(peer.url("/x"), "{}")).isInstanceOf(ConnectException.class);
            peer.up();
            assertThat(post(peer.url("/x"), "{}").statusCode()).isEqualTo(200);
            assertThat(peer.port()).isEqualTo(port);
            assertThat(peer.received()).hasSize(1);
        }
    }

    @Test
    void theCallbackPeerTakesSignedCallbacksAndRejectsForgedAndStaleOnes() throws Exception {
        try (CallbackPeer peer = new CallbackPeer("s3cret")) {
            String body = "{\"replyId\":\"r-1\",\"to\":\"ada\",\"text\":\"Hello\"}";
            long now = Instant.now().getEpochSecond();
            String[] good = {"Content-Type", "application/json", "X-Frontdoor-Reply-Id", "r-1",
                    Signatures.TIMESTAMP_HEADER, Long.toString(now),
                    Signatures.SIGNATURE_HEADER, Signatures.sign("s3cret", now, body)};
            assertThat(post(peer.url(), body, good).statusCode()).isEqualTo(200);
            assertThat(post(peer.url(), body, "Content-Type", "application/json", "X-Frontdoor-Reply-Id", "r-1",
                    Signatures.TIMESTAMP_HEADER, Long.toString(now),
                    Signatures.SIGNATURE_HEADER, Signatures.sign("other", now, body)).statusCode()).isEqualTo(400);
            assertThat(post(peer.url(), body, "Content-Type", "application/json", "X-Frontdoor-Reply-Id", "r-1",
                    Signatures.TIMESTAMP_HEADER, Long.toString(now - 301),
                    Signatures.SIGNATURE_HEADER, Signatures.sign("s3cret", now - 301, body)).statusCode()).isEqualTo(400);
            peer.answerFromNow(503);
            assertThat(post(peer.url(), body, good).statusCode()).isEqualTo(503);

            assertThat(peer.callbacks()).containsExactly(new CallbackPeer.Callback("r-1",
                    Distribution.JSON.readTree(body)));
            assertThat(peer.rejections()).containsExactly("bad signature", "stale timestamp " + (now - 301));
            assertThat(peer.url().toString()).endsWith("/frontdoor/callback");
        }
    }

    @Test
    void signaturesAreTheDocumentedHmac() {
        // HMAC-SHA256("key", "1.body") in hex
        assertThat(Signatures.sign("key", 1, "body")).startsWith("v1=").hasSize(3 + 64);
        assertThat(Signatures.verify("key", 1, "body".getBytes(), Signatures.sign("key", 1, "body"))).isTrue();
        assertThat(Signatures.verify("key", 2, "body".getBytes(), Signatures.sign("key", 1, "body"))).isFalse();
        assertThat(Signatures.verify("key", 1, "body".getBytes(), null)).isFalse();
        assertThat(Map.of()).isEmpty();
    }
}
