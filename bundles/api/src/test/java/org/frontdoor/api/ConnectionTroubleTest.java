package org.frontdoor.api;

import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.security.cert.CertPathBuilderException;

import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;

import org.frontdoor.api.ConnectionTrouble.Kind;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ConnectionTroubleTest {

    private static final ConnectionTrouble.Settings IMAP = new ConnectionTrouble.Settings("the IMAP server",
            "mail.example.com", 993, "imapHost", "imapPort", "imapSecurity", "tls", "starttls (or none)",
            "etc/org.frontdoor.channel.email-support.cfg");

    private static Exception wrapped(Throwable cause) {
        return new IllegalStateException("could not connect", cause);
    }

    @Test
    void pkixPathBuildingFailedIsAnUntrustedCertificate() {
        SSLHandshakeException pkix = new SSLHandshakeException("PKIX path building failed: "
                + "sun.security.provider.certpath.SunCertPathBuilderException: unable to find valid certification path");
        pkix.initCause(new CertPathBuilderException("unable to find valid certification path to requested target"));

        assertThat(ConnectionTrouble.kind(wrapped(pkix), true, false)).isEqualTo(Kind.UNTRUSTED_CERTIFICATE);
        assertThat(ConnectionTrouble.explain(Kind.UNTRUSTED_CERTIFICATE, IMAP)).startsWith("the IMAP server at "
                + "mail.example.com:993 sent a certificate that is not signed by a CA this Java trusts")
                .contains("javax.net.ssl.trustStore").doesNotContain("PKIX");
    }

    @Test
    void implicitTlsToAPlainPortIsNamedWithTheSecuritySetting() {
        SSLException plain = new SSLException("Unsupported or unrecognized SSL message");

        assertThat(ConnectionTrouble.kind(wrapped(plain), true, false)).isEqualTo(Kind.TLS_TO_PLAIN_PORT);
        assertThat(ConnectionTrouble.explain(Kind.TLS_TO_PLAIN_PORT, IMAP)).isEqualTo("the IMAP server at "
                + "mail.example.com:993 does not speak TLS at once on port 993: set 'imapSecurity' to starttls (or "
                + "none) in etc/org.frontdoor.channel.email-support.cfg, or 'imapPort' to the server's TLS port");
    }

    @Test
    void aGreetingThatNeverCameOnAPortThatSpeaksTlsIsPlainTextToATlsPort() {
        SocketTimeoutException timeout = new SocketTimeoutException("Read timed out");

        assertThat(ConnectionTrouble.mayBeTlsPort(wrapped(timeout))).isTrue();
        assertThat(ConnectionTrouble.kind(wrapped(timeout), false, true)).isEqualTo(Kind.PLAIN_TO_TLS_PORT);
        assertThat(ConnectionTrouble.kind(wrapped(timeout), false, false)).isEqualTo(Kind.TIMEOUT);
    }

    @Test
    void aDoorThatSpeaksOnlyStarttlsIsToldToChangeThePort() {
        ConnectionTrouble.Settings xmpp = new ConnectionTrouble.Settings("the XMPP server", "chat.example.com", 5223,
                "host", "port", "securityMode", null, "disabled", "etc/org.frontdoor.channel.xmpp-it.cfg");

        assertThat(ConnectionTrouble.explain(Kind.PLAIN_TO_TLS_PORT, xmpp)).isEqualTo("the XMPP server at "
                + "chat.example.com:5223 expects TLS at once on port 5223, and this door speaks STARTTLS: set 'port' "
                + "in etc/org.frontdoor.channel.xmpp-it.cfg to the server's STARTTLS port");
    }

    @Test
    void nothingListeningIsRefused() {
        assertThat(ConnectionTrouble.kind(wrapped(new ConnectException("Connection refused")), false, false))
                .isEqualTo(Kind.REFUSED);
        assertThat(ConnectionTrouble.explain(Kind.OTHER, IMAP)).isNull();
    }
}
