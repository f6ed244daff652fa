package org.frontdoor.channel.email;

import java.io.IOException;
import java.io.UnsupportedEncodingException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.frontdoor.api.OutboundReply;
import org.frontdoor.api.ReplyRefusedException;

/**
 * Sends one reply by SMTP as a plain-text UTF-8 mail, threaded under the mail it answers. Its Message-ID comes
 * from the reply id, so a reply sent again after a crash is the same mail to every client, and carries an HMAC of it
 * under the instance's key, so nobody can tell the Message-ID of a reply they did not receive.
 */
final class SmtpSender {

    /** The SMTP server refused the login: a passing failure for the reply, AUTH_EXPIRED for the door. */
    static final class LoginRefused extends Exception {
        LoginRefused(String message) {
            super(message);
        }
    }

    /** A passing failure: the reply is tried again later. */
    static final class NotNow extends Exception {
        NotNow(String message) {
            super(message);
        }
    }

    /**
     * What the reply answers, as read from the conversation.
     *
     * @param subject   the answered mail's subject, null when unknown
     * @param automatic why the answered mail was sent by a machine, null when a person wrote it
     */
    /**
     * What a reply takes from the mail it answers: its subject, whether a machine sent it, and whom to copy (replyAll:
     * the answered mail's To and Cc but the instance's own addresses and the customer; else none).
     */
    record Answered(String subject, String automatic, List<String> copied) {
        Answered {
            copied = copied == null ? List.of() : List.copyOf(copied);
        }

        Answered(String subject, String automatic) {
            this(subject, automatic, List.of());
        }
    }

    private final MailSettings settings;
    private final Session session;
    private final byte[] messageIdKey;

    /** @param messageIdKey the instance's secret for the unguessable part of the Message-IDs */
    SmtpSender(MailSettings settings, byte[] messageIdKey) {
        this.settings = settings;
        this.session = settings.smtpSession();
        this.messageIdKey = messageIdKey.clone();
    }

    /**
     * {@code <frontdoor.reply-<id>.<instance>.<tag>@domain>}: the tag is the first 128 bits of HMAC-SHA256(key,
     * "<id>.<instance>") in hex, the same on every attempt and on every node holding the same key.
     */
    static String messageId(long replyId, String instance, String domain, byte[] key) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            byte[] tag = mac.doFinal((replyId + "." + instance).getBytes(StandardCharsets.UTF_8));
            return "<frontdoor.reply-" + replyId + "." + instance + "."
                    + HexFormat.of().formatHex(tag, 0, 16) + "@" + domain + ">";
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JVM has no HmacSHA256", e);
        }
    }

    String where() {
        return settings.smtpHost() + ":" + settings.smtpPort();
    }

    MimeMessage compose(OutboundReply reply, Answered answered) throws MessagingException, ReplyRefusedException {
        String to = reply.recipient().email() != null && !reply.recipient().email().isBlank()
                ? reply.recipient().email() : reply.recipient().handle();
        InternetAddress recipient;
        try {
            recipient = new InternetAddress(to, true);
        } catch (AddressException e) {
            throw new ReplyRefusedException("the customer's address '" + to + "' is not an e-mail address");
        }
        String id = messageId(reply.replyId(), settings.instance(), settings.fromDomain(), messageIdKey);
        MimeMessage mail = new MimeMessage(session) {
            @Override
            protected void updateMessageID() throws MessagingException {
                setHeader("Message-ID", id);
            }
        };
        try {
            mail.setFrom(settings.fromName().isEmpty() ? new InternetAddress(settings.fromAddress())
                    : new InternetAddress(settings.fromAddress(), settings.fromName(), "UTF-8"));
        } catch (UnsupportedEncodingException e) {
            throw new IllegalStateException("the JVM has no UTF-8", e);
        }
        mail.setRecipient(jakarta.mail.Message.RecipientType.TO, recipient);
        List<InternetAddress> copied = new ArrayList<>();
        for (String address : answered.copied()) {
            try {
                copied.add(new InternetAddress(address, true));
            } catch (AddressException notAnAddress) {
                // taken from the answered mail's headers: an address that no longer parses is left out
            }
        }
        if (!copied.isEmpty()) {
            mail.setRecipients(jakarta.mail.Message.RecipientType.CC, copied.toArray(new InternetAddress[0]));
        }
        boolean newThread = reply.threadRef() == null && reply.inReplyTo() == null;
        String subject = newThread || answered.subject() == null ? settings.newThreadSubject() : answered.subject();
        if (!newThread && !subject.toLowerCase(Locale.ROOT).startsWith("re:")) {
            subject = "Re: " + subject;
        }
        mail.setSubject(subject, StandardCharsets.UTF_8.name());
        mail.setText(reply.text(), StandardCharsets.UTF_8.name());
        if (reply.inReplyTo() != null) {
            mail.setHeader("In-Reply-To", reply.inReplyTo());
        }
        // a conversation's threadRef is its thread key: the root's Message-ID and the sender
        String root = MailReader.rootOf(reply.threadRef());
        String references = root == null ? reply.inReplyTo()
                : reply.inReplyTo() == null || reply.inReplyTo().equals(root) ? root
                : root + " " + reply.inReplyTo();
        if (references != null) {
            mail.setHeader("References", references);
        }
        // an agent wrote it: auto-responders may answer it, and we never answer theirs
        mail.setHeader("Auto-Submitted", "no");
        mail.setSentDate(Date.from(reply.createdAt()));
        mail.saveChanges();
        return mail;
    }

    /**
     * @throws ReplyRefusedException the server refused the mail for good (5xx): the reason is its answer
     * @throws LoginRefused          the server refused the login
     * @throws NotNow                any passing failure (4xx, no connection)
     */
    void send(OutboundReply reply, Answered answered) throws ReplyRefusedException, LoginRefused, NotNow {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(SmtpSender.class.getClassLoader());
        try {
            MimeMessage mail;
            try {
                mail = compose(reply, answered);
            } catch (MessagingException e) {
                throw new ReplyRefusedException("the reply cannot be made into a mail: " + e.getMessage());
            }
            try (Transport transport = session.getTransport()) {
                if (settings.smtpLogin()) {
                    transport.connect(settings.smtpHost(), settings.smtpPort(), settings.smtpUsername(),
                            settings.smtpPassword());
                } else {
                    transport.connect();
                }
                transport.sendMessage(mail, mail.getAllRecipients());
            }
        } catch (AuthenticationFailedException e) {
            throw new LoginRefused("the SMTP server refused the login of " + settings.smtpUsername() + " at "
                    + where() + ": check 'smtpPassword' (or 'password') in " + settings.source());
        } catch (MessagingException e) {
            int code = returnCode(e);
            String answer = answer(e);
            if (code >= 500 && code < 600) {
                throw new ReplyRefusedException("the SMTP server at " + where() + " refused the reply for good: "
                        + answer);
            }
            if (code >= 400) {
                throw new NotNow("the SMTP server at " + where() + " could not take the reply now: " + answer);
            }
            if (e instanceof SendFailedException failed && failed.getInvalidAddresses() != null
                    && failed.getInvalidAddresses().length > 0) {
                throw new ReplyRefusedException("the SMTP server at " + where() + " refused the recipient: " + answer);
            }
            String explained = MailTrouble.smtp(settings, e);
            throw new NotNow(explained != null ? "could not send: " + explained
                    : "could not send through the SMTP server at " + where() + ": " + cause(e));
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    /**
     * Tries the SMTP server as a send would (connect, EHLO, STARTTLS, AUTH) and hangs up: no mail is sent.
     *
     * @return what worked
     * @throws LoginRefused the server refused the login
     * @throws NotNow       the server could not be reached or talked to, with the setting to change
     */
    String check() throws LoginRefused, NotNow {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(SmtpSender.class.getClassLoader());
        try (Transport transport = session.getTransport()) {
            if (settings.smtpLogin()) {
                transport.connect(settings.smtpHost(), settings.smtpPort(), settings.smtpUsername(),
                        settings.smtpPassword());
            } else {
                transport.connect();
            }
            return "connected to the SMTP server at " + where() + " (" + settings.smtpSecurity() + ")"
                    + (settings.smtpLogin() ? ", EHLO and the login of " + settings.smtpUsername() + " accepted"
                    : ", EHLO accepted; no login ('smtpUsername' is none)") + "; no mail sent";
        } catch (AuthenticationFailedException e) {
            throw new LoginRefused("the SMTP server refused the login of " + settings.smtpUsername() + " at "
                    + where() + ": check 'smtpPassword' (or 'password') in " + settings.source());
        } catch (MessagingException e) {
            String explained = MailTrouble.smtp(settings, e);
            throw new NotNow(explained != null ? explained
                    : "could not talk to the SMTP server at " + where() + ": " + cause(e));
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    /** The SMTP reply code in the exception chain, or 0. */
    private static int returnCode(MessagingException e) {
        for (Exception current = e; current != null; ) {
            if (current instanceof SMTPAddressFailedException a) {
                return a.getReturnCode();
            }
            if (current instanceof SMTPSendFailedException s && s.getReturnCode() > 0) {
                return s.getReturnCode();
            }
            current = current instanceof MessagingException m ? m.getNextException() : null;
        }
        return 0;
    }

    /** The server's answer line: what it said, never what we sent. */
    private static String answer(MessagingException e) {
        for (Exception current = e; current != null; ) {
            if (current instanceof SMTPAddressFailedException || current instanceof SMTPSendFailedException) {
                return current.getMessage().strip();
            }
            current = current instanceof MessagingException m ? m.getNextException() : null;
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().strip();
    }

    private static String cause(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String what = root instanceof IOException ? root.getClass().getSimpleName() : "";
        String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        return what.isEmpty() || message.contains(what) ? message : what + ": " + message;
    }
}
