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

    @Test
    void entriesThatAreNoOriginAreKeptAsMalformedByName() {
        Origins parsed = Origins.parse(new String[] {"www.example.com, https://shop.example/checkout",
                "https://ok.example", "https://ok.example/", "ftp://files.example", "https://a.example?x=1"});

        assertThat(parsed.all()).containsExactly("https://ok.example");
        assertThat(parsed.malformed()).containsExactly("www.example.com", "https://shop.example/checkout",
                "ftp://files.example", "https://a.example?x=1");
        assertThat(origins.malformed()).isEmpty();
    }

    @Test
    void anOriginIsLoggedWithoutControlCharactersAndCut() {
        assertThat(Origins.forLog("https://evil.example")).isEqualTo("'https://evil.example'");
        assertThat(Origins.forLog("https://x\r\n2026-01-01 | ERROR | forged")).isEqualTo("'https://x??2026-01-01 | ERROR | forged'");
        assertThat(Origins.forLog("https://a\u2028b\u202Ec\u0000")).isEqualTo("'https://a?b?c?'");
        assertThat(Origins.forLog("https://ünïcødé.example")).isEqualTo("'https://ünïcødé.example'");
        assertThat(Origins.forLog(null)).isEqualTo("none");
        String longOne = "https://" + "a".repeat(400);
        assertThat(Origins.forLog(longOne)).hasSize(200 + 2 + 3).endsWith("...'");
    }
}
