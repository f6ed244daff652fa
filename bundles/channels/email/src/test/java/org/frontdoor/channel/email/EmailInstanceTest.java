package org.frontdoor.channel.email;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

import com.icegreen.greenmail.user.GreenMailUser;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.Flags;
import jakarta.mail.Folder;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.internet.MimeMessage;
import org.frontdoor.api.Annotation;
import org.frontdoor.api.ChannelHealth.Status;
import org.frontdoor.api.Identity;
import org.frontdoor.api.IngestReceipt;
import org.frontdoor.api.Message;
import org.frontdoor.api.OutboundReply;
import org.frontdoor.api.ReplyRefusedException;
import org.frontdoor.api.Visibility;
import org.frontdoor.api.inbox.ConversationDetail;
import org.frontdoor.api.inbox.MessageView;
import org.frontdoor.testkit.MemoryBlobs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** A mailbox instance against GreenMail (IMAP and SMTP on free ports), with core's ingest played by the test. */
class EmailInstanceTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private GreenMail greenMail;
    private GreenMailUser support;
    private final MemoryBlobs blobs = new MemoryBlobs();
    private final Fixtures.Conversations conversations = new Fixtures.Conversations();
    private final List<Message> stored = new CopyOnWriteArrayList<>();
    private final Map<String, Boolean> storedIds = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();
    /** What the test's core answers: null to store. */
    private volatile Function<Message, RuntimeException> core = m -> null;
    private final List<EmailInstance> instances = new CopyOnWriteArrayList<>();
    @TempDir
    Path secrets;

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** A port the server binds itself (no race with other processes), and time to start on a busy machine. */
    static ServerSetup setup(String protocol) {
        ServerSetup setup = new ServerSetup(0, "127.0.0.1", protocol).dynamicPort();
        setup.setServerStartupTimeout(30_000);
        return setup;
    }

    @BeforeEach
    void startMailServer() throws IOException {
        greenMail = new GreenMail(new ServerSetup[]{setup(ServerSetup.PROTOCOL_SMTP), setup(ServerSetup.PROTOCOL_IMAP)});
        greenMail.start();
        support = greenMail.setUser("support@example.com", "support", "secret");
    }

    @AfterEach
    void stop() {
        instances.forEach(EmailInstance::deactivate);
        greenMail.stop();
    }

    private CompletableFuture<IngestReceipt> ingest(Message message) {
        RuntimeException failure = core.apply(message);
        if (failure != null) {
            return CompletableFuture.failedFuture(failure);
        }
        boolean duplicate = storedIds.putIfAbsent(message.externalId(), true) != null;
        if (!duplicate) {
            stored.add(message);
        }
        long id = ids.incrementAndGet();
        return CompletableFuture.completedFuture(new IngestReceipt(id, 1, 1, duplicate));
    }

    private EmailInstance instance(Map<String, Object> overrides) {
        Map<String, Object> values = new HashMap<>(Map.of(
                "imapHost", "127.0.0.1", "imapPort", greenMail.getImap().getPort(), "imapSecurity", "none",
                "username", "support", "password", "secret",
                "smtpPort", greenMail.getSmtp().getPort(), "smtpSecurity", "none",
                "fromAddress", "support@example.com", "fromName", "Acme Support"));
        values.put("pollSeconds", 1);
        values.put("reconnectMaxSeconds", 1);
        // the tests of sending drive the SMTP server themselves (EmailCheckTest tries the check at start)
        values.put("smtpCheckOnStart", false);
        values.putAll(overrides);
        EmailInstance instance = new EmailInstance(null, Fixtures.config(values), Fixtures.pid("support"),
                this::ingest, blobs, conversations.inbox(), java.time.Clock.systemUTC(), secrets);
        instances.add(instance);
        return instance;
    }

    private void deliver(String sample) throws Exception {
        support.deliver(new MimeMessage(Session.getInstance(new Properties()),
                new ByteArrayInputStream(MailReaderTest.sample(sample))));
    }

    private void deliverText(String messageId, String from, String text) throws Exception {
        MimeMessage mail = new MimeMessage(Session.getInstance(new Properties())) {
            @Override
            protected void updateMessageID() throws jakarta.mail.MessagingException {
                setHeader("Message-ID", messageId);
            }
        };
        mail.setFrom(from);
        mail.setRecipients(jakarta.mail.Message.RecipientType.TO, "support@example.com");
        mail.setSubject("Question");
        mail.setText(text, "UTF-8");
        mail.saveChanges();
        support.deliver(mail);
    }

    /** The flags of the mails in a folder of the support mailbox, as another client sees them. */
    private List<Flags> flags(String folderName) throws Exception {
        Properties p = new Properties();
        Store store = Session.getInstance(p).getStore("imap");
        store.connect("127.0.0.1", greenMail.getImap().getPort(), "support", "secret");
        try {
            Folder folder = store.getFolder(folderName);
            if (!folder.exists()) {
                return List.of();
            }
            folder.open(Folder.READ_ONLY);
            List<Flags> all = new java.util.ArrayList<>();
            for (jakarta.mail.Message m : folder.getMessages()) {
                all.add(m.getFlags());
            }
            folder.close(false);
            return all;
        } finally {
            store.close();
        }
    }

    @Test
    void waitingMailIsTakenInAndMarkedSeenOnlyOnceStored() throws Exception {
        deliver("latin1-qp.eml");
        deliver("alternative.eml");

        EmailInstance instance = instance(Map.of());

        await().atMost(WAIT).until(() -> stored.size() == 2);
        await().atMost(WAIT).until(() -> flags("INBOX").stream().allMatch(f -> f.contains(Flags.Flag.SEEN)));
        assertThat(stored).extracting(Message::externalId)
                .containsExactly("<latin1-qp.1@example.es>", "<alternative.1@example.org>");
        assertThat(instance.health().status()).isEqualTo(Status.UP);

        deliver("utf8-base64.eml");
        await("new mail seen by IDLE or the next look").atMost(WAIT).until(() -> stored.size() == 3);
    }

    @Test
    void withIdleANewMailIsTakenInWithoutWaitingForTheNextLook() throws Exception {
        // the next look is 10 minutes away: only IDLE can bring the mail in within the wait
        EmailInstance instance = instance(Map.of("pollSeconds", 600));
        await().atMost(WAIT).until(() -> instance.health().status() == Status.UP);

        deliverText("<idle.1@customer.example>", "ann@customer.example", "Pushed by IDLE");

        await("taken in through IDLE").atMost(WAIT).until(() -> stored.size() == 1);
        assertThat(stored.get(0).text()).isEqualTo("Pushed by IDLE");
    }

    @Test
    void withoutIdleTheMailboxIsPolled() throws Exception {
        EmailInstance instance = instance(Map.of("idle", false, "pollSeconds", 1));
        await().atMost(WAIT).until(() -> instance.health().status() == Status.UP);

        deliverText("<poll.1@customer.example>", "ann@customer.example", "First look");
        await("taken in at a look").atMost(WAIT).until(() -> stored.size() == 1);
        deliverText("<poll.2@customer.example>", "ann@customer.example", "Second look");
        await("and at the next").atMost(WAIT).until(() -> stored.size() == 2);

        assertThat(stored).extracting(Message::externalId)
                .containsExactly("<poll.1@customer.example>", "<poll.2@customer.example>");
        await().atMost(WAIT).until(() -> flags("INBOX").stream().allMatch(f -> f.contains(Flags.Flag.SEEN)));
    }

    @Test
    void implicitTlsToAServerWhoseCertificateIsNotTrustedIsDownWithTheReasonAndReadsNothing() throws Exception {
        // GreenMail's IMAPS answers with its own self-signed certificate, which no trust store holds
        GreenMail tls = new GreenMail(setup(ServerSetup.PROTOCOL_IMAPS));
        tls.start();
        try {
            tls.setUser("support@example.com", "support", "secret");
            EmailInstance instance = instance(Map.of("imapPort", tls.getImaps().getPort(), "imapSecurity", "tls"));

            await("DOWN over TLS").atMost(WAIT).until(() -> instance.receiving().status() == Status.DOWN
                    && instance.receiving().reason() != null
                    && instance.receiving().reason().startsWith("cannot read the mailbox at 127.0.0.1:"
                    + tls.getImaps().getPort()));
            assertThat(instance.receiving().reason()).containsIgnoringCase("certificat").doesNotContain("secret");
            assertThat(instance.health().status()).isEqualTo(Status.DEGRADED);
            assertThat(instance.health().reason()).startsWith("receiving: cannot read the mailbox at");
            assertThat(stored).isEmpty();
        } finally {
            tls.stop();
        }
    }

    @Test
    void aPassingFailureLeavesTheMailUnseenAndItIsTakenInLater() throws Exception {
        AtomicInteger attempts = new AtomicInteger();
        core = m -> attempts.incrementAndGet() <= 2 ? new IllegalStateException("ingest is full") : null;
        deliver("latin1-qp.eml");

        EmailInstance instance = instance(Map.of());

        await().atMost(WAIT).until(() -> attempts.get() >= 1);
        assertThat(flags("INBOX")).noneMatch(f -> f.contains(Flags.Flag.SEEN));
        await().atMost(WAIT).until(() -> stored.size() == 1);
        await().atMost(WAIT).until(() -> flags("INBOX").stream().allMatch(f -> f.contains(Flags.Flag.SEEN)));
        await().atMost(WAIT).until(() -> instance.health().status() == Status.UP);
        assertThat(attempts.get()).isGreaterThanOrEqualTo(3);
    }

    @Test
    void aPermanentRefusalIsMarkedAndNotTriedForever() throws Exception {
        AtomicInteger refusals = new AtomicInteger();
        core = m -> m.externalId().equals("<alternative.1@example.org>") && refusals.incrementAndGet() > 0
                ? new IllegalArgumentException("text too long") : null;
        deliver("alternative.eml");
        deliver("no-sender.eml");
        deliver("latin1-qp.eml");

        instance(Map.of());

        await().atMost(WAIT).until(() -> flags("INBOX").size() == 3
                && flags("INBOX").stream().allMatch(f -> f.contains(Flags.Flag.SEEN)));
        assertThat(stored).extracting(Message::externalId).containsExactly("<latin1-qp.1@example.es>");
        assertThat(flags("INBOX")).filteredOn(f -> f.contains(Flags.Flag.FLAGGED)).hasSize(2);
        deliver("utf8-base64.eml");
        await().atMost(WAIT).until(() -> stored.size() == 2);
        assertThat(refusals.get()).isEqualTo(1);
    }

    @Test
    void storedMailIsMovedToTheProcessedFolder() throws Exception {
        deliver("latin1-qp.eml");
        deliver("alternative.eml");

        instance(Map.of("processedFolder", "Frontdoor"));

        await().atMost(WAIT).until(() -> flags("Frontdoor").size() == 2);
        await().atMost(WAIT).until(() -> flags("INBOX").isEmpty());
        assertThat(stored).hasSize(2);
    }

    @Test
    void manyWaitingMailsAreAllTakenInOnceInBatches() throws Exception {
        for (int i = 0; i < 120; i++) {
            deliverText("<bulk-" + i + "@example.org>", "c" + i + "@example.org", "Mail " + i);
        }

        instance(Map.of("batchSize", 25));

        await().atMost(WAIT).until(() -> stored.size() == 120);
        assertThat(stored).extracting(Message::externalId).doesNotHaveDuplicates();
        assertThat(stored.get(0).externalId()).isEqualTo("<bulk-0@example.org>");
    }

    @Test
    void aRefusedImapLoginIsAuthExpiredForReceivingNamingTheSettingAndTheFile() {
        EmailInstance instance = instance(Map.of("password", "wrong", "smtpUsername", "none"));

        // GreenMail's IMAP thread throws when the door hangs up after the refused login: its noise, not this test's
        await().dontCatchUncaughtExceptions().atMost(WAIT)
                .until(() -> instance.receiving().status() == Status.AUTH_EXPIRED);
        assertThat(instance.receiving().reason()).isEqualTo("the IMAP server refused the login of support at "
                + "127.0.0.1:" + greenMail.getImap().getPort() + ": check 'password' in "
                + "etc/org.frontdoor.channel.email-support.cfg");
        // sending works: the door is DEGRADED (replies go out), saying which direction is down
        assertThat(instance.health().status()).isEqualTo(Status.DEGRADED);
        assertThat(instance.health().reason()).isEqualTo("receiving: " + instance.receiving().reason());
        assertThat(instance.health().reason()).doesNotContain("wrong");
    }

    @Test
    void anUnreachableServerIsDownWithHostAndPort() throws Exception {
        int closed = freePort();
        EmailInstance instance = instance(Map.of("imapPort", closed));

        await().atMost(WAIT).until(() -> instance.receiving().status() == Status.DOWN
                && instance.receiving().reason().startsWith("cannot read the mailbox at 127.0.0.1:" + closed + ": "));
        assertThat(instance.health().reason()).startsWith("receiving: cannot read the mailbox at 127.0.0.1:" + closed);
    }

    @Test
    void aMissingSettingIsDownWithTheReason() {
        EmailInstance instance = instance(Map.of("imapHost", ""));

        assertThat(instance.health().status()).isEqualTo(Status.DOWN);
        // smtpHost defaults to imapHost: neither direction can work
        assertThat(instance.health().reason()).isEqualTo("sending: no SMTP server: set 'smtpHost' (or 'imapHost') in "
                + "etc/org.frontdoor.channel.email-support.cfg; receiving: no IMAP server: set 'imapHost' in "
                + "etc/org.frontdoor.channel.email-support.cfg");
    }

    private OutboundReply reply(long id, String threadRef, String inReplyTo, String text) {
        return new OutboundReply(id, 11, "email", "support",
                new Identity("email", "ann@example.org", "Ann Angry", "ann@example.org", null, 0),
                threadRef, inReplyTo, Visibility.PRIVATE, text, "jane", Instant.parse("2026-11-02T12:00:00Z"), 1);
    }

    private void conversation(String externalId, List<Annotation> annotations) {
        conversations.byId.put(11L, new ConversationDetail(null, List.of(new MessageView(1, externalId,
                Visibility.PRIVATE, 1, "ann@example.org", "Ann", "Where?", Instant.now(), annotations, List.of())),
                List.of()));
    }

    @Test
    void aReplyIsSentThreadedUnderTheAnsweredMail() throws Exception {
        conversation("<alternative.1@example.org>", List.of(new Annotation("subject", "Where is my order?", 1.0)));
        EmailInstance instance = instance(Map.of("smtpUsername", "support", "smtpPassword", "secret"));
        await().atMost(WAIT).until(() -> instance.health().status() == Status.UP);

        // a conversation's threadRef is its thread key: root and sender; References name the root only
        instance.send(reply(7, "<alternative.1@example.org> ann@example.org", "<alternative.1@example.org>",
                "We are on it. Grüße"));

        MimeMessage sent = greenMail.getReceivedMessagesForDomain("example.org")[0];
        assertThat(sent.getMessageID()).matches("<frontdoor\\.reply-7\\.support\\.[0-9a-f]{32}@example\\.com>");
        assertThat(sent.getHeader("In-Reply-To", null)).isEqualTo("<alternative.1@example.org>");
        assertThat(sent.getHeader("References", null)).isEqualTo("<alternative.1@example.org>");
        assertThat(sent.getSubject()).isEqualTo("Re: Where is my order?");
        assertThat(sent.getFrom()[0].toString()).isEqualTo("Acme Support <support@example.com>");
        assertThat(sent.getContentType()).startsWith("text/plain; charset=UTF-8");
        assertThat(((String) sent.getContent()).strip()).isEqualTo("We are on it. Grüße");
        assertThat(sent.getHeader("Auto-Submitted", null)).isEqualTo("no");
        assertThat(instance.health().status()).isEqualTo(Status.UP);
    }

    /**
     * replyAll: the customer's mail to support with a colleague in To and another in Cc is taken in with its
     * recipients; the reply goes to the customer with both colleagues in Cc, never to support itself. Off (the
     * default), the same reply goes to the customer alone.
     */
    @Test
    void aReplyToAllCopiesTheAnsweredMailsOtherRecipientsAndTheDefaultAnswersTheSenderAlone() throws Exception {
        EmailInstance reader = instance(Map.of());
        MimeMessage mail = new MimeMessage(Session.getInstance(new Properties())) {
            @Override
            protected void updateMessageID() throws jakarta.mail.MessagingException {
                setHeader("Message-ID", "<team.1@example.org>");
            }
        };
        mail.setFrom("Ann Angry <ann@example.org>");
        mail.setHeader("To", "Acme Support <SUPPORT@example.com>, Bob <bob@example.org>");
        mail.setHeader("Cc", "Carol <carol@example.net>, not an address, ann@example.org");
        mail.setSubject("Our order");
        mail.setText("Where is it?", "UTF-8");
        mail.saveChanges();
        support.deliver(mail);
        await().atMost(WAIT).until(() -> stored.size() == 1);
        List<Annotation> taken = stored.get(0).annotations();
        assertThat(taken).filteredOn(a -> a.name().equals("to")).extracting(Annotation::value)
                .containsExactly("support@example.com", "bob@example.org");
        assertThat(taken).filteredOn(a -> a.name().equals("cc")).extracting(Annotation::value)
                .containsExactly("carol@example.net", "ann@example.org");

        conversation("<team.1@example.org>", taken);
        EmailInstance toAll = instance(Map.of("replyAll", true));
        toAll.send(reply(20, "<team.1@example.org> ann@example.org", "<team.1@example.org>", "On its way."));
        // one copy per mailbox it reached: Ann's, Bob's and Carol's, not support's own
        await().atMost(WAIT).until(() -> copiesOf(20).size() == 3);
        MimeMessage sent = copiesOf(20).get(0);
        assertThat(sent.getRecipients(jakarta.mail.Message.RecipientType.TO)).extracting(Object::toString)
                .containsExactly("ann@example.org");
        assertThat(sent.getRecipients(jakarta.mail.Message.RecipientType.CC)).extracting(Object::toString)
                .containsExactly("bob@example.org", "carol@example.net");

        EmailInstance toSender = instance(Map.of());
        toSender.send(reply(21, "<team.1@example.org> ann@example.org", "<team.1@example.org>", "Just you."));
        await().atMost(WAIT).until(() -> copiesOf(21).size() == 1);
        MimeMessage alone = copiesOf(21).get(0);
        assertThat(alone.getAllRecipients()).extracting(Object::toString).containsExactly("ann@example.org");
        assertThat(alone.getHeader("Cc")).isNull();
    }

    /** The copies of a reply GreenMail delivered, one per mailbox, found by the reply's Message-ID. */
    private List<MimeMessage> copiesOf(long replyId) throws jakarta.mail.MessagingException {
        List<MimeMessage> copies = new java.util.ArrayList<>();
        for (MimeMessage m : greenMail.getReceivedMessages()) {
            String id = m.getHeader("Message-ID", null);
            if (id != null && id.startsWith("<frontdoor.reply-" + replyId + ".")) {
                copies.add(m);
            }
        }
        return copies;
    }

    /** A mail whose sender failed authentication could copy anyone: a reply to it goes to its sender alone. */
    @Test
    void aReplyToAllOfAMailWithAForgedSenderCopiesNobody() throws Exception {
        conversation("<forged.1@example.org>", List.of(new Annotation("sender-unverified", "dmarc=fail", 1.0),
                new Annotation("cc", "victim@example.net", 1.0)));
        EmailInstance toAll = instance(Map.of("replyAll", true));

        toAll.send(reply(22, "<forged.1@example.org> ann@example.org", "<forged.1@example.org>", "Hello"));

        assertThat(copiesOf(22)).hasSize(1);
        assertThat(copiesOf(22).get(0).getAllRecipients()).extracting(Object::toString)
                .containsExactly("ann@example.org");
    }

    @Test
    void aReplyWithoutThreadStartsANewOne() throws Exception {
        EmailInstance instance = instance(Map.of("newThreadSubject", "Your chat with Acme"));

        instance.send(reply(8, null, null, "As promised, the details."));

        MimeMessage sent = greenMail.getReceivedMessagesForDomain("example.org")[0];
        assertThat(sent.getSubject()).isEqualTo("Your chat with Acme");
        assertThat(sent.getHeader("In-Reply-To")).isNull();
        assertThat(sent.getHeader("References")).isNull();
    }

    @Test
    void aReplyToAnAutomaticMailIsRefusedAndNotSent() throws Exception {
        conversation("<auto@example.org>", List.of(new Annotation("auto-submitted", "Auto-Submitted: auto-replied",
                1.0)));
        EmailInstance instance = instance(Map.of());

        assertThatThrownBy(() -> instance.send(reply(9, "<auto@example.org>", "<auto@example.org>", "Hi")))
                .isInstanceOf(ReplyRefusedException.class)
                .hasMessageContaining("sent by a machine (Auto-Submitted: auto-replied)");
        assertThat(greenMail.getReceivedMessagesForDomain("example.org")).isEmpty();
    }

    @Test
    void anUnreachableSmtpServerIsAPassingFailure() throws Exception {
        int closed = freePort();
        EmailInstance instance = instance(Map.of("smtpPort", closed));
        await().atMost(WAIT).until(() -> instance.health().status() == Status.UP);

        assertThatThrownBy(() -> instance.send(reply(10, null, null, "Hi")))
                .isNotInstanceOf(ReplyRefusedException.class)
                .hasMessage("could not send: the SMTP server at 127.0.0.1:" + closed + " refused the connection "
                        + "(nothing listens there): check 'smtpHost' and 'smtpPort' in "
                        + "etc/org.frontdoor.channel.email-support.cfg, and that the server runs");
        assertThat(instance.health().status()).isEqualTo(Status.DEGRADED);
    }

    @Test
    void aRecipientThatIsNoAddressIsRefusedForGood() {
        EmailInstance instance = instance(Map.of());
        OutboundReply toNobody = new OutboundReply(12, 11, "email", "support", Identity.of("webchat", "visitor 42"),
                null, null, Visibility.PRIVATE, "Hi", "jane", Instant.now(), 1);

        assertThatThrownBy(() -> instance.send(toNobody)).isInstanceOf(ReplyRefusedException.class)
                .hasMessage("the customer's address 'visitor 42' is not an e-mail address");
    }

    @Test
    void aRefusedSmtpLoginIsAPassingFailureAndAuthExpiredUntilASuccess() throws Exception {
        EmailInstance instance = instance(Map.of("smtpUsername", "support", "smtpPassword", "wrong"));
        await().atMost(WAIT).until(() -> instance.health().status() == Status.UP);

        assertThatThrownBy(() -> instance.send(reply(13, null, null, "Hi")))
                .isNotInstanceOf(ReplyRefusedException.class)
                .hasMessage("the SMTP server refused the login of support at 127.0.0.1:" + greenMail.getSmtp().getPort()
                        + ": check 'smtpPassword' (or 'password') in "
                        + "etc/org.frontdoor.channel.email-support.cfg");
        assertThat(instance.health().status()).isEqualTo(Status.AUTH_EXPIRED);
        assertThat(instance.health().reason()).doesNotContain("wrong");
    }

    @Test
    void aPermanentSmtpAnswerRefusesTheReplyWithTheServersWords() throws Exception {
        try (ScriptedSmtpPeer peer = new ScriptedSmtpPeer("550 5.1.1 <ann@example.org>: Recipient address rejected")) {
            EmailInstance instance = instance(Map.of("smtpPort", peer.port()));

            assertThatThrownBy(() -> instance.send(reply(14, null, null, "Hi")))
                    .isInstanceOf(ReplyRefusedException.class)
                    .hasMessage("the SMTP server at 127.0.0.1:" + peer.port() + " refused the reply for good: "
                            + "550 5.1.1 <ann@example.org>: Recipient address rejected");
        }
    }

    @Test
    void aPassingSmtpAnswerIsTriedAgain() throws Exception {
        try (ScriptedSmtpPeer peer = new ScriptedSmtpPeer("451 4.3.0 Temporary lookup failure")) {
            EmailInstance instance = instance(Map.of("smtpPort", peer.port()));

            assertThatThrownBy(() -> instance.send(reply(15, null, null, "Hi")))
                    .isNotInstanceOf(ReplyRefusedException.class)
                    .hasMessage("the SMTP server at 127.0.0.1:" + peer.port() + " could not take the reply now: "
                            + "451 4.3.0 Temporary lookup failure");
        }
    }

    /** Sends a sample by SMTP to the instance's listener, as the company's mail server would route it. */
    private void sendToListener(int port, String recipient, String sample) throws Exception {
        Properties p = new Properties();
        p.put("mail.smtp.host", "127.0.0.1");
        p.put("mail.smtp.port", Integer.toString(port));
        Session session = Session.getInstance(p);
        MimeMessage mail = new MimeMessage(session, new ByteArrayInputStream(MailReaderTest.sample(sample)));
        try (jakarta.mail.Transport transport = session.getTransport("smtp")) {
            transport.connect();
            transport.sendMessage(mail, new jakarta.mail.Address[]{new jakarta.mail.internet.InternetAddress(recipient)});
        }
    }

    @Test
    void theSmtpListenerAnswersOnlyOnceTheMailIsStoredAndRefusesWhatFrontdoorRefuses() throws Exception {
        int port = freePort();
        EmailInstance instance = instance(Map.of("smtpListenerPort", port));
        assertThat(instance.listenerPort()).isEqualTo(port);

        sendToListener(port, "Support@Example.com", "latin1-qp.eml");
        assertThat(stored).extracting(Message::externalId).containsExactly("<latin1-qp.1@example.es>");

        assertThatThrownBy(() -> sendToListener(port, "someone-else@example.com", "alternative.eml"))
                .isInstanceOf(jakarta.mail.SendFailedException.class)
                .hasStackTraceContaining("550 5.1.1 <someone-else@example.com>: no such mailbox here");
        assertThatThrownBy(() -> sendToListener(port, "support@example.com", "no-sender.eml"))
                .hasStackTraceContaining("554 5.6.0 the mail names no sender");
        core = m -> new IllegalStateException("ingest is full");
        assertThatThrownBy(() -> sendToListener(port, "support@example.com", "alternative.eml"))
                .hasStackTraceContaining("451 4.3.0 the mail cannot be stored now, try again later");
        assertThat(stored).hasSize(1);
    }

    @Test
    void aListenerThatCannotListenIsDownForReceivingWithTheReason() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            EmailInstance instance = instance(Map.of("smtpListenerPort", taken.getLocalPort()));

            assertThat(instance.receiving().status()).isEqualTo(Status.DOWN);
            assertThat(instance.health().status()).isEqualTo(Status.DEGRADED);
            assertThat(instance.health().reason()).startsWith("receiving: the SMTP listener cannot listen on 127.0.0.1:"
                    + taken.getLocalPort()).endsWith("change 'smtpListenerHost' or 'smtpListenerPort' in "
                    + "etc/org.frontdoor.channel.email-support.cfg");
        }
    }

    @Test
    void replyMessageIdsCannotBeGuessedAndStayTheSameUnderTheInstancesKey() throws Exception {
        // fails on main: the Message-ID was <frontdoor.reply-<id>.<instance>@domain>, guessable from the reply id
        EmailInstance instance = instance(Map.of());
        instance.send(reply(31, null, null, "One"));
        instance.deactivate();
        instances.remove(instance);
        EmailInstance restarted = instance(Map.of());
        restarted.send(reply(31, null, null, "One, again after a crash"));

        MimeMessage[] sent = greenMail.getReceivedMessagesForDomain("example.org");
        assertThat(sent).hasSize(2);
        assertThat(sent[0].getMessageID()).isNotEqualTo("<frontdoor.reply-31.support@example.com>")
                .matches("<frontdoor\\.reply-31\\.support\\.[0-9a-f]{32}@example\\.com>")
                .isEqualTo(sent[1].getMessageID());
        Path key = secrets.resolve("channel-email-support.secret");
        assertThat(java.nio.file.Files.getPosixFilePermissions(key))
                .containsExactlyInAnyOrder(java.nio.file.attribute.PosixFilePermission.OWNER_READ,
                        java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);
        assertThat(SmtpSender.messageId(31, "support", "example.com", "another key".getBytes()))
                .isNotEqualTo(sent[0].getMessageID());
        // a key set in the cfg (the same on every node) gives the same id everywhere
        assertThat(SmtpSender.messageId(31, "support", "example.com", "shared".getBytes()))
                .isEqualTo(SmtpSender.messageId(31, "support", "example.com", "shared".getBytes()));
    }

    @Test
    void aConfiguredMessageIdSecretIsUsedInsteadOfAGeneratedOne() throws Exception {
        EmailInstance instance = instance(Map.of("messageIdSecret", "shared by all nodes"));

        instance.send(reply(32, null, null, "Hi"));

        assertThat(greenMail.getReceivedMessagesForDomain("example.org")[0].getMessageID()).isEqualTo(
                SmtpSender.messageId(32, "support", "example.com",
                        "shared by all nodes".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        assertThat(secrets.resolve("channel-email-support.secret")).doesNotExist();
    }

    @Test
    void withTheImapServerDownAndSmtpWorkingTheDoorIsDegradedForReceivingAndAReplyIsSent() throws Exception {
        // fails on main: the door was DOWN (core holds a DOWN door's replies) although SMTP worked
        int closed = freePort();
        EmailInstance instance = instance(Map.of("imapPort", closed));
        await().atMost(WAIT).until(() -> instance.receiving().status() == Status.DOWN
                && instance.receiving().reason().startsWith("cannot read the mailbox"));

        assertThat(instance.health().status()).isEqualTo(Status.DEGRADED);
        assertThat(instance.health().reason()).startsWith("receiving: cannot read the mailbox at 127.0.0.1:" + closed);
        instance.send(reply(33, null, null, "Sent while the mailbox cannot be read"));

        assertThat(greenMail.getReceivedMessagesForDomain("example.org")).hasSize(1);
        assertThat(instance.health().status()).isEqualTo(Status.DEGRADED);
    }

    @Test
    void withSmtpDownTheDoorSaysSendingAndHoldsReplies() throws Exception {
        int closed = freePort();
        EmailInstance instance = instance(Map.of("smtpPort", closed));
        await().atMost(WAIT).until(() -> instance.health().status() == Status.UP);
        assertThatThrownBy(() -> instance.send(reply(34, null, null, "Hi"))).isNotInstanceOf(
                ReplyRefusedException.class);

        assertThat(instance.health().status()).isEqualTo(Status.DEGRADED);
        assertThat(instance.health().reason()).startsWith("sending: could not send: the SMTP server at "
                + "127.0.0.1:" + closed + " refused the connection");
    }

    @Test
    void theReconnectWaitStartsAt1SecondAgainAfterAGoodConnection() throws Exception {
        // fails on main: the wait was reset only when the instance stopped, so each outage began where the last ended
        int smtpPort = freePort();
        int imapPort = freePort();
        GreenMail server = fixedPorts(smtpPort, imapPort);
        EmailInstance instance = instance(Map.of("imapPort", imapPort, "smtpPort", smtpPort,
                "reconnectMaxSeconds", 4));
        try {
            await("the first outage waiting 4 s").atMost(WAIT).until(() -> instance.receiving().reason() != null
                    && instance.receiving().reason().endsWith("trying again in 4 s"));
            server.start();
            await("connected").atMost(WAIT).until(() -> instance.receiving().status() == Status.UP);

            server.stop();

            // GreenMail's connection thread throws when stopped under a client: its noise, not this test's failure
            await("the second outage").dontCatchUncaughtExceptions().atMost(WAIT).until(() -> instance.receiving().status() == Status.DOWN);
            assertThat(instance.receiving().reason()).endsWith("trying again in 1 s");
        } finally {
            server.stop();
        }
    }

    /** A server on given ports, not started: the instance finds it away, then there. */
    private static GreenMail fixedPorts(int smtpPort, int imapPort) {
        ServerSetup smtp = new ServerSetup(smtpPort, "127.0.0.1", ServerSetup.PROTOCOL_SMTP);
        ServerSetup imap = new ServerSetup(imapPort, "127.0.0.1", ServerSetup.PROTOCOL_IMAP);
        smtp.setServerStartupTimeout(30_000);
        imap.setServerStartupTimeout(30_000);
        GreenMail server = new GreenMail(new ServerSetup[]{smtp, imap});
        server.setUser("support@example.com", "support", "secret");
        return server;
    }
}
