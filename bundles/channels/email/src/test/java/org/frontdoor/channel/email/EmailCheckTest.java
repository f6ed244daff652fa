package org.frontdoor.channel.email;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import org.frontdoor.api.ChannelHealth.Status;
import org.frontdoor.api.CheckReport;
import org.frontdoor.api.IngestReceipt;
import org.frontdoor.testkit.MemoryBlobs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code frontdoor:channel-check} of a mailbox against GreenMail: its plain IMAP and SMTP servers, and its IMAPS and
 * SMTPS servers, which answer with GreenMail's own self-signed certificate that no trust store holds.
 */
class EmailCheckTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String CFG = "etc/org.frontdoor.channel.email-support.cfg";

    private GreenMail greenMail;
    private final List<EmailInstance> instances = new CopyOnWriteArrayList<>();
    private final List<org.frontdoor.api.Message> ingested = new CopyOnWriteArrayList<>();
    @TempDir
    Path secrets;

    @BeforeEach
    void start() {
        greenMail = new GreenMail(new ServerSetup[] {EmailInstanceTest.setup(ServerSetup.PROTOCOL_SMTP),
                EmailInstanceTest.setup(ServerSetup.PROTOCOL_IMAP), EmailInstanceTest.setup(ServerSetup.PROTOCOL_IMAPS),
                EmailInstanceTest.setup(ServerSetup.PROTOCOL_SMTPS)});
        greenMail.start();
        greenMail.setUser("support@example.com", "support", "secret");
    }

    @AfterEach
    void stop() {
        instances.forEach(EmailInstance::deactivate);
        greenMail.stop();
    }

    private EmailInstance instance(Map<String, Object> overrides) {
        Map<String, Object> values = new HashMap<>(Map.of(
                "imapHost", "127.0.0.1", "imapPort", greenMail.getImap().getPort(), "imapSecurity", "none",
                "username", "support", "password", "secret",
                "smtpPort", greenMail.getSmtp().getPort(), "smtpSecurity", "none",
                "smtpUsername", "support", "fromAddress", "support@example.com"));
        values.put("reconnectMaxSeconds", 1);
        values.put("timeoutSeconds", 3);
        values.putAll(overrides);
        EmailInstance instance = new EmailInstance(null, Fixtures.config(values), Fixtures.pid("support"),
                m -> {
                    ingested.add(m);
                    return CompletableFuture.completedFuture(new IngestReceipt(ingested.size(), 1, 1, false));
                }, new MemoryBlobs(),
                new Fixtures.Conversations().inbox(), java.time.Clock.systemUTC(), secrets);
        instances.add(instance);
        return instance;
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static CheckReport.Step step(CheckReport report, String prefix) {
        return report.steps().stream().filter(s -> s.what().startsWith(prefix)).findFirst().orElseThrow();
    }

    @Test
    void theRightSettingsPassEveryStepAndNoMailIsSent() {
        EmailInstance instance = instance(Map.of());

        CheckReport report = instance.check();

        assertThat(report.ok()).as(report.toString()).isTrue();
        assertThat(step(report, "IMAP").detail()).isEqualTo("logged in as support at 127.0.0.1:"
                + greenMail.getImap().getPort() + " (none); folder 'INBOX' found");
        assertThat(step(report, "SMTP").detail()).isEqualTo("connected to the SMTP server at 127.0.0.1:"
                + greenMail.getSmtp().getPort() + " (none), EHLO and the login of support accepted; no mail sent");
        assertThat(greenMail.getReceivedMessages()).isEmpty();
        await().atMost(WAIT).until(() -> instance.health().status() == Status.UP);
    }

    @Test
    void aWrongPasswordFailsBothLoginsNamingTheSettingAndNeverThePassword() {
        EmailInstance instance = instance(Map.of("password", "wrong-horse"));

        CheckReport report = instance.check();

        assertThat(report.ok()).isFalse();
        assertThat(step(report, "IMAP").ok()).isFalse();
        assertThat(step(report, "IMAP").detail()).isEqualTo("the IMAP server refused the login of support at "
                + "127.0.0.1:" + greenMail.getImap().getPort() + ": check 'username' and 'password' in " + CFG);
        assertThat(step(report, "SMTP").detail()).isEqualTo("the SMTP server refused the login of support at "
                + "127.0.0.1:" + greenMail.getSmtp().getPort() + ": check 'smtpPassword' (or 'password') in " + CFG);
        assertThat(report.toString()).doesNotContain("wrong-horse");
        assertThat(instance.health().status()).isEqualTo(Status.AUTH_EXPIRED);
        assertThat(report.firstFailure()).isEqualTo(step(report, "IMAP"));
    }

    @Test
    void aClosedSmtpPortShowsInTheHealthFromTheStartNotAtTheFirstReply() throws Exception {
        int closed = closedPort();
        EmailInstance instance = instance(Map.of("smtpPort", closed));

        await().atMost(WAIT).until(() -> instance.health().status() == Status.DEGRADED
                && instance.health().reason().startsWith("sending: "));
        assertThat(instance.health().reason()).startsWith("sending: the SMTP server at 127.0.0.1:" + closed
                + " refused the connection (nothing listens there): check 'smtpHost' and 'smtpPort' in " + CFG);
        assertThat(step(instance.check(), "SMTP").ok()).isFalse();
    }

    @Test
    void implicitTlsToAPlainPortNamesTheSecuritySetting() {
        EmailInstance instance = instance(Map.of("imapSecurity", "tls", "smtpSecurity", "tls",
                "smtpCheckOnStart", false));

        CheckReport report = instance.check();

        int imap = greenMail.getImap().getPort();
        int smtp = greenMail.getSmtp().getPort();
        assertThat(step(report, "IMAP").detail()).isEqualTo("the IMAP server at 127.0.0.1:" + imap + " does not "
                + "speak TLS at once on port " + imap + ": set 'imapSecurity' to starttls (or none) in " + CFG
                + ", or 'imapPort' to the server's TLS port");
        assertThat(step(report, "SMTP").detail()).isEqualTo("the SMTP server at 127.0.0.1:" + smtp + " does not "
                + "speak TLS at once on port " + smtp + ": set 'smtpSecurity' to starttls (or none) in " + CFG
                + ", or 'smtpPort' to the server's TLS port");
        assertThat(report.toString()).doesNotContain("SSLException").doesNotContain("Unsupported or unrecognized");
    }

    @Test
    void plainTextToATlsPortNamesTheSecuritySetting() {
        int imaps = greenMail.getImaps().getPort();
        int smtps = greenMail.getSmtps().getPort();
        EmailInstance instance = instance(Map.of("imapPort", imaps, "smtpPort", smtps, "smtpCheckOnStart", false));

        CheckReport report = instance.check();

        assertThat(step(report, "IMAP").detail()).isEqualTo("the IMAP server at 127.0.0.1:" + imaps + " expects TLS "
                + "at once on port " + imaps + ": set 'imapSecurity' to tls in " + CFG
                + ", or 'imapPort' to the server's STARTTLS port");
        assertThat(step(report, "SMTP").detail()).isEqualTo("the SMTP server at 127.0.0.1:" + smtps + " expects TLS "
                + "at once on port " + smtps + ": set 'smtpSecurity' to tls in " + CFG
                + ", or 'smtpPort' to the server's STARTTLS port");
    }

    @Test
    void aSelfSignedCertificateIsOneSentenceSayingHowToTrustIt() {
        int imaps = greenMail.getImaps().getPort();
        EmailInstance instance = instance(Map.of("imapPort", imaps, "imapSecurity", "tls", "smtpCheckOnStart", false));

        CheckReport.Step imap = step(instance.check(), "IMAP");

        assertThat(imap.ok()).isFalse();
        assertThat(imap.detail()).isEqualTo("the IMAP server at 127.0.0.1:" + imaps + " sent a certificate that is "
                + "not signed by a CA this Java trusts (self-signed, or a company CA): add the CA to the truststore "
                + "Frontdoor uses (javax.net.ssl.trustStore in etc/system.properties, see docs/operations.md) or "
                + "connect to a server with a publicly trusted certificate ('imapHost' in " + CFG + ")");
        assertThat(imap.detail()).doesNotContain("PKIX");
        // the receiver's health and log say the same sentence
        await().atMost(WAIT).until(() -> instance.receiving().reason() != null
                && instance.receiving().reason().contains("not signed by a CA this Java trusts"));
    }

    @Test
    void aWrongFolderIsNamedWithItsSetting() {
        EmailInstance instance = instance(Map.of("folder", "Support", "smtpCheckOnStart", false));

        assertThat(step(instance.check(), "IMAP").detail()).isEqualTo("logged in as support, but the folder "
                + "'Support' does not exist: set 'folder' in " + CFG + " to a folder of the mailbox");
    }

    @Test
    void reconnectConnectsAgainAtOnceAndTakesInWhatWaits() throws Exception {
        // no IDLE and a poll every 10 minutes: only a new connection takes in the mail delivered below now
        EmailInstance instance = instance(Map.of("idle", false, "pollSeconds", 600, "smtpCheckOnStart", false));
        await().atMost(WAIT).until(() -> instance.receiving().status() == Status.UP);
        jakarta.mail.internet.MimeMessage mail = new jakarta.mail.internet.MimeMessage(
                jakarta.mail.Session.getInstance(new java.util.Properties()));
        mail.setFrom("ann@example.org");
        mail.setRecipients(jakarta.mail.Message.RecipientType.TO, "support@example.com");
        mail.setSubject("Question");
        mail.setText("Where is my parcel?", "UTF-8");
        greenMail.getUserManager().getUser("support").deliver(mail);

        instance.reconnect();

        await().atMost(WAIT).until(() -> ingested.size() == 1);
        assertThat(instance.receiving().status()).isEqualTo(Status.UP);
    }
}
