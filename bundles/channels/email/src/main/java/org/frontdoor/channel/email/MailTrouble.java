package org.frontdoor.channel.email;

import org.frontdoor.api.ConnectionTrouble;

/** A failure to reach the IMAP or SMTP server, as one sentence naming the setting to change. */
final class MailTrouble {

    private MailTrouble() {
    }

    /**
     * Why the IMAP server could not be used, naming the setting to change; null when the failure is none of the kinds
     * {@link ConnectionTrouble} knows. Probes the port for TLS when a plain greeting never came.
     */
    static String imap(MailSettings s, Throwable e) {
        return explain(e, "tls".equals(s.imapSecurity()), s.timeoutSeconds(),
                new ConnectionTrouble.Settings("the IMAP server", s.imapHost(), s.imapPort(), "imapHost", "imapPort",
                        "imapSecurity", "tls", "starttls (or none)", s.source()));
    }

    /** As {@link #imap}, for the SMTP server. */
    static String smtp(MailSettings s, Throwable e) {
        return explain(e, "tls".equals(s.smtpSecurity()), s.timeoutSeconds(),
                new ConnectionTrouble.Settings("the SMTP server", s.smtpHost(), s.smtpPort(), "smtpHost", "smtpPort",
                        "smtpSecurity", "tls", "starttls (or none)", s.source()));
    }

    private static String explain(Throwable e, boolean implicitTls, int timeoutSeconds,
                                  ConnectionTrouble.Settings settings) {
        boolean tlsPort = !implicitTls && ConnectionTrouble.mayBeTlsPort(e)
                && ConnectionTrouble.speaksTls(settings.host(), settings.port(),
                (int) Math.min(5_000, timeoutSeconds * 1000L));
        return ConnectionTrouble.explain(ConnectionTrouble.kind(e, implicitTls, tlsPort), settings);
    }
}
