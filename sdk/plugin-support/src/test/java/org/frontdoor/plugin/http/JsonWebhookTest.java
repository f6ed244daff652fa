package org.frontdoor.plugin.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.concurrent.CompletionException;

import com.fasterxml.jackson.databind.JsonNode;
import org.frontdoor.plugin.http.JsonWebhook.Result;
import org.junit.jupiter.api.Test;

class JsonWebhookTest {

    private static JsonNode json(Result result) throws Exception {
        return JsonWebhook.JSON.readTree(result.body());
    }

    @Test
    void anAnswerIsAStatusHeadersAndJson() throws Exception {
        Result result = Result.json(202, Map.of("messageId", 7, "duplicate", false));
        assertThat(result.status()).isEqualTo(202);
        assertThat(result.headers()).isEmpty();
        assertThat(json(result).path("messageId").asLong()).isEqualTo(7);
        assertThat(json(result).path("duplicate").asBoolean(true)).isFalse();
    }

    @Test
    void anErrorCarriesItsReasonAsDataNotMarkup() throws Exception {
        Result result = Result.error(400, "field <b>\"x\"</b> must be a string");
        assertThat(result.status()).isEqualTo(400);
        assertThat(json(result).path("error").asText()).isEqualTo("field <b>\"x\"</b> must be a string");
    }

    @Test
    void withAddsOrReplacesAHeaderAndLeavesTheOriginalAlone() {
        Result plain = Result.error(503, "later");
        Result once = plain.with("Retry-After", "5");
        Result twice = once.with("Retry-After", "10").with("WWW-Authenticate", "Sig");
        assertThat(plain.headers()).isEmpty();
        assertThat(once.headers()).containsExactly(Map.entry("Retry-After", "5"));
        assertThat(twice.headers()).containsOnly(Map.entry("Retry-After", "10"), Map.entry("WWW-Authenticate", "Sig"));
        assertThat(twice.body()).isEqualTo(plain.body());
    }

    @Test
    void theRefusalsEveryDoorAnswersAlike() throws Exception {
        Result unknown = JsonWebhook.unknownInstance("HTTP", "shop");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(json(unknown).path("error").asText()).isEqualTo("no HTTP channel instance 'shop'");
        assertThat(unknown.headers()).isEmpty();

        Result notRunning = JsonWebhook.notRunning("shop");
        assertThat(notRunning.status()).isEqualTo(503);
        assertThat(json(notRunning).path("error").asText())
                .isEqualTo("channel instance 'shop' is not running; send it again later");
        assertThat(notRunning.headers()).containsExactly(Map.entry("Retry-After", "10"));

        Result notUsable = JsonWebhook.notUsable("shop", "no secret");
        assertThat(notUsable.status()).isEqualTo(503);
        assertThat(json(notUsable).path("error").asText())
                .isEqualTo("channel instance 'shop' is not usable: no secret");
        assertThat(notUsable.headers()).containsExactly(Map.entry("Retry-After", "30"));

        Result tooLarge = JsonWebhook.tooLarge("update", 1024);
        assertThat(tooLarge.status()).isEqualTo(413);
        assertThat(json(tooLarge).path("error").asText()).isEqualTo("the update is larger than 1024 bytes");
    }

    @Test
    void aFailedIngestIs400ForABadMessageAnd503Otherwise() throws Exception {
        Result bad = JsonWebhook.failed(new CompletionException(new IllegalArgumentException("text too long")),
                "message");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(json(bad).path("error").asText()).isEqualTo("text too long");
        assertThat(bad.headers()).isEmpty();

        Result thrown = JsonWebhook.failed(new IllegalArgumentException("no author"), "message");
        assertThat(thrown.status()).isEqualTo(400);
        assertThat(json(thrown).path("error").asText()).isEqualTo("no author");

        Result down = JsonWebhook.failed(new CompletionException(new IllegalStateException("database down")), "update");
        assertThat(down.status()).isEqualTo(503);
        assertThat(json(down).path("error").asText())
                .isEqualTo("the update could not be stored now; send it again later");
        assertThat(down.headers()).containsExactly(Map.entry("Retry-After", "5"));
        assertThat(json(down).toString()).doesNotContain("database down");
    }

    @Test
    void aRefusalCarriesItsAnswer() {
        Result answer = JsonWebhook.unknownInstance("X", "a");
        assertThat(new JsonWebhook.Refused(answer).result).isSameAs(answer);
        assertThat(new JsonWebhook.Refused(answer).getStackTrace()).isEmpty();
    }
}
