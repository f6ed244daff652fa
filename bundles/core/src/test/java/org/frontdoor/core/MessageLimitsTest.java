package org.frontdoor.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.SQLException;
import java.util.List;
import java.util.function.UnaryOperator;

import org.frontdoor.api.Identity;
import org.frontdoor.api.Message;
import org.frontdoor.store.Ingested;
import org.frontdoor.store.jpa.StoreTestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** What a message may hold, and that the store holds whatever the limits let in (H2 and PostgreSQL). */
class MessageLimitsTest {

    private static Message message(String channel, String instance, String externalId, String thread, String text,
                                   Identity author, String raw) {
        return Message.inbound(channel, instance).externalId(externalId).threadRef(thread).text(text)
                .author(author).rawPayload(raw).build();
    }

    private static Message message(UnaryOperator<Message.Builder> change) {
        return change.apply(Message.inbound("api", "demo").externalId("m-1")
                .author(new Identity("api", "alice", "Alice", "alice@example.org", "+15550100", 0))
                .text("hello")).build();
    }

    private static Identity author(String handle, String name, String email, String phone) {
        return new Identity("api", handle, name, email, phone, 0);
    }

    @Test
    void refusesEachFieldBeyondItsLimitWithTheReason() {
        String c65 = "c".repeat(65);
        assertThatThrownBy(() -> MessageLimits.check(message(c65, "demo", "1", null, "x",
                new Identity(c65, "alice", null, null, null, 0), null)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("channel is 65 characters long, at most 64 are accepted");
        assertReason(b -> b.instance("i".repeat(65)), "instance is 65 characters long, at most 64 are accepted");
        assertReason(b -> b.externalId("e".repeat(256)), "id is 256 characters long, at most 255 are accepted");
        assertReason(b -> b.threadRef("t".repeat(256)), "thread is 256 characters long, at most 255 are accepted");
        assertReason(b -> b.text("x".repeat(1_000_001)), "text is 1000001 characters long, at most 1000000 are accepted");
        assertReason(b -> b.author(author("h".repeat(256), null, null, null)),
                "from.id is 256 characters long, at most 255 are accepted");
        assertReason(b -> b.author(author("alice", "n".repeat(256), null, null)),
                "from.name is 256 characters long, at most 255 are accepted");
        assertReason(b -> b.author(author("alice", null, "e".repeat(321), null)),
                "from.email is 321 characters long, at most 320 are accepted");
        assertReason(b -> b.author(author("alice", null, null, "1".repeat(33))),
                "from.phone is 33 characters long, at most 32 are accepted");
    }

    @Test
    void refusesTheNulCharacterWhereverItIs() {
        assertReason(b -> b.text("before\u0000after"), "text contains a NUL character, which cannot be stored");
        assertReason(b -> b.threadRef("t\u0000"), "thread contains a NUL character, which cannot be stored");
        assertReason(b -> b.externalId("id\u0000"), "id contains a NUL character, which cannot be stored");
        assertReason(b -> b.author(author("al\u0000ice", null, null, null)),
                "from.id contains a NUL character, which cannot be stored");
        assertReason(b -> b.author(author("alice", "Al\u0000ice", null, null)),
                "from.name contains a NUL character, which cannot be stored");
        assertReason(b -> b.rawPayload("{\"text\":\"\u0000\"}"),
                "raw payload contains a NUL character, which cannot be stored");
    }

    private static void assertReason(UnaryOperator<Message.Builder> change, String reason) {
        Message m = message(change);
        assertThatThrownBy(() -> MessageLimits.check(m)).isInstanceOf(IllegalArgumentException.class).hasMessage(reason);
    }

    @Test
    void acceptsOrdinaryMessagesAndOptionalFieldsLeftOut() {
        assertThatCode(() -> MessageLimits.check(message(b -> b))).doesNotThrowAnyException();
        assertThatCode(() -> MessageLimits.check(message(b -> b.author(Identity.of("api", "bob")).text(null))))
                .doesNotThrowAnyException();
    }

    @ParameterizedTest
    @MethodSource("org.frontdoor.store.jpa.StoreTestDatabase#kinds")
    void theStoreHoldsWhatTheLimitsAccept(String kind) throws SQLException {
        String c64 = "c".repeat(64);
        List<Message> candidates = List.of(
                // every field at its limit, in characters that take two or three bytes in UTF-8
                message(c64, "é".repeat(64), "€".repeat(255), "ß".repeat(255), "ü".repeat(1_000_000),
                        new Identity(c64, "h".repeat(255), "n".repeat(255), "e".repeat(320), "1".repeat(32), 0),
                        "{\"raw\":\"" + "r".repeat(100_000) + "\"}"),
                message(b -> b.externalId("nul-text").text("a\u0000b")),
                message(b -> b.externalId("nul-name").author(author("bob", "B\u0000b", null, null))),
                message(b -> b.externalId("nul-raw").rawPayload("\u0000")),
                message(b -> b.externalId("emoji").text("🚪 ünïcødé <script>").threadRef("🧵".repeat(127))));
        try (StoreTestDatabase db = StoreTestDatabase.create(kind)) {
            int accepted = 0;
            for (Message m : candidates) {
                try {
                    MessageLimits.check(m);
                } catch (IllegalArgumentException refused) {
                    assertThat(refused).hasMessageContaining("NUL");
                    continue;
                }
                accepted++;
                List<Ingested> stored = db.store().ingest(List.of(m), new org.frontdoor.store.IngestLimits(30_000, 2_000));
                assertThat(db.store().conversation(org.frontdoor.api.Scope.ALL, stored.get(0).receipt().conversationId())
                        .orElseThrow().messages())
                        .extracting(v -> v.text()).containsExactly(m.text());
            }
            assertThat(accepted).isEqualTo(2);
            assertThat(db.count("message")).isEqualTo(2);
        }
    }
}
