package org.frontdoor.channel.email;

import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class MailSettingsTest {

    private static MailSettings settings(Map<String, Object> values) {
        return MailSettings.of("support", "etc/org.frontdoor.channel.email-support.cfg", Fixtures.config(values));
    }

    @Test
    void smtpFallsBackToTheImapHostAndLoginAndTheFromAddressToTheLogin() {
        MailSettings s = settings(Map.of("imapHost", "mail.example.com", "username", "support@example.com",
                "password", "pw"));

        assertThat(s.smtpHost()).isEqualTo("mail.example.com");
        assertThat(s.smtpUsername()).isEqualTo("support@example.com");
        assertThat(s.smtpPassword()).isEqualTo("pw");
        assertThat(s.fromAddress()).isEqualTo("support@example.com");
        assertThat(s.fromDomain()).isEqualTo("example.com");
        assertThat(s.imapProblem()).isNull();
        assertThat(s.smtpProblem()).isNull();
        assertThat(s.imapProtocol()).isEqualTo("imaps");
        assertThat(s.smtpProtocol()).isEqualTo("smtp");
    }

    @Test
    void allowedTypesComeAsAListOrCommaSeparated() {
        assertThat(settings(Map.of("allowedAttachmentTypes", new String[]{"image/*, application/pdf", "text/plain"}))
                .allowedAttachmentTypes()).containsExactly("image/*", "application/pdf", "text/plain");
        assertThat(settings(Map.of()).allowedAttachmentTypes()).contains("image/*", "application/pdf",
                "application/vnd.openxmlformats-officedocument.*");
    }

    @Test
    void aMistypedSecurityModeIsNamedWithTheFile() {
        assertThat(settings(Map.of("imapHost", "h", "username", "u", "password", "p", "imapSecurity", "ssl3"))
                .imapProblem()).isEqualTo("imapSecurity must be tls, starttls or none in "
                + "etc/org.frontdoor.channel.email-support.cfg");
    }

    @Test
    void thePasswordsAreNotInToString() {
        MailSettings s = settings(Map.of("imapHost", "h", "username", "u", "password", "hunter2",
                "smtpPassword", "hunter3"));

        assertThat(s.toString()).doesNotContain("hunter2").doesNotContain("hunter3");
    }
}
