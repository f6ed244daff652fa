package org.frontdoor.integration.digest;

import java.lang.reflect.Proxy;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;

import org.apache.camel.impl.DefaultCamelContext;
import org.frontdoor.api.ConversationEvent.Type;
import org.frontdoor.api.Frontdoor;
import org.frontdoor.api.inbox.ConversationQuery;
import org.frontdoor.api.inbox.ConversationStatus;
import org.frontdoor.api.inbox.ConversationSummary;
import org.frontdoor.api.inbox.Inbox;
import org.frontdoor.api.inbox.Page;
import org.frontdoor.testkit.Configs;
import org.frontdoor.testkit.StandInEvents;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

/** The digest against GreenMail as its SMTP server, with conversations as the inbox lists them. */
class DigestIntegrationTest {

    private static final String CONSUMER = "integration.digest-sales";

    private final StandInEvents events = new StandInEvents();
    private final List<ConversationSummary> conversations = new CopyOnWriteArrayList<>();
    private final List<ConversationQuery> asked = new CopyOnWriteArrayList<>();
    private final List<DigestIntegration> running = new ArrayList<>();
    private GreenMail smtp;

    private final Inbox inbox = (Inbox) Proxy.newProxyInstance(Inbox.class.getClassLoader(),
            new Class<?>[] {Inbox.class}, (proxy, method, args) -> {
                if (method.getName().equals("conversations")) {
                    ConversationQuery q = (ConversationQuery) args[1];
                    asked.add(q);
                    List<ConversationSummary> match = conversations.stream()
                            .filter(c -> c.status() == q.status() && c.department().equals(q.department())).toList();
                    return new Page<>(match, match.size(), 0, q.limit());
                }
                throw new UnsupportedOperationException(method.getName());
            });

    @BeforeEach
    void startMailServer() {
        ServerSetup setup = new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP).dynamicPort();
        setup.setServerStartupTimeout(30_000);
        smtp = new GreenMail(setup);
        smtp.start();
        smtp.setUser("digest@example.com", "digest", "mail-pass");
    }

    @AfterEach
    void stop() throws Exception {
        for (DigestIntegration d : running) {
            d.deactivate();
        }
        smtp.stop();
    }

    private DigestIntegration start(Map<String, Object> settings) throws Exception {
        Map<String, Object> values = new HashMap<>(Map.of("department", "sales", "to", "lead@example.com, boss@example.com",
                "from", "digest@example.com", "smtpHost", "127.0.0.1", "smtpPort", smtp.getSmtp().getPort(),
                "smtpSecurity", "none", "smtpUsername", "digest", "smtpPasswordEnv", "DIGEST_PASS",
                "start", "beginning"));
        values.putAll(settings);
        DefaultCamelContext camel = new DefaultCamelContext();
        camel.addComponent(Frontdoor.SCHEME, events);
        DigestIntegration d = new DigestIntegration(null, Configs.of(DigestConfig.class, values),
                Map.of("felix.fileinstall.filename", "/etc/org.frontdoor.integration.digest-sales.cfg"), camel, inbox,
                Map.of("DIGEST_PASS", "mail-pass")::get, Clock.systemUTC(), false);
        running.add(d);
        return d;
    }

    private static ConversationSummary conversation(long id, ConversationStatus status, String name, String preview) {
        return new ConversationSummary(id, id, name, "email", "sales", null, "sales", status,
                status == ConversationStatus.ASSIGNED ? "bob" : null, 0, preview, 1,
                Instant.parse("2026-12-06T09:00:00Z"), Instant.parse("2026-12-06T10:00:00Z"));
    }

    @Test
    void mailsTheUnresolvedConversationsMarkingTheNewOnes() throws Exception {
        conversations.add(conversation(1, ConversationStatus.ASSIGNED, "Ada", "old question"));
        conversations.add(conversation(2, ConversationStatus.QUEUED, "Bo\r\nBcc: x@evil.example", "line one\nNEW #99 fake"));
        DigestIntegration d = start(Map.of());
        events.append(Type.ROUTED, 2, "sales", null, null);
        events.append(Type.ROUTED, 3, "billing", null, null);
        await().until(() -> events.position(CONSUMER) == 2);

        assertThat(d.sendNow()).isTrue();
        MimeMessage[] got = smtp.getReceivedMessages();
        assertThat(got).hasSize(2); // one per recipient
        MimeMessage mail = got[0];
        assertThat(mail.getSubject()).isEqualTo("[Frontdoor] sales: 2 unresolved, 1 new");
        assertThat(mail.getHeader("X-Frontdoor-Delivery")[0]).startsWith(CONSUMER + ":");
        assertThat(mail.getHeader("Bcc")).isNull();
        String body = GreenMailUtil.getBody(mail).replace("\r\n", "\n");
        assertThat(body).contains("    #1  Ada  assigned (bob)  last activity 2026-12-06 10:00 UTC\n        old question\n");
        // a customer's line breaks cannot add a line of their own to the digest
        assertThat(body).contains("NEW #2  Bo Bcc: x@evil.example  queued  last activity 2026-12-06 10:00 UTC\n"
                + "        line one NEW #99 fake");
        assertThat(asked).allSatisfy(q -> assertThat(q.department()).isEqualTo("sales"));
        assertThat(d.status().info().delivered()).isEqualTo(1);

        // once named, a conversation is not new in the next digest
        assertThat(d.sendNow()).isTrue();
        List<String> subjects = new ArrayList<>();
        for (MimeMessage m : smtp.getReceivedMessages()) {
            subjects.add(m.getSubject());
        }
        assertThat(subjects).containsExactlyInAnyOrder("[Frontdoor] sales: 2 unresolved, 1 new",
                "[Frontdoor] sales: 2 unresolved, 1 new", "[Frontdoor] sales: 2 unresolved, 0 new",
                "[Frontdoor] sales: 2 unresolved, 0 new");
    }

    @Test
    void nothingUnresolvedNoMail() throws Exception {
        DigestIntegration d = start(Map.of());
        assertThat(d.sendNow()).isFalse();
        assertThat(smtp.getReceivedMessages()).isEmpty();
    }

    @Test
    void aDigestTheServerRefusedIsShownAndTheNextListsWhatIsTrueThen() throws Exception {
        conversations.add(conversation(5, ConversationStatus.QUEUED, "Cy", "hello"));
        DigestIntegration d = start(Map.of("smtpPasswordEnv", "", "smtpPassword", "wrong"));
        events.append(Type.ROUTED, 5, "sales", null, null);
        await().until(() -> events.position(CONSUMER) == 1);

        Throwable refused = catchThrowable(d::sendNow);
        assertThat(refused).isInstanceOf(MessagingException.class).hasMessageContaining("refused the login of digest")
                .hasMessageNotContaining("wrong");
        assertThat(d.status().info().lastError()).contains("refused the login");
        assertThat(smtp.getReceivedMessages()).isEmpty();
        running.remove(d);
        d.deactivate();

        DigestIntegration fixed = start(Map.of());
        events.append(Type.TRANSFERRED, 6, "sales", "billing", null);
        conversations.add(conversation(6, ConversationStatus.QUEUED, "Di", "moved here"));
        await().until(() -> events.position(CONSUMER) == 2);
        assertThat(fixed.sendNow()).isTrue();
        // the new instance heard only of 6 (the consumer had taken 5 already): a digest is a snapshot, 5 is listed
        assertThat(smtp.getReceivedMessages()[0].getSubject()).isEqualTo("[Frontdoor] sales: 2 unresolved, 1 new");
    }

    @Test
    void aDigestNeedsADepartmentAndAddresses() throws Exception {
        DigestIntegration d = start(Map.of("department", ""));
        assertThat(d.status().info().lastError()).isEqualTo("no department: a digest is about one department; set it "
                + "in /etc/org.frontdoor.integration.digest-sales.cfg");
        DigestIntegration e = start(Map.of("to", "not an address"));
        assertThat(e.status().info().lastError()).startsWith("from and to must be e-mail addresses");
    }
}
