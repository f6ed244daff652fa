package org.frontdoor.distribution;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;

import com.icegreen.greenmail.user.GreenMailUser;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.Folder;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.Transport;
import jakarta.mail.internet.MimeMessage;

/**
 * The mail server of the e-mail door's scenarios: GreenMail with IMAP and SMTP on free ports of 127.0.0.1, and the
 * mailbox Frontdoor reads (support@example.com, login support). It can be stopped and started again on the same
 * ports, with mail delivered to the mailbox meanwhile (as another MX would).
 */
final class MailServer implements AutoCloseable {

    static final String MAILBOX = "support@example.com";
    static final String LOGIN = "support";
    static final String PASSWORD = "support-pw";
    /** The authserv-id the door trusts in Authentication-Results: this server's, as an MX would add them. */
    static final String AUTHSERV_ID = "mx.frontdoor.test";

    private final int smtpPort;
    private final int imapPort;
    private GreenMail greenMail;
    private GreenMailUser mailbox;

    MailServer() throws IOException {
        this.smtpPort = freePort();
        this.imapPort = freePort();
        create().start();
    }

    private GreenMail create() {
        ServerSetup smtp = new ServerSetup(smtpPort, "127.0.0.1", ServerSetup.PROTOCOL_SMTP);
        ServerSetup imap = new ServerSetup(imapPort, "127.0.0.1", ServerSetup.PROTOCOL_IMAP);
        // fixed once chosen (it restarts on the same ports); time to start on a busy machine
        smtp.setServerStartupTimeout(30_000);
        imap.setServerStartupTimeout(30_000);
        greenMail = new GreenMail(new ServerSetup[]{smtp, imap});
        mailbox = greenMail.setUser(MAILBOX, LOGIN, PASSWORD);
        // a second mailbox, for a second door
        greenMail.setUser("routed@example.com", "routed", PASSWORD);
        return greenMail;
    }

    int smtpPort() {
        return smtpPort;
    }

    int imapPort() {
        return imapPort;
    }

    /** The cfg of a door reading this mailbox and sending through this server. */
    String cfg(String password) {
        return "imapHost = 127.0.0.1\nimapPort = " + imapPort + "\nimapSecurity = none\n"
                + "username = " + LOGIN + "\npassword = " + password + "\n"
                + "smtpPort = " + smtpPort + "\nsmtpSecurity = none\n"
                + "fromAddress = " + MAILBOX + "\nfromName = Acme Support\npollSeconds = 2\nreconnectMaxSeconds = 2\n"
                + "authservId = " + AUTHSERV_ID + "\n";
    }

    /** A new mail in a customer's client. */
    static MimeMessage mail(String messageId, String from, String subject, String text) throws MessagingException {
        MimeMessage mail = new MimeMessage(Session.getInstance(new Properties())) {
            @Override
            protected void updateMessageID() throws MessagingException {
                setHeader("Message-ID", messageId);
            }
        };
        mail.setFrom(from);
        mail.setRecipients(jakarta.mail.Message.RecipientType.TO, MAILBOX);
        mail.setSubject(subject, "UTF-8");
        mail.setText(text, "UTF-8");
        mail.saveChanges();
        return mail;
    }

    /** Sends by SMTP from the customer's client. */
    void sendBySmtp(MimeMessage mail) throws MessagingException {
        sendBySmtp(mail, smtpPort);
    }

    /** Sends by SMTP to a server on a port of 127.0.0.1 (Frontdoor's own listener, for instance). */
    static void sendBySmtp(MimeMessage mail, int port) throws MessagingException {
        Properties properties = new Properties();
        properties.put("mail.smtp.host", "127.0.0.1");
        properties.put("mail.smtp.port", Integer.toString(port));
        Session session = Session.getInstance(properties);
        try (Transport transport = session.getTransport("smtp")) {
            transport.connect();
            transport.sendMessage(mail, mail.getAllRecipients());
        }
    }

    /** Puts a mail into the support mailbox directly (another path than this SMTP server). */
    void deliver(MimeMessage mail) {
        mailbox.deliver(mail);
    }

    /** The mails received for an address (a customer's mailbox). */
    List<MimeMessage> receivedBy(String address) {
        return Arrays.stream(greenMail.getReceivedMessages()).filter(m -> {
            try {
                return m.getHeader("To", ",") != null && m.getHeader("To", ",").contains(address);
            } catch (MessagingException e) {
                return false;
            }
        }).toList();
    }

    /** How many mails in the support mailbox's INBOX are not \Seen yet, as another IMAP client sees it. */
    int unseen() throws MessagingException {
        Store store = Session.getInstance(new Properties()).getStore("imap");
        store.connect("127.0.0.1", imapPort, LOGIN, PASSWORD);
        try {
            Folder inbox = store.getFolder("INBOX");
            inbox.open(Folder.READ_ONLY);
            try {
                return inbox.getUnreadMessageCount();
            } finally {
                inbox.close(false);
            }
        } finally {
            store.close();
        }
    }

    void stop() {
        greenMail.stop();
    }

    /** Stops IMAP only: SMTP goes on taking mail (start the whole server again with stop, prepareRestart, start). */
    void stopImap() {
        greenMail.getImap().stopService();
    }

    /** A fresh server on the same ports (what was in its mailboxes is gone, as after a restored backup). */
    GreenMail prepareRestart() {
        return create();
    }

    void start() {
        greenMail.start();
    }

    @Override
    public void close() {
        greenMail.stop();
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
