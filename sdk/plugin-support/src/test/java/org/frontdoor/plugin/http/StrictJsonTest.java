package org.frontdoor.plugin.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

class StrictJsonTest {

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void readsAnObjectAndTakesWhiteSpaceAfterIt() {
        assertThat(StrictJson.readObject(bytes("{\"a\":1}")).path("a").asInt()).isEqualTo(1);
        assertThat(StrictJson.readObject(bytes("{\"a\":2} \n\t")).path("a").asInt()).isEqualTo(2);
    }

    @Test
    void bytesAfterTheJsonMakeItMalformed() {
        for (String trailing : new String[]{"{\"a\":2}", "x", "]", "1"}) {
            assertThatThrownBy(() -> StrictJson.readObject(bytes("{\"a\":1}" + trailing)))
                    .as(trailing).isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("malformed JSON");
        }
        assertThatThrownBy(() -> StrictJson.readObject(bytes("{\"a\": ")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("malformed JSON: ");
    }

    @Test
    void anythingButAnObjectIsRefusedWithWhatItMustBe() {
        assertThatThrownBy(() -> StrictJson.readObject(bytes("[1,2]")))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("the body must be a JSON object");
        assertThatThrownBy(() -> StrictJson.readObject(bytes("")))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("the body must be a JSON object");
        assertThatThrownBy(() -> StrictJson.readObject(bytes("\"text\""), "a JSON object (an update)"))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("the body must be a JSON object (an update)");
    }

    @Test
    void textIsAStringOrNothing() {
        JsonNode node = StrictJson.readObject(bytes("{\"s\":\" \",\"n\":null,\"i\":3,\"o\":{}}"));
        assertThat(StrictJson.text(node, "s", "p.s")).isEqualTo(" ");
        assertThat(StrictJson.text(node, "n", "p.n")).isNull();
        assertThat(StrictJson.text(node, "absent", "p.absent")).isNull();
        assertThatThrownBy(() -> StrictJson.text(node, "i", "p.i")).hasMessage("field p.i must be a string");
        assertThatThrownBy(() -> StrictJson.text(node, "o", "p.o")).hasMessage("field p.o must be a string");
    }

    @Test
    void requiredTextTakesStringsAndNumbersNotBlanks() {
        JsonNode node = StrictJson.readObject(bytes("{\"s\":\"abc\",\"i\":42,\"b\":\"  \",\"t\":true,\"n\":null}"));
        assertThat(StrictJson.requiredText(node, "s", "s")).isEqualTo("abc");
        assertThat(StrictJson.requiredText(node, "i", "i")).isEqualTo("42");
        assertThatThrownBy(() -> StrictJson.requiredText(node, "b", "x.b")).hasMessage("field x.b must not be blank");
        assertThatThrownBy(() -> StrictJson.requiredText(node, "t", "x.t")).hasMessage("field x.t must be a string");
        assertThatThrownBy(() -> StrictJson.requiredText(node, "n", "x.n")).hasMessage("missing field: x.n");
        assertThatThrownBy(() -> StrictJson.requiredText(node, "z", "x.z")).hasMessage("missing field: x.z");
        assertThatThrownBy(() -> StrictJson.requiredText(null, "id", "user.id")).hasMessage("missing field: user.id");
    }
}
