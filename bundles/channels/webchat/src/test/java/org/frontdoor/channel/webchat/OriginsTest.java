package org.frontdoor.channel.webchat;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class OriginsTest {

    private final Origins origins = Origins.parse(new String[] {"https://www.example.com, http://127.0.0.1:8080",
            "https://Shop.Example.com:443"});

    @Test
    void theConfiguredOriginsAreAllowedAsTheBrowserSendsThem() {
        assertThat(origins.allows("https://www.example.com")).isTrue();
        assertThat(origins.allows("http://127.0.0.1:8080")).isTrue();
        assertThat(origins.allows("https://shop.example.com")).isTrue();
        assertThat(origins.allows("HTTPS://WWW.EXAMPLE.COM:443")).isTrue();
    }

    @Test
    void anythingElseIsRefused() {
        assertThat(origins.allows("http://www.example.com")).as("another scheme").isFalse();
        assertThat(origins.allows("https://www.example.com:8443")).as("another port").isFalse();
        assertThat(origins.allows("https://evil.example")).isFalse();
        assertThat(origins.allows("https://www.example.com.evil.example")).isFalse();
        assertThat(origins.allows("null")).as("a sandboxed frame").isFalse();
        assertThat(origins.allows(null)).as("no Origin header").isFalse();
        assertThat(origins.allows("")).isFalse();
        assertThat(origins.allows("https://www.example.com/path")).isFalse();
    }

    @Test
    void noUsableOriginLeavesItEmpty() {
        assertThat(Origins.parse(new String[0]).isEmpty()).isTrue();
        assertThat(Origins.parse(new String[] {" , "}).isEmpty()).isTrue();
        assertThat(Origins.parse(new String[] {"www.example.com"}).isEmpty()).as("no scheme").isTrue();
        assertThat(Origins.parse(null).isEmpty()).isTrue();
    }
}
