package ${package};

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import org.frontdoor.testkit.Database;
import org.frontdoor.testkit.Distribution;
import org.frontdoor.testkit.Signatures;
import org.junit.jupiter.api.Test;

/**
 * The channel as it ships, in a running Frontdoor: the test kit boots a copy of the distribution, adds this
 * project's feature repository and installs its feature (from target/, before install: see
 * {@code Distribution.withPluginUnderTest()}), with one instance {@code it} whose secret comes from the environment.
 * A signed message arrives as a conversation; a forged one is refused and stores nothing.
 */
class DoorIT {

    @Test
    void aSignedMessageArrivesAsAConversation() throws Exception {
        String secret = "it-" + UUID.randomUUID();
        try (Distribution frontdoor = new Distribution("DoorIT", Database.h2())
                .withEnvironment("DOOR_IT_SECRET", secret)
                .withConfig(Door.FACTORY_PID + "-it.cfg", "secretEnv = DOOR_IT_SECRET\n")
                .withPluginUnderTest()
                .start()) {
            String body = "{\"id\":\"it-1\",\"from\":\"customer-1\",\"text\":\"Hello from the ${channelName} door\"}";

            Distribution.Response forged = post(frontdoor, body, "not-the-secret");
            Distribution.Response stored = post(frontdoor, body, secret);

            assertThat(forged.status()).isEqualTo(401);
            assertThat(forged.body()).contains("signature does not match").doesNotContain(secret);
            assertThat(stored.status()).as(stored.body()).isEqualTo(200);
            long conversation = stored.json().path("conversationId").asLong();
            JsonNode detail = frontdoor.awaitConversation(conversation, c -> c.path("messages").size() == 1);
            assertThat(detail.path("messages").get(0).path("text").asText())
                    .isEqualTo("Hello from the ${channelName} door");
            assertThat(frontdoor.logProblems()).isEmpty();
        }
    }

    private static Distribution.Response post(Distribution frontdoor, String body, String secret) throws Exception {
        long now = Instant.now().getEpochSecond();
        return frontdoor.request("POST", "/webhooks/${channelName}/it", body, Map.of("Content-Type", "application/json",
                Signatures.TIMESTAMP_HEADER, Long.toString(now),
                Signatures.SIGNATURE_HEADER, Signatures.sign(secret, now, body.getBytes(StandardCharsets.UTF_8))));
    }
}
