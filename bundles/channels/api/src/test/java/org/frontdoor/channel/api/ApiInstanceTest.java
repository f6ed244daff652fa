package org.frontdoor.channel.api;

import java.util.Map;

import org.frontdoor.api.ChannelHealth;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ApiInstanceTest {

    @Test
    void takesItsNameFromTheFactoryConfigurationOrItsFile() {
        assertThat(ApiInstance.instanceName("", Map.of("service.pid", "org.frontdoor.channel.api~shop"))).isEqualTo("shop");
        assertThat(ApiInstance.instanceName("", Map.of("service.pid", "org.frontdoor.channel.api.8f2c",
                "felix.fileinstall.filename", "file:/opt/frontdoor/etc/org.frontdoor.channel.api-demo.cfg")))
                .isEqualTo("demo");
        assertThat(ApiInstance.instanceName("forms", Map.of("service.pid", "org.frontdoor.channel.api~shop")))
                .isEqualTo("forms");
        assertThatThrownBy(() -> ApiInstance.instanceName("", Map.of("service.pid", "org.frontdoor.channel.api.8f2c")))
                .hasMessageContaining("org.frontdoor.channel.api-<instance>.cfg");
    }

    @Test
    void withoutASecretItIsDownAndSaysWhereToSetIt() {
        ApiInstance shop = new ApiInstance(Instances.registeringOnly(), Instances.config(" ", "http://x/", 10),
                Map.of("service.pid", "org.frontdoor.channel.api~shop",
                        "felix.fileinstall.filename", "file:/etc/org.frontdoor.channel.api-shop.cfg"));

        assertThat(shop.secret()).isNull();
        assertThat(shop.health().status()).isEqualTo(ChannelHealth.Status.DOWN);
        assertThat(shop.health().reason()).contains("no secret").contains("org.frontdoor.channel.api-shop.cfg");
    }

    @Test
    void isDownWithoutAUsableCallbackUrl() {
        assertThat(Instances.instance("a", "s", "").health().status()).isEqualTo(ChannelHealth.Status.DOWN);
        assertThat(Instances.instance("b", "s", "ftp://example.org/").health().reason()).contains("http");
        assertThat(Instances.instance("c", "s", "http://127.0.0.1:9/cb").health().status())
                .isEqualTo(ChannelHealth.Status.UP);
    }

    @Test
    void degradesAfterAFailedCallbackAndRecoversAfterASuccess() {
        ApiInstance instance = Instances.instance("d", "s", "http://127.0.0.1:9/cb");

        instance.callbackOutcome("callback answered 500");
        assertThat(instance.health().status()).isEqualTo(ChannelHealth.Status.DEGRADED);
        assertThat(instance.health().reason()).isEqualTo("callback answered 500");

        instance.callbackOutcome(null);
        assertThat(instance.health().status()).isEqualTo(ChannelHealth.Status.UP);
    }
}
