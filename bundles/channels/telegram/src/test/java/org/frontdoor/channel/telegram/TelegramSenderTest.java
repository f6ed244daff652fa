package org.frontdoor.channel.telegram;

import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.frontdoor.api.ChannelHealth;
import org.frontdoor.api.Identity;
import org.frontdoor.api.OutboundReply;
import org.frontdoor.api.RateLimitedException;
import org.frontdoor.api.ReplyRefusedException;
import org.frontdoor.api.Visibility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** Replies against a local Bot API that checks each request and answers as Telegram does. */
class TelegramSenderTest {

    @TempDir
    Path secrets;

    private TelegramPeer peer;
    private final Map<String, TelegramInstance> instances = new HashMap<>();
    private TelegramSender sender;

    @BeforeEach
    void start() throws Exception {
        peer = new TelegramPeer("123456:ABC-token_x");
        instances.put("shop", Instances.instance("shop", peer, secrets, Map.of()));
        sender = new TelegramSender(instances::get);
    }

    @AfterEach
    void stop() {
        instances.values().forEach(TelegramInstance::deactivate);
        peer.close();
        assertThat(peer.problems).isEmpty();
    }

    private static OutboundReply reply(long id, String thread, String inReplyTo, Visibility visibility, String text) {
        return new OutboundReply(id, 9, "telegram", "shop", new Identity("telegram", "1111111", "Jane", null, null, 0),
                thread, inReplyTo, visibility, text, "agent", Instant.now(), 1);
    }

    @Test
    void aPrivateReplyGoesToTheCustomersChatAsPlainText() throws Exception {
        sender.send(reply(1, "1111111", "10000:1111111:1365", Visibility.PRIVATE, "<b>Sorry</b>, on its way"));
        TelegramPeer.Call call = peer.calls("sendMessage").get(0);
        assertThat(call.body().path("chat_id").asText()).isEqualTo("1111111");
        assertThat(call.body().path("text").asText()).isEqualTo("<b>Sorry</b>, on its way");
        assertThat(call.body().has("reply_parameters")).isFalse();
        assertThat(instances.get("shop").health().status()).isEqualTo(ChannelHealth.Status.UP);
    }

    @Test
    void aPublicReplyInAGroupQuotesTheMessageItAnswers() throws Exception {
        sender.send(reply(2, "-1001234567890", "10001:-1001234567890:77", Visibility.PUBLIC, "We are on it"));
        TelegramPeer.Call call = peer.calls("sendMessage").get(0);
        assertThat(call.body().path("chat_id").asText()).isEqualTo("-1001234567890");
        assertThat(call.body().path("reply_parameters").path("message_id").asLong()).isEqualTo(77);
        assertThat(call.body().path("reply_parameters").path("allow_sending_without_reply").asBoolean()).isTrue();
    }

    @Test
    void aPrivateAnswerToAGroupMessageGoesToTheAuthorsOwnChat() throws Exception {
        sender.send(reply(3, "-1001234567890", "10001:-1001234567890:77", Visibility.PRIVATE, "Let us talk here"));
        assertThat(peer.calls("sendMessage").get(0).body().path("chat_id").asText()).isEqualTo("1111111");
    }

    @Test
    void aLongReplyIsCutIntoMessagesOfAtMost4096Utf16UnitsNeverInsideAnEmoji() throws Exception {
        String text = "a".repeat(4095) + "😀" + "b".repeat(10);
        sender.send(reply(4, "1111111", null, Visibility.PRIVATE, text));
        List<String> parts = peer.calls("sendMessage").stream().map(c -> c.body().path("text").asText()).toList();
        assertThat(parts).containsExactly("a".repeat(4095), "😀" + "b".repeat(10));
        assertThat(TelegramSender.split("word ".repeat(1000), 4096)).allSatisfy(p -> assertThat(p.length())
                .isLessThanOrEqualTo(4096)).hasSize(2).first().satisfies(p -> assertThat(p).endsWith(" "));
    }

    @Test
    void a429WithAShortRetryAfterIsWaitedOutAndTheReplySent() throws Exception {
        peer.answerNext("sendMessage", 429, "{\"ok\":false,\"error_code\":429,\"description\":\"Too Many Requests: "
                + "retry after 1\",\"parameters\":{\"retry_after\":1}}");
        long start = System.nanoTime();
        sender.send(reply(5, "1111111", null, Visibility.PRIVATE, "hello"));
        assertThat(peer.calls("sendMessage")).hasSize(2);
        assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(900_000_000L);
    }

    @Test
    void a429WithALongRetryAfterGivesTheReplyBackAndSendsNothingBeforeThen() {
        peer.answerNext("sendMessage", 429, "{\"ok\":false,\"error_code\":429,\"description\":\"Too Many Requests: "
                + "retry after 3\",\"parameters\":{\"retry_after\":3}}");
        instances.put("shop", Instances.instance("shop", peer, secrets, Map.of("rateLimitWaitSeconds", 0)));
        assertThatThrownBy(() -> sender.send(reply(6, "1111111", null, Visibility.PRIVATE, "hello")))
                .isInstanceOf(RateLimitedException.class)
                .hasMessage("Telegram is limiting this bot's messages (sendMessage answered 429: Too Many Requests: "
                        + "retry after 3); the reply goes out after 3 s");
        assertThatThrownBy(() -> sender.send(reply(6, "1111111", null, Visibility.PRIVATE, "hello")))
                .isInstanceOf(RateLimitedException.class).hasMessageContaining("asked this bot to wait");
        assertThat(peer.calls("sendMessage")).hasSize(1);
        assertThat(instances.get("shop").health().status()).isEqualTo(ChannelHealth.Status.DEGRADED);
        await().ignoreException(RateLimitedException.class).untilAsserted(() -> {
            sender.send(reply(6, "1111111", null, Visibility.PRIVATE, "hello"));
            assertThat(peer.calls("sendMessage")).hasSize(2);
        });
        assertThat(instances.get("shop").health().status()).isEqualTo(ChannelHealth.Status.UP);
    }

    @Test
    void aRevokedTokenTurnsTheDoorAuthExpiredAndANewTokenSendsTheReply() throws Exception {
        instances.put("shop", Instances.instance("shop", peer, secrets, Map.of("token", "123456:REVOKED")));
        assertThatThrownBy(() -> sender.send(reply(7, "1111111", null, Visibility.PRIVATE, "hello")))
                .isInstanceOf(TelegramSender.SendFailed.class)
                .hasMessage("Telegram refused the bot token (sendMessage answered 401 Unauthorized): the reply waits "
                        + "until an admin sets a new token for channel instance shop")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("REVOKED"));
        ChannelHealth health = instances.get("shop").health();
        assertThat(health.status()).isEqualTo(ChannelHealth.Status.AUTH_EXPIRED);
        assertThat(health.reason()).isEqualTo("Telegram refused the bot token (sendMessage answered 401 "
                + "Unauthorized): the token was revoked or is wrong; set a new 'token' in "
                + "/opt/frontdoor/etc/org.frontdoor.channel.telegram-shop.cfg (from @BotFather)");
        // a new cfg: a new instance, fresh health, and the held reply goes out
        instances.put("shop", Instances.instance("shop", peer, secrets, Map.of()));
        sender.send(reply(7, "1111111", null, Visibility.PRIVATE, "hello"));
        assertThat(instances.get("shop").health().status()).isEqualTo(ChannelHealth.Status.UP);
    }

    @Test
    void aBlockedBotOrAMissingChatRefusesTheReplyForGood() {
        peer.answerNext("sendMessage", 403, "{\"ok\":false,\"error_code\":403,\"description\":\"Forbidden: bot was "
                + "blocked by the user\"}");
        assertThatThrownBy(() -> sender.send(reply(8, "1111111", null, Visibility.PRIVATE, "hello")))
                .isInstanceOf(ReplyRefusedException.class)
                .hasMessage("Telegram refused sendMessage for good: 403 Forbidden: bot was blocked by the user");
        assertThat(instances.get("shop").health().status()).isEqualTo(ChannelHealth.Status.UP);
    }

    @Test
    void aServerErrorIsPassingAndDegradesTheDoor() {
        peer.answerNext("sendMessage", 502, "{\"ok\":false,\"error_code\":502,\"description\":\"Bad Gateway\"}");
        assertThatThrownBy(() -> sender.send(reply(9, "1111111", null, Visibility.PRIVATE, "hello")))
                .isInstanceOf(TelegramSender.SendFailed.class)
                .hasMessage("Telegram could not take sendMessage now: it answered 502 Bad Gateway");
        assertThat(instances.get("shop").health().status()).isEqualTo(ChannelHealth.Status.DEGRADED);
    }

    @Test
    void aCutReplyTriedAgainGoesOnAfterThePartsTelegramTook() throws Exception {
        String text = "a".repeat(4096) + "b".repeat(4096) + "c";
        peer.answerNext("sendMessage", 200, "{\"ok\":true,\"result\":{\"message_id\":1}}");
        peer.answerNext("sendMessage", 500, "{\"ok\":false,\"error_code\":500,\"description\":\"Internal\"}");
        assertThatThrownBy(() -> sender.send(reply(10, "1111111", null, Visibility.PRIVATE, text)))
                .isInstanceOf(TelegramSender.SendFailed.class);
        sender.send(reply(10, "1111111", null, Visibility.PRIVATE, text));
        List<String> firstLetters = peer.calls("sendMessage").stream()
                .map(c -> c.body().path("text").asText().substring(0, 1)).toList();
        assertThat(firstLetters).containsExactly("a", "b", "b", "c");
    }

    @Test
    void aGroupThatBecameASupergroupIsFollowed() throws Exception {
        peer.answerNext("sendMessage", 400, "{\"ok\":false,\"error_code\":400,\"description\":\"Bad Request: group "
                + "chat was upgraded to a supergroup chat\",\"parameters\":{\"migrate_to_chat_id\":-1009999}}");
        sender.send(reply(11, "-4444", "1:-4444:5", Visibility.PUBLIC, "hi"));
        assertThat(peer.calls("sendMessage")).extracting(c -> c.body().path("chat_id").asText())
                .containsExactly("-4444", "-1009999");
    }
}
