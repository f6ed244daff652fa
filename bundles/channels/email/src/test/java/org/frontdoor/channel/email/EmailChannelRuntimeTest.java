package org.frontdoor.channel.email;

import java.io.ByteArrayInputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import org.apache.camel.AsyncCallback;
import org.apache.camel.Consumer;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultAsyncProducer;
import org.apache.camel.support.DefaultComponent;
import org.apache.camel.support.DefaultConsumer;
import org.apache.camel.support.DefaultEndpoint;
import org.frontdoor.api.Frontdoor;
import org.frontdoor.api.Identity;
import org.frontdoor.api.IngestReceipt;
import org.frontdoor.api.Message;
import org.frontdoor.api.OutboundReply;
import org.frontdoor.api.Visibility;
import org.frontdoor.testkit.MemoryBlobs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The channel's CamelContext with a mailbox instance wired as in the distribution, against a stand-in for core's
 * {@code frontdoor:} component (it stores a message from another thread, and hands replies to the outbound route)
 * and GreenMail.
 */
class EmailChannelRuntimeTest {

    private final StandInCore core = new StandInCore();
    private GreenMail greenMail;
    private com.icegreen.greenmail.user.GreenMailUser support;
    private EmailChannelRuntime runtime;
    private EmailInstance instance;
    @TempDir
    java.nio.file.Path secrets;

    @BeforeEach
    void start() throws Exception {
        greenMail = new GreenMail(new ServerSetup[]{EmailInstanceTest.setup(ServerSetup.PROTOCOL_SMTP),
                EmailInstanceTest.setup(ServerSetup.PROTOCOL_IMAP)});
        greenMail.start();
        support = greenMail.setUser("support@example.com", "support", "secret");
        DefaultCamelContext camel = new DefaultCamelContext();
        camel.addComponent(Frontdoor.SCHEME, core);
        runtime = new EmailChannelRuntime(camel);
        Map<String, Object> values = new HashMap<>(Map.of("imapHost", "127.0.0.1",
                "imapPort", greenMail.getImap().getPort(), "imapSecurity", "none", "username", "support",
                "password", "secret", "smtpPort", greenMail.getSmtp().getPort(), "smtpSecurity", "none",
                "fromAddress", "support@example.com"));
        values.put("pollSeconds", 1);
        instance = new EmailInstance(null, Fixtures.config(values), Fixtures.pid("support"), runtime::ingest,
                new MemoryBlobs(), new Fixtures.Conversations().inbox(), Clock.systemUTC(), secrets);
        runtime.addInstance(instance);
    }

    @AfterEach
    void stop() throws Exception {
        runtime.removeInstance(instance);
        instance.deactivate();
        runtime.deactivate();
        greenMail.stop();
    }

    /** Like core: inbound stores on another thread and calls back; outbound's consumer is the route's entry. */
    private static final class StandInCore extends DefaultComponent {
        final List<Message> stored = new CopyOnWriteArrayList<>();
        volatile Processor outbound;

        @Override
        protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) {
            parameters.clear();
            return new DefaultEndpoint(uri, this) {
                @Override
                public Producer createProducer() {
                    return new DefaultAsyncProducer(this) {
                        @Override
                        public boolean process(Exchange exchange, AsyncCallback callback) {
                            new Thread(() -> {
                                stored.add(exchange.getIn().getBody(Message.class));
                                exchange.getMessage().setBody(new IngestReceipt(stored.size(), 1, 1, false));
                                callback.done(false);
                            }, "core-acknowledging").start();
                            return false;
                        }
                    };
                }

                @Override
                public Consumer createConsumer(Processor processor) {
                    outbound = processor;
                    return new DefaultConsumer(this, processor);
                }
            };
        }
    }

    @Test
    void mailInTheMailboxGoesToFrontdoorInboundAndIsMarkedSeen() throws Exception {
        support.deliver(new MimeMessage(
                Session.getInstance(new Properties()), new ByteArrayInputStream(MailReaderTest.sample("latin1-qp.eml"))));

        await().atMost(Duration.ofSeconds(30)).until(() -> core.stored.size() == 1);
        assertThat(core.stored.get(0).externalId()).isEqualTo("<latin1-qp.1@example.es>");
        await().atMost(Duration.ofSeconds(30)).until(() -> greenMail.getReceivedMessages()[0]
                .isSet(jakarta.mail.Flags.Flag.SEEN));
    }

    @Test
    void aReplyFromTheOutboundRouteIsSentThroughItsInstance() throws Exception {
        OutboundReply reply = new OutboundReply(21, 3, "email", "support",
                new Identity("email", "ann@example.org", "Ann", "ann@example.org", null, 0), null, null,
                Visibility.PRIVATE, "Hello from the route", "jane", Instant.now(), 1);
        Exchange exchange = runtime.camel().getEndpoint(Frontdoor.outbound("email")).createExchange();
        exchange.getIn().setBody(reply);

        core.outbound.process(exchange);

        assertThat(exchange.getException()).isNull();
        assertThat(greenMail.getReceivedMessagesForDomain("example.org")).singleElement()
                .satisfies(m -> assertThat(m.getMessageID()).matches("<frontdoor\\.reply-21\\.support\\.[0-9a-f]{32}"
                        + "@example\\.com>"));
    }

    @Test
    void aReplyForAnInstanceThatIsNotConfiguredFailsForLater() throws Exception {
        OutboundReply reply = new OutboundReply(22, 3, "email", "sales", Identity.of("email", "ann@example.org"),
                null, null, Visibility.PRIVATE, "Hello", "jane", Instant.now(), 1);
        Exchange exchange = runtime.camel().getEndpoint(Frontdoor.outbound("email")).createExchange();
        exchange.getIn().setBody(reply);

        core.outbound.process(exchange);

        assertThat(exchange.getException()).isInstanceOf(IllegalStateException.class)
                .hasMessage("the e-mail channel instance sales is not configured "
                        + "(no etc/org.frontdoor.channel.email-sales.cfg)");
    }
}
