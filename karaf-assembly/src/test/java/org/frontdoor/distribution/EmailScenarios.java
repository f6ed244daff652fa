package org.frontdoor.distribution;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.mail.internet.MimeMessage;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.frontdoor.testkit.Database;
import org.frontdoor.testkit.Distribution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The e-mail door on the built distribution: GreenMail is the mail server (IMAP and SMTP on free ports), Jakarta
 * Mail the customers' client, and the door is installed as an admin would (a cfg in etc/, feature:install).
 * Subclasses choose the database.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class EmailScenarios {

    private static final Duration DELIVERY = Duration.ofMinutes(1);
    private static final String CFG = "org.frontdoor.channel.email-support.cfg";

    private Database database;
    private MailServer mail;
    private Distribution frontdoor;

    abstract Database database() throws Exception;

    @BeforeAll
    void boot() throws Exception {
        // GreenMail's connection threads throw when the server is stopped under a connected client: that is the
        // peer's noise, not a failure of the await that happens to run meanwhile (Awaitility would report it as one)
        Awaitility.doNotCatchUncaughtExceptionsByDefault();
        database = database();
        mail = new MailServer();
        // the HTTP channel's demo instance calls back nowhere: these scenarios send it webhooks only
        frontdoor = new Distribution(getClass().getSimpleName(), database, "it-secret-" + UUID.randomUUID(),
                URI.create("http://127.0.0.1:9/callback")).start();
        frontdoor.writeEtc(CFG, mail.cfg(MailServer.PASSWORD));
        frontdoor.shell("feature:install frontdoor-channel-email");
        await("the e-mail door UP").atMost(Duration.ofMinutes(2)).until(() -> emailHealth().contains("UP"));
    }

    @AfterAll
    void shutdown() throws Exception {
        Awaitility.reset();
        try (Database db = database; MailServer m = mail; Distribution d = frontdoor) {
            if (d != null) {
                assertThat(d.log()).as("no customer text and no password in karaf.log")
                        .doesNotContain("My parcel never came").doesNotContain(MailServer.PASSWORD);
            }
        }
    }

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private String emailHealth() throws Exception {
        return frontdoor.shell("frontdoor:channel-list").lines().filter(l -> l.contains("email"))
                .findFirst().orElse("");
    }

    /** A conversation's thread key on the e-mail door: the thread's root Message-ID and the sender's address. */
    private static String thread(String root, String address) {
        return root + " " + address;
    }

    /** The e-mail conversation of a thread key, or null while there is none. */
    private JsonNode conversation(String threadRef) throws Exception {
        JsonNode page = frontdoor.get("/api/v1/conversations?channel=email&limit=500").json();
        for (JsonNode item : page.path("items")) {
            if (item.path("threadRef").asText().equals(threadRef)) {
                return frontdoor.get("/api/v1/conversations/" + item.path("id").asLong()).json();
            }
        }
        return null;
    }

    private JsonNode awaitConversation(String threadRef, int messages) {
        return await("conversation " + threadRef + " with " + messages + " message(s)").atMost(DELIVERY)
                .until(() -> conversation(threadRef), c -> c != null && c.path("messages").size() == messages);
    }

    private String queueReply(long conversationId, String text) throws Exception {
        ObjectNode body = Distribution.JSON.createObjectNode().put("text", text);
        Distribution.Response queued = frontdoor.postJson("/api/v1/conversations/" + conversationId + "/replies",
                body.toString());
        assertThat(queued.status()).as(queued.raw().body()).isEqualTo(202);
        return queued.json().path("id").asText();
    }

    private JsonNode reply(long conversationId, String replyId) throws Exception {
        for (JsonNode reply : frontdoor.get("/api/v1/conversations/" + conversationId).json().path("replies")) {
            if (reply.path("id").asText().equals(replyId)) {
                return reply;
            }
        }
        throw new AssertionError("no reply " + replyId);
    }

    /** The mail of a reply in a customer's mailbox, known by its Message-ID's visible part (the rest is a keyed tag). */
    private MimeMessage awaitMail(String customer, String replyId) {
        String prefix = "<frontdoor.reply-" + replyId + ".support.";
        return await("the reply in " + customer + "'s mailbox").atMost(DELIVERY).until(() -> mail.receivedBy(customer)
                .stream().filter(m -> messageId(m).startsWith(prefix) && messageId(m).endsWith("@example.com>"))
                .findFirst().orElse(null), m -> m != null);
    }

    private static String messageId(MimeMessage mail) {
        try {
            return mail.getMessageID();
        } catch (jakarta.mail.MessagingException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    @Order(0)
    void installingTheDoorLogsNoErrorAndNoStackTrace() throws Exception {
        assertThat(frontdoor.logProblems()).as("ERROR lines and stack traces in karaf.log").isEmpty();
        assertThat(frontdoor.shell("bundle:list -s")).contains("org.frontdoor.channel.email").contains("org.jsoup");
    }

    @Test
    @Order(1)
    void aMailBecomesAConversationTheReplyArrivesThreadedAndTheAnswerJoins() throws Exception {
        String customer = unique("ann") + "@customer.example";
        String first = "<" + unique("first") + "@customer.example>";
        mail.sendBySmtp(MailServer.mail(first, "Ann Angry <" + customer + ">", "Where is my order?",
                "My parcel never came."));

        JsonNode detail = awaitConversation(thread(first, customer), 1);
        long conversationId = detail.path("summary").path("id").asLong();
        JsonNode message = detail.path("messages").get(0);
        assertThat(message.path("text").asText()).isEqualTo("My parcel never came.");
        assertThat(message.path("authorHandle").asText()).isEqualTo(customer);
        assertThat(message.path("authorName").asText()).isEqualTo("Ann Angry");
        assertThat(message.path("externalId").asText()).isEqualTo(first);
        assertThat(message.path("annotations").toString()).contains("subject").contains("Where is my order?");

        String replyId = queueReply(conversationId, "It left our warehouse today.");

        MimeMessage sent = awaitMail(customer, replyId);
        String ourId = sent.getMessageID();
        assertThat(ourId).as("no longer guessable from the reply id").matches("<frontdoor\\.reply-" + replyId
                + "\\.support\\.[0-9a-f]{32}@example\\.com>");
        assertThat(sent.getHeader("In-Reply-To", null)).isEqualTo(first);
        assertThat(sent.getHeader("References", null)).isEqualTo(first);
        assertThat(sent.getSubject()).isEqualTo("Re: Where is my order?");
        assertThat(((String) sent.getContent()).strip()).isEqualTo("It left our warehouse today.");
        await("the reply SENT").atMost(DELIVERY).until(() -> reply(conversationId, replyId).path("status").asText()
                .equals("SENT"));

        MimeMessage answer = MailServer.mail("<" + unique("answer") + "@customer.example>",
                "Ann Angry <" + customer + ">", "Re: Where is my order?",
                "Thanks, it arrived.\n\nOn Mon, Acme Support wrote:\n> It left our warehouse today.");
        answer.setHeader("In-Reply-To", ourId);
        answer.setHeader("References", first + " " + ourId);
        mail.sendBySmtp(answer);

        JsonNode joined = awaitConversation(thread(first, customer), 2);
        assertThat(joined.path("summary").path("id").asLong()).isEqualTo(conversationId);
        assertThat(joined.path("messages").get(1).path("text").asText()).isEqualTo("Thanks, it arrived.");
    }

    @Test
    @Order(2)
    void theSameMessageIdDeliveredTwiceIsStoredOnce() throws Exception {
        String customer = unique("bob") + "@customer.example";
        String id = "<" + unique("twice") + "@customer.example>";
        mail.deliver(MailServer.mail(id, customer, "Twice", "Sent twice by a confused server"));
        mail.deliver(MailServer.mail(id, customer, "Twice", "Sent twice by a confused server"));
        String marker = "<" + unique("after") + "@customer.example>";
        String cy = unique("cy") + "@customer.example";
        mail.deliver(MailServer.mail(marker, cy, "After", "Taken in after both"));

        awaitConversation(thread(marker, cy), 1);
        await("all three taken in").atMost(DELIVERY).until(() -> mail.unseen() == 0);

        JsonNode detail = conversation(thread(id, customer));
        assertThat(detail.path("messages").size()).isEqualTo(1);
        assertThat(detail.path("summary").path("messageCount").asInt()).isEqualTo(1);
    }

    @Test
    @Order(3)
    void anAutoReplyIsStoredFlaggedAndAReplyToItIsRefusedNotSent() throws Exception {
        String customer = unique("away") + "@customer.example";
        String id = "<" + unique("ooo") + "@customer.example>";
        MimeMessage outOfOffice = MailServer.mail(id, customer, "Automatic reply: Your request",
                "I am out of the office until Monday.");
        outOfOffice.setHeader("Auto-Submitted", "auto-replied");
        mail.sendBySmtp(outOfOffice);

        JsonNode detail = awaitConversation(thread(id, customer), 1);
        assertThat(detail.path("messages").get(0).path("annotations").toString()).contains("auto-submitted")
                .contains("Auto-Submitted: auto-replied");
        long conversationId = detail.path("summary").path("id").asLong();

        String replyId = queueReply(conversationId, "Thanks for letting us know");

        JsonNode refused = await("the reply refused").atMost(DELIVERY).until(() -> reply(conversationId, replyId),
                r -> r.path("status").asText().equals("FAILED"));
        assertThat(refused.path("lastError").asText()).contains("sent by a machine");
        assertThat(mail.receivedBy(customer)).isEmpty();
    }

    @Test
    @Order(4)
    void mailDeliveredWhileTheImapServerIsDownIsAllTakenInOnce() throws Exception {
        String root = "<" + unique("bulk-root") + "@customer.example>";
        String customer = unique("bulk") + "@customer.example";
        mail.stop();
        Set<String> ids = new HashSet<>();
        try {
            await("the door DEGRADED for receiving, naming the server").atMost(DELIVERY).until(() -> {
                String line = emailHealth();
                return line.contains("DEGRADED") && line.contains("receiving: cannot read the mailbox at 127.0.0.1:"
                        + mail.imapPort());
            });
            mail.prepareRestart();
            for (int i = 0; i < 50; i++) {
                String id = i == 0 ? root : "<" + unique("bulk-" + i) + "@customer.example>";
                ids.add(id);
                MimeMessage m = MailServer.mail(id, customer, "Bulk " + i, "Mail number " + i);
                if (i > 0) {
                    m.setHeader("References", root);
                }
                mail.deliver(m);
            }
        } finally {
            // whatever happened above, the scenarios after this one have their mail server back
            mail.start();
        }

        JsonNode detail = await("all 50 taken in").atMost(Duration.ofMinutes(2))
                .until(() -> conversation(thread(root, customer)), c -> c != null && c.path("messages").size() >= 50);
        List<String> stored = new ArrayList<>();
        detail.path("messages").forEach(m -> stored.add(m.path("externalId").asText()));
        assertThat(stored).hasSize(50).doesNotHaveDuplicates();
        assertThat(new HashSet<>(stored)).isEqualTo(ids);
        await("the door UP again").atMost(DELIVERY).until(() -> emailHealth().contains("UP"));
    }

    @Test
    @Order(5)
    void aWrongPasswordIsShownPerDirectionAndAReplyQueuedMeanwhileGoesOutOnceFixed() throws Exception {
        String customer = unique("dora") + "@customer.example";
        String first = "<" + unique("dora") + "@customer.example>";
        mail.sendBySmtp(MailServer.mail(first, customer, "Password", "Please call me"));
        long conversationId = awaitConversation(thread(first, customer), 1).path("summary").path("id").asLong();

        frontdoor.writeEtc(CFG, mail.cfg("not-the-password"));
        // reading is refused, sending is not known to fail yet: DEGRADED, so replies are not held for IMAP
        await("receiving refused").atMost(DELIVERY).until(() -> emailHealth().contains("DEGRADED")
                && emailHealth().contains("receiving: the IMAP server refused the login of support"));
        // channel-list shows a reason's first 200 characters; REST has it whole (below)
        assertThat(frontdoor.shell("frontdoor:channel-list")).contains("check 'password'")
                .doesNotContain("not-the-password");
        String replyId = queueReply(conversationId, "We will call you");
        // the SMTP server refuses the same password: now sending is down, and core holds the reply
        await("AUTH_EXPIRED for sending").atMost(DELIVERY).until(() -> emailHealth().contains("AUTH_EXPIRED"));
        JsonNode email = null;
        for (JsonNode door : frontdoor.get("/api/v1/channels").json()) {
            if ("email".equals(door.path("channel").asText())) {
                email = door;
            }
        }
        assertThat(email).isNotNull();
        assertThat(email.path("status").asText()).isEqualTo("AUTH_EXPIRED");
        assertThat(email.path("reason").asText()).startsWith("sending: the SMTP server refused the login of support")
                .contains("; receiving: the IMAP server refused the login of support").contains("check 'password'")
                .contains("org.frontdoor.channel.email-support.cfg").doesNotContain("not-the-password");
        assertThat(reply(conversationId, replyId).path("status").asText()).isNotEqualTo("SENT");

        frontdoor.writeEtc(CFG, mail.cfg(MailServer.PASSWORD));

        awaitMail(customer, replyId);
        await("UP").atMost(DELIVERY).until(() -> emailHealth().contains("UP"));
        await("SENT").atMost(DELIVERY).until(() -> reply(conversationId, replyId).path("status").asText()
                .equals("SENT"));
    }

    @Test
    @Order(6)
    void theFeatureLeavesAndComesBackWhileTheHttpChannelTakesMessagesAndAWaitingReplyGoesOut() throws Exception {
        String customer = unique("eve") + "@customer.example";
        String first = "<" + unique("eve") + "@customer.example>";
        mail.sendBySmtp(MailServer.mail(first, customer, "Redeploy", "Still waiting"));
        long conversationId = awaitConversation(thread(first, customer), 1).path("summary").path("id").asLong();

        frontdoor.shell("feature:uninstall frontdoor-channel-email");
        await("the door gone").atMost(DELIVERY).until(() -> emailHealth().isEmpty());
        String replyId = queueReply(conversationId, "Sorry for the wait");
        List<Integer> webhooks = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ObjectNode body = Distribution.JSON.createObjectNode().put("id", unique("m")).put("text", "Hello " + i);
            body.putObject("from").put("id", "web-visitor").put("name", "Web Visitor");
            webhooks.add(frontdoor.postSigned(body.toString()).status());
        }
        assertThat(reply(conversationId, replyId).path("status").asText()).isEqualTo("QUEUED");

        frontdoor.shell("feature:install frontdoor-channel-email");

        awaitMail(customer, replyId);
        await("SENT").atMost(DELIVERY).until(() -> reply(conversationId, replyId).path("status").asText()
                .equals("SENT"));
        assertThat(webhooks).allMatch(status -> status == 202);
        assertThat(mail.receivedBy(customer)).hasSize(1);
    }

    @Test
    @Order(7)
    void mailRoutedStraightInByTheSmtpListenerBecomesAConversation() throws Exception {
        int port = MailServer.freePort();
        String cfg = "org.frontdoor.channel.email-routed.cfg";
        // a second mailbox on the same server, and a listener for mail the company's server routes to it
        frontdoor.writeEtc(cfg, mail.cfg(MailServer.PASSWORD).replace("fromAddress = " + MailServer.MAILBOX,
                "fromAddress = routed@example.com").replace("username = " + MailServer.LOGIN, "username = routed")
                + "smtpListenerPort = " + port + "\n");
        try {
            await("the listener").atMost(DELIVERY).until(() -> frontdoor.shell("frontdoor:channel-list")
                    .contains("routed"));
            String id = "<" + unique("routed") + "@customer.example>";
            MimeMessage routed = MailServer.mail(id, "Fay <fay@customer.example>", "Routed", "Sent by our MX");
            routed.setRecipients(jakarta.mail.Message.RecipientType.TO, "routed@example.com");
            routed.saveChanges();
            await("the listener answering").atMost(DELIVERY).ignoreExceptions().until(() -> {
                MailServer.sendBySmtp(routed, port);
                return true;
            });

            JsonNode detail = awaitConversation(thread(id, "fay@customer.example"), 1);
            assertThat(detail.path("summary").path("instance").asText()).isEqualTo("routed");
            assertThat(detail.path("messages").get(0).path("text").asText()).isEqualTo("Sent by our MX");
        } finally {
            java.nio.file.Files.deleteIfExists(frontdoor.etc().resolve(cfg));
        }
        await("the instance removed").atMost(DELIVERY).until(() -> !frontdoor.shell("frontdoor:channel-list")
                .contains("routed"));
    }

    @Test
    @Order(8)
    void aStrangerNamingSomeoneElsesThreadGetsAConversationOfItsOwnAndTheNextReplyGoesToTheCustomerOnly()
            throws Exception {
        // fails on main: the stranger's mail joined the victim's conversation and the next reply went to the stranger
        String victim = unique("gil") + "@customer.example";
        String stranger = unique("mallory") + "@elsewhere.example";
        String first = "<" + unique("gil") + "@customer.example>";
        mail.sendBySmtp(MailServer.mail(first, "Gil <" + victim + ">", "My account", "Please change my address."));
        long conversationId = awaitConversation(thread(first, victim), 1).path("summary").path("id").asLong();
        String firstReply = queueReply(conversationId, "Which address?");
        String ourId = awaitMail(victim, firstReply).getMessageID();

        MimeMessage intrusion = MailServer.mail("<" + unique("intrusion") + "@elsewhere.example>",
                "Gil <" + stranger + ">", "Re: My account", "Send the new card to 1 Other Street.");
        intrusion.setHeader("In-Reply-To", ourId);
        intrusion.setHeader("References", first + " " + ourId);
        mail.sendBySmtp(intrusion);

        JsonNode own = awaitConversation(thread(first, stranger), 1);
        assertThat(own.path("summary").path("id").asLong()).isNotEqualTo(conversationId);
        assertThat(conversation(thread(first, victim)).path("messages").size()).isEqualTo(1);
        String next = queueReply(conversationId, "Your card goes to the address we have on file.");
        MimeMessage sent = awaitMail(victim, next);
        assertThat(sent.getHeader("References", null)).isEqualTo(first);
        assertThat(mail.receivedBy(stranger)).isEmpty();
    }

    @Test
    @Order(9)
    void aSenderTheReceivingServerFoundForgedIsShownToAgentsAndKeptApart() throws Exception {
        String owner = unique("hal") + "@customer.example";
        String id = "<" + unique("forged") + "@elsewhere.example>";
        MimeMessage forged = MailServer.mail(id, "Hal <" + owner + ">", "Urgent", "Wire the refund to my new account.");
        // one by another server (the sender may write any) is not believed; the one by the trusted authserv-id is
        forged.addHeader("Authentication-Results", "other.example; dmarc=pass");
        forged.addHeader("Authentication-Results", MailServer.AUTHSERV_ID + "; spf=fail smtp.mailfrom=customer.example;"
                + " dkim=none; dmarc=fail header.from=customer.example");
        mail.sendBySmtp(forged);

        JsonNode detail = awaitConversation(thread(id, owner) + " unverified", 1);
        String annotations = detail.path("messages").get(0).path("annotations").toString();
        assertThat(annotations).contains("sender-authentication").contains("spf=fail dkim=none dmarc=fail (by "
                + MailServer.AUTHSERV_ID + ")").contains("sender-unverified")
                .contains("the From address is not proven to be the sender's");
    }

    @Test
    @Order(10)
    void withImapDownAndSmtpWorkingAReplyIsSentAndTheDoorSaysReceivingIsDown() throws Exception {
        // fails on main: an IMAP outage made the door DOWN, and core held its replies although SMTP worked
        String customer = unique("ida") + "@customer.example";
        String first = "<" + unique("ida") + "@customer.example>";
        mail.sendBySmtp(MailServer.mail(first, customer, "Still there?", "Please answer"));
        long conversationId = awaitConversation(thread(first, customer), 1).path("summary").path("id").asLong();

        mail.stopImap();
        try {
            await("DEGRADED for receiving").atMost(DELIVERY).until(() -> emailHealth().contains("DEGRADED")
                    && emailHealth().contains("receiving: cannot read the mailbox"));
            String replyId = queueReply(conversationId, "Yes, we are.");

            awaitMail(customer, replyId);
            await("SENT").atMost(DELIVERY).until(() -> reply(conversationId, replyId).path("status").asText()
                    .equals("SENT"));
            assertThat(emailHealth()).contains("DEGRADED").contains("receiving:");
        } finally {
            mail.stop();
            mail.prepareRestart();
            mail.start();
        }
        await("the door UP again").atMost(DELIVERY).until(() -> emailHealth().contains("UP"));
    }
}
