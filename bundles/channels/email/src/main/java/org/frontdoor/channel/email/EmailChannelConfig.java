package org.frontdoor.channel.email;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

@ObjectClassDefinition(name = "Frontdoor e-mail channel instance",
        description = "One mailbox: customer mail read by IMAP, replies sent by SMTP; one file per mailbox, "
                + "etc/org.frontdoor.channel.email-<instance>.cfg")
@interface EmailChannelConfig {

    @AttributeDefinition(description = "Instance name; by default the part of the file name after 'email-'")
    String instance() default "";

    @AttributeDefinition(description = "IMAP server's host name")
    String imapHost() default "";

    @AttributeDefinition(description = "IMAP server's port: 993 for tls, 143 for starttls or none", min = "1",
            max = "65535")
    int imapPort() default 993;

    @AttributeDefinition(description = "How the IMAP connection is protected: tls (implicit TLS), starttls, or none",
            options = {@Option(value = "tls"), @Option(value = "starttls"), @Option(value = "none")})
    String imapSecurity() default "tls";

    @AttributeDefinition(description = "The mailbox's login name (IMAP, and SMTP unless smtpUsername is set)")
    String username() default "";

    @AttributeDefinition(type = AttributeType.PASSWORD,
            description = "The mailbox's password or app password (IMAP, and SMTP unless smtpPassword is set)")
    String password() default "";

    @AttributeDefinition(description = "The folder customer mail arrives in")
    String folder() default "INBOX";

    @AttributeDefinition(description = "Where taken-in mail is moved once stored; blank: it stays in the folder, "
            + "marked \\Seen")
    String processedFolder() default "";

    @AttributeDefinition(description = "Use IMAP IDLE (new mail is seen at once) when the server offers it")
    boolean idle() default true;

    @AttributeDefinition(description = "Seconds between two looks into the folder without IDLE; with IDLE, how "
            + "often the folder is looked at anyway", min = "1")
    int pollSeconds() default 60;

    @AttributeDefinition(description = "Mails taken in per round (all unseen mail is taken in, this many at a time)",
            min = "1")
    int batchSize() default 100;

    @AttributeDefinition(description = "SMTP server's host name; blank: the IMAP host")
    String smtpHost() default "";

    @AttributeDefinition(description = "SMTP server's port: 587 for starttls, 465 for tls, 25 for none", min = "1",
            max = "65535")
    int smtpPort() default 587;

    @AttributeDefinition(description = "How the SMTP connection is protected: starttls, tls (implicit TLS), or none",
            options = {@Option(value = "starttls"), @Option(value = "tls"), @Option(value = "none")})
    String smtpSecurity() default "starttls";

    @AttributeDefinition(description = "SMTP login name; blank: username. 'none' sends without logging in")
    String smtpUsername() default "";

    @AttributeDefinition(type = AttributeType.PASSWORD, description = "SMTP password; blank: password")
    String smtpPassword() default "";

    @AttributeDefinition(description = "The address replies come from (From:); blank: username when it is an "
            + "address")
    String fromAddress() default "";

    @AttributeDefinition(description = "The name shown with fromAddress, such as 'Acme Support'")
    String fromName() default "";

    @AttributeDefinition(description = "Reply to all: a reply to a mail goes to its sender with the mail's other "
            + "recipients (To and Cc, but this mailbox's own addresses) in Cc. false: to the sender alone, as a private "
            + "answer. Never for a mail whose sender failed authentication")
    boolean replyAll() default false;

    @AttributeDefinition(description = "Subject of a reply that starts a new thread (a conversation continued by "
            + "e-mail from another door)")
    String newThreadSubject() default "Your conversation with us";

    @AttributeDefinition(description = "Largest raw source kept with a message (rawPayload), in bytes; beyond it the "
            + "source is cut and says so", min = "1024")
    int maxRawBytes() default 1_048_576;

    @AttributeDefinition(description = "Largest attachment stored, in bytes; a larger one is listed without content",
            min = "0")
    long maxAttachmentBytes() default 10_485_760;

    @AttributeDefinition(description = "Media types of attachments stored ('type/*' for a family); others are listed "
            + "without content")
    String[] allowedAttachmentTypes() default {"image/*", "application/pdf", "text/plain", "text/csv",
            "application/rtf", "application/msword", "application/vnd.ms-excel", "application/vnd.ms-powerpoint",
            "application/vnd.openxmlformats-officedocument.*", "application/vnd.oasis.opendocument.*"};

    @AttributeDefinition(description = "Seconds to wait for the mail servers (connect, read, write)", min = "1")
    int timeoutSeconds() default 30;

    @AttributeDefinition(description = "Seconds to wait for Frontdoor to store a mail before it is left unseen and "
            + "tried again", min = "1")
    int ingestTimeoutSeconds() default 60;

    @AttributeDefinition(description = "Longest wait between two attempts to reach an unreachable or refusing IMAP "
            + "server (the wait doubles from 1 second up to this)", min = "1")
    int reconnectMaxSeconds() default 300;

    @AttributeDefinition(description = "After the SMTP server refused the login, seconds the instance reports "
            + "AUTH_EXPIRED (core holds its replies) before replies are tried again; a changed configuration tries "
            + "at once", min = "1")
    int authRetrySeconds() default 300;

    @AttributeDefinition(type = AttributeType.PASSWORD, description = "Key of the unguessable part of reply "
            + "Message-IDs (HMAC-SHA256); blank: one is generated at the first start into frontdoor/secrets/"
            + "channel-email-<instance>.secret under the Karaf data directory (readable by its owner only). With "
            + "several nodes, give every node the same key (set it here, or copy the file)")
    String messageIdSecret() default "";

    @AttributeDefinition(description = "The authserv-id of the receiving mail server (the first word of the "
            + "Authentication-Results headers it adds, such as mx.example.com): its SPF, DKIM and DMARC results are "
            + "shown to agents, and a sender that failed them is not taken as proven. Blank: no such header is "
            + "trusted (anyone can write one)")
    String authservId() default "";

    @AttributeDefinition(description = "Port of an SMTP listener taking mail routed straight to Frontdoor (by the "
            + "company's mail server); 0: no listener", min = "0", max = "65535")
    int smtpListenerPort() default 0;

    @AttributeDefinition(description = "Address the SMTP listener binds to; it has no TLS and no login, so keep it on "
            + "a trusted network")
    String smtpListenerHost() default "127.0.0.1";

    @AttributeDefinition(description = "Recipients the SMTP listener takes mail for; blank: fromAddress")
    String[] smtpListenerRecipients() default {};

    @AttributeDefinition(description = "Largest mail the SMTP listener takes, in bytes", min = "1024")
    int smtpListenerMaxBytes() default 26_214_400;

    @AttributeDefinition(description = "Try the SMTP server when the instance starts (connect, EHLO, STARTTLS, AUTH; "
            + "no mail is sent), so a server that cannot be reached or refuses the login shows in the door's health "
            + "before the first reply; frontdoor:channel-check tries it again")
    boolean smtpCheckOnStart() default true;
}
