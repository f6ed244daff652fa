package org.frontdoor.channel.telegram;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

import org.frontdoor.api.ChannelCapabilities;
import org.frontdoor.api.ChannelHealth;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Activation: the checks of the cfg, the generated secret token, getMe and setWebhook. */
class TelegramInstanceTest {

    @TempDir
    Path secrets;

    private TelegramPeer peer;
    private TelegramInstance instance;

    @BeforeEach
    void start() throws Exception {
        peer = new TelegramPeer("123456:ABC-token_x");
    }

    @AfterEach
    void stop() {
        if (instance != null) {
            instance.deactivate();
        }
        peer.close();
        assertThat(peer.problems).isEmpty();
    }

    private TelegramInstance activate(Map<String, Object> values) {
        Map<String, Object> all = new HashMap<>(Map.of("token", peer.token, "apiBaseUrl", peer.baseUrl()));
        all.putAll(values);
        instance = Instances.instance("shop", all, secrets, Clock.systemUTC());
        return instance;
    }

    @Test
    void setWebhookAtStartWithTheGeneratedSecretTokenAndAllowedUpdates() throws Exception {
        activate(Map.of("webhookUrl", "https://crm.example.com/webhooks/telegram/shop"));
        await().until(() -> peer.calls("setWebhook").size() == 1);
        Path file = secrets.resolve("channel-telegram-shop.secret");
        String secret = Files.readString(file).trim();
        assertThat(secret).matches("[A-Za-z0-9_-]{1,256}");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        var body = peer.calls("setWebhook").get(0).body();
        assertThat(body.path("url").asText()).isEqualTo("https://crm.example.com/webhooks/telegram/shop");
        assertThat(body.path("secret_token").asText()).isEqualTo(secret);
        assertThat(body.path("allowed_updates")).hasSize(4);
        assertThat(body.path("allowed_updates").get(0).asText()).isEqualTo("message");
        // getMe gave the username, for mentions in groups
        await().until(() -> "shop_bot".equals(instance.botUsername()));
        assertThat(instance.secretMatches(secret)).isTrue();
        assertThat(instance.health().status()).isEqualTo(ChannelHealth.Status.UP);
        assertThat(instance.capabilities()).isEqualTo(new ChannelCapabilities(4096,
                ChannelCapabilities.LengthCounting.UTF16_UNITS, true, true, true, true,
                ChannelCapabilities.Markup.NONE, false));
    }

    @Test
    void aRevokedTokenAtStartIsAuthExpiredWithTheReason() {
        activate(Map.of("token", "123456:OLD", "webhookUrl", "https://crm.example.com/webhooks/telegram/shop"));
        await().until(() -> instance.health().status() == ChannelHealth.Status.AUTH_EXPIRED);
        assertThat(instance.health().reason()).startsWith("Telegram refused the bot token (getMe answered 401 "
                + "Unauthorized)").doesNotContain("OLD");
    }

    @Test
    void setWebhookIsTriedAgainWhileTelegramCannotTakeIt() {
        peer.answerNext("setWebhook", 502, "{\"ok\":false,\"error_code\":502,\"description\":\"Bad Gateway\"}");
        activate(Map.of("botUsername", "shop_bot", "webhookUrl", "https://crm.example.com/webhooks/telegram/shop"));
        await().until(() -> peer.calls("setWebhook").size() == 2);
        await().until(() -> instance.health().status() == ChannelHealth.Status.UP);
    }

    @Test
    void deleteWebhookOnStopWhenAsked() {
        activate(Map.of("botUsername", "shop_bot", "deleteWebhookOnStop", true));
        instance.deactivate();
        instance = null;
        assertThat(peer.calls("deleteWebhook")).hasSize(1);
    }

    @Test
    void anUnusableCfgIsDownWithWhatToFix() {
        activate(Map.of("token", ""));
        assertThat(instance.health().status()).isEqualTo(ChannelHealth.Status.DOWN);
        assertThat(instance.health().reason()).isEqualTo("no bot token: set 'token' in "
                + "/opt/frontdoor/etc/org.frontdoor.channel.telegram-shop.cfg to the token @BotFather gave");
        instance.deactivate();
        activate(Map.of("secretToken", "has spaces"));
        assertThat(instance.health().reason()).contains("'secretToken'").contains("1 to 256");
        instance.deactivate();
        activate(Map.of("secretToken", "", "generateSecret", false));
        assertThat(instance.health().reason()).startsWith("no secret token");
        assertThat(instance.usable()).isFalse();
    }
}
