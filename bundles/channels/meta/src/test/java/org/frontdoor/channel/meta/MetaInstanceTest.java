package org.frontdoor.channel.meta;

import java.util.Map;

import org.frontdoor.api.ChannelCapabilities;
import org.frontdoor.api.ChannelHealth.Status;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class MetaInstanceTest {

    @Test
    void aCompleteCfgIsUpAndAnswersBothSidesWithinItsLength() {
        MetaInstance instance = Instances.instance("shop", Map.of());

        assertThat(instance.health().status()).isEqualTo(Status.UP);
        ChannelCapabilities caps = instance.capabilities();
        assertThat(caps.publicReplies()).isTrue();
        assertThat(caps.privateReplies()).isTrue();
        assertThat(caps.maxLength()).isEqualTo(1000);
        assertThat(caps.segmentation()).isFalse();
        assertThat(instance.templates().keySet()).containsExactly("order_update", "hello_world");
    }

    @Test
    void eachMissingOrWrongKeyIsNamedWithTheFileAndTheSecretNever() {
        assertThat(Instances.instance("a", Map.of("appSecret", "")).health().reason())
                .startsWith("no appSecret").contains("org.frontdoor.channel.meta");
        assertThat(Instances.instance("b", Map.of("verifyToken", " ")).health().reason()).startsWith("no verifyToken");
        assertThat(Instances.instance("c", Map.of("accessToken", "")).health().reason()).startsWith("no accessToken");
        assertThat(Instances.instance("d", Map.of("pageId", "my-page")).health().reason()).contains("pageId");
        assertThat(Instances.instance("e", Map.of("graphVersion", "latest")).health().reason())
                .contains("graphVersion");
        assertThat(Instances.instance("f", Map.of("whatsappTemplates", new String[] {"order update"})).health()
                .reason()).contains("whatsappTemplates must list name:language");
        MetaInstance down = Instances.instance("g", Map.of("baseUrl", "ftp://graph"));
        assertThat(down.health().status()).isEqualTo(Status.DOWN);
        assertThat(down.health().reason()).contains("baseUrl").doesNotContain(Instances.APP_SECRET)
                .doesNotContain(Instances.TOKEN);
    }
}
