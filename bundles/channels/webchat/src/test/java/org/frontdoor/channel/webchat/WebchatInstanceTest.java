package org.frontdoor.channel.webchat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.Map;

import org.frontdoor.api.ChannelCapabilities;
import org.frontdoor.api.ChannelHealth.Status;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WebchatInstanceTest {

    @TempDir
    Path secrets;

    private WebchatInstance instance(Map<String, Object> config) {
        return new WebchatInstance(null, Configs.config(config), Configs.pid("shop"), secrets, Clock.systemUTC());
    }

    @Test
    void aConfiguredInstanceIsUpWithAGeneratedKeyReadableByItsOwnerOnly() throws Exception {
        WebchatInstance shop = instance(Map.of("allowedOrigins", new String[] {"https://www.example.com"}));

        assertThat(shop.health().status()).isEqualTo(Status.UP);
        assertThat(shop.instance()).isEqualTo("shop");
        assertThat(shop.id()).isEqualTo("webchat");
        Path file = secrets.resolve("channel-webchat-shop.secret");
        assertThat(file).exists();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        String token = shop.tokens().visitorToken("visitorA");

        WebchatInstance again = instance(Map.of("allowedOrigins", new String[] {"https://www.example.com"}));
        assertThat(again.tokens().visitor(token)).as("the same key after a restart").contains("visitorA");
    }

    @Test
    void withoutAllowedOriginsItIsDownNamingTheSettingAndTheFile() {
        WebchatInstance shop = instance(Map.of());

        assertThat(shop.health().status()).isEqualTo(Status.DOWN);
        assertThat(shop.health().reason()).contains("allowedOrigins").contains("org.frontdoor.channel.webchat~shop");
        assertThat(shop.usable()).isFalse();
    }

    @Test
    void aMalformedOriginLeavesItDownNamingTheEntryTheSettingAndTheFile() {
        WebchatInstance shop = instance(Map.of("allowedOrigins",
                new String[] {"https://www.example.com", "shop.example.com/chat"}));

        assertThat(shop.health().status()).isEqualTo(Status.DOWN);
        assertThat(shop.health().reason()).startsWith("malformed allowedOrigins 'shop.example.com/chat' in ")
                .contains("org.frontdoor.channel.webchat~shop").contains("https://www.example.com")
                .doesNotContain("no allowed origins");
        assertThat(shop.usable()).isFalse();
    }

    @Test
    void anUnreadableKeyFileLeavesItDownWithTheReason() throws Exception {
        Path file = secrets.resolve("channel-webchat-shop.secret");
        Files.createDirectory(file); // a directory where the key should be: it cannot be read

        WebchatInstance shop = instance(Map.of("allowedOrigins", new String[] {"https://www.example.com"}));

        assertThat(shop.health().status()).isEqualTo(Status.DOWN);
        assertThat(shop.health().reason()).contains("token key").contains("tokenSecret");
    }

    @Test
    void aConfiguredKeyIsUsedAndNeverShown() {
        WebchatInstance shop = instance(Map.of("allowedOrigins", new String[] {"https://www.example.com"},
                "tokenSecret", "configured-key-123"));

        assertThat(secrets.resolve("channel-webchat-shop.secret")).doesNotExist();
        VisitorTokens same = new VisitorTokens("shop", "configured-key-123", java.time.Duration.ofDays(1),
                Clock.systemUTC());
        assertThat(shop.tokens().visitor(same.visitorToken("v1"))).contains("v1");
        assertThat(shop.toString() + shop.health()).doesNotContain("configured-key-123");
    }

    @Test
    void itAnswersPrivatelyInPlainTextInTheVisitorsThread() {
        ChannelCapabilities capabilities = instance(Map.of()).capabilities();
        assertThat(capabilities.privateReplies()).isTrue();
        assertThat(capabilities.publicReplies()).isFalse();
        assertThat(capabilities.threading()).isTrue();
        assertThat(capabilities.markup()).isEqualTo(ChannelCapabilities.Markup.NONE);
    }

    @Test
    void aBadInstanceNameIsRefusedWithItsFile() {
        assertThatThrownBy(() -> new WebchatInstance(null, Configs.config(Map.of("instance", "a b")),
                Configs.pid("x"), secrets, Clock.systemUTC()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("a b");
    }
}
