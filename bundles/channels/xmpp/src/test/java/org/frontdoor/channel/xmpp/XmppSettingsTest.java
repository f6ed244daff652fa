package org.frontdoor.channel.xmpp;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import org.frontdoor.api.ChannelHealth;
import org.frontdoor.api.ChannelHealth.Status;
import org.jivesoftware.smack.ConnectionConfiguration.SecurityMode;
import org.jivesoftware.smack.SmackException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class XmppSettingsTest {

    private static final String CFG = "etc/org.frontdoor.channel.xmpp-support.cfg";
    private static final Instant NOW = Instant.parse("2026-12-02T10:00:00Z");

    @Test
    void theDefaults() {
        XmppSettings s = Configs.settings("support", Map.of("jid", "Support@Chat.Example.com", "password", "pw"));

        assertThat(s.problem()).isNull();
        assertThat(s.jid().toString()).isEqualTo("support@chat.example.com");
        assertThat(s.port()).isEqualTo(5222);
        assertThat(s.securityMode()).isEqualTo(SecurityMode.required);
        assertThat(s.resource().toString()).isEqualTo("frontdoor");
        assertThat(s.reconnectMin()).isEqualTo(Duration.ofSeconds(2));
        assertThat(s.reconnectMax()).isEqualTo(Duration.ofSeconds(60));
        assertThat(s.server()).isEqualTo("chat.example.com:5222");
        assertThat(s.toString()).doesNotContain("pw");
    }

    @Test
    void usernameAndDomainInsteadOfAJid() {
        XmppSettings s = Configs.settings("support", Map.of("username", "help", "domain", "example.org",
                "password", "pw", "host", "10.0.0.5", "port", 5223, "securityMode", "IfPossible"));

        assertThat(s.problem()).isNull();
        assertThat(s.jid().toString()).isEqualTo("help@example.org");
        assertThat(s.server()).isEqualTo("10.0.0.5:5223");
        assertThat(s.securityMode()).isEqualTo(SecurityMode.ifpossible);
    }

    @Test
    void anUnusableConfigurationNamesTheSettingAndTheFile() {
        assertThat(Configs.settings("support", Map.of("password", "pw")).problem())
                .isEqualTo("no account: set 'jid' (such as support@chat.example.com) in " + CFG);
        assertThat(Configs.settings("support", Map.of("jid", "ann smith@example.org", "password", "pw")).problem())
                .contains("'ann smith@example.org' is not an XMPP account").contains("'jid'").contains(CFG);
        assertThat(Configs.settings("support", Map.of("jid", "a@example.org")).problem())
                .isEqualTo("no password: set 'password' in " + CFG);
        assertThat(Configs.settings("support", Map.of("jid", "a@example.org", "password", "secret-pw",
                "securityMode", "sometimes")).problem())
                .contains("securityMode must be required, ifpossible or disabled").contains(CFG)
                .doesNotContain("secret-pw");
    }

    @Test
    void healthReasonsNameTheServerTheSettingAndTheFileButNeverThePassword() {
        XmppSettings s = Configs.settings("support", Map.of("jid", "support@example.org", "password", "hunter2",
                "host", "xmpp.example.org"));

        ChannelHealth refused = DoorHealth.authRefused(s, "not-authorized", NOW);
        ChannelHealth lost = DoorHealth.lost(s, "connection refused", Duration.ofSeconds(2), NOW);
        ChannelHealth cannot = DoorHealth.cannotConnect(s, "unknown host", Duration.ofSeconds(4), NOW);

        assertThat(refused.status()).isEqualTo(Status.AUTH_EXPIRED);
        assertThat(refused.reason()).contains("xmpp.example.org:5222").contains("support@example.org")
                .contains("'password'").contains(CFG).contains("not-authorized").doesNotContain("hunter2");
        assertThat(lost.status()).isEqualTo(Status.DOWN);
        assertThat(lost.reason()).contains("lost the connection").contains("xmpp.example.org:5222")
                .contains("connection refused").contains("2 s");
        assertThat(cannot.status()).isEqualTo(Status.DOWN);
        assertThat(cannot.reason()).contains("cannot connect").contains("unknown host");
        assertThat(DoorHealth.connected(NOW).status()).isEqualTo(Status.UP);
        assertThat(DoorHealth.backlog(3, "ingest is full", NOW).status()).isEqualTo(Status.DEGRADED);
        assertThat(DoorHealth.misconfigured("no password", NOW).status()).isEqualTo(Status.DOWN);
    }

    @Test
    void connectionFailuresAreDescribedInWords() {
        assertThat(DoorHealth.describe(new java.io.IOException("x", new java.net.ConnectException("Connection refused"))))
                .isEqualTo("connection refused");
        assertThat(DoorHealth.describe(new java.net.UnknownHostException("nowhere"))).isEqualTo("unknown host");
        assertThat(DoorHealth.describe(new SmackException.SecurityRequiredByClientException()))
                .contains("securityMode is required");
        assertThat(DoorHealth.describe(new RuntimeException())).isEqualTo("the connection closed");
    }
}
