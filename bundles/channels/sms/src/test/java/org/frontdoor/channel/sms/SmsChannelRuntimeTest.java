package org.frontdoor.channel.sms;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.frontdoor.api.Frontdoor;
import org.frontdoor.api.Identity;
import org.frontdoor.api.IngestReceipt;
import org.frontdoor.api.Message;
import org.frontdoor.api.OutboundReply;
import org.frontdoor.api.ReplyRefusedException;
import org.frontdoor.api.Visibility;
import org.frontdoor.plugin.http.JsonWebhook.Result;
import org.frontdoor.testkit.TwilioPeer;
import org.frontdoor.testkit.StandInInbound;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The SMS door's CamelContext against a stand-in for core's {@code frontdoor:} component that answers later. */
class SmsChannelRuntimeTest {

    private static final String URL = "https://crm.example.com/webhooks/sms/shop";

    @TempDir
    Path data;

    private final StandInInbound core = new StandInInbound();
    private DefaultCamelContext camel;
    private SmsChannelRuntime runtime;
    private TwilioPeer peer;

    @BeforeEach
    void start() throws Exception {
        camel = new DefaultCamelContext();
        camel.addComponent(Frontdoor.SCHEME, core);
        runtime = new SmsChannelRuntime(camel, receipt -> org.frontdoor.api.delivery.ReceiptOutcome.KEPT);
        peer = new TwilioPeer(Instances.ACCOUNT, Instances.TOKEN);
    }

    @AfterEach
    void stop() throws Exception {
        runtime.deactivate();
        peer.close();
    }

    @Test
    void aSignedTextIsAnsweredWithTwimlOnlyOnceCoreHasStoredIt() throws Exception {
        SmsInstance shop = Instances.instance("shop", peer.baseUrl(), data, Map.of("publicUrl", URL));
        runtime.addInstance(shop);
        SmsWebhookHandler handler = new SmsWebhookHandler(runtime::instance, name -> false, runtime::ingest);
        List<Map.Entry<String, String>> text = SmsWebhookHandlerTest.documentedText("SMheld", "STOP");
        String signature = TwilioSignature.sign(Instances.TOKEN.getBytes(StandardCharsets.UTF_8), URL, text);

        CompletableFuture<Result> answer = handler.handle("shop", URL, null,
                h -> h.equals(SmsWebhookHandler.SIGNATURE) ? signature : "application/x-www-form-urlencoded",
                SmsWebhookHandlerTest.encode(text)).toCompletableFuture();
        assertThat(answer).isNotDone();
        assertThat(shop.consent().refusal("+14155552671")).isEmpty(); // not before core stored it
        assertThat(core.held().get(0).exchange().getMessage().getBody(Message.class).externalId()).isEqualTo("SMheld");
        core.held().get(0).store(new IngestReceipt(1, 2, 3, false));

        assertThat(answer.join().status()).isEqualTo(200);
        assertThat(answer.join().body()).contains("<Response/>");
        assertThat(shop.consent().refusal("+14155552671")).isPresent();
        shop.deactivate();
    }

    @Test
    void aReplyFromCoresOutboxLeavesThroughTheMessagesApiAndARefusalComesBackAsSuch() throws Exception {
        SmsInstance shop = Instances.instance("shop", peer.baseUrl(), data, Map.of("maxSegments", 1));
        runtime.addInstance(shop);
        // core's delivery worker hands each reply to the route's consumer: so does the test
        org.apache.camel.Route route = camel.getRoute("channel-sms-outbound");
        OutboundReply reply = new OutboundReply(1, 2, "sms", "shop",
                new Identity("sms", "+14155552671", null, null, "+14155552671", 0), null, "SM1", Visibility.PRIVATE,
                "Your parcel arrives tomorrow", "agent", Instant.now(), 1);
        Exchange sent = route.getEndpoint().createExchange();
        sent.getIn().setBody(reply);
        route.getConsumer().getProcessor().process(sent);
        assertThat(sent.getException()).isNull();
        assertThat(TwilioPeer.form(peer.accepted().get(0))).containsEntry("Body", "Your parcel arrives tomorrow");
        assertThat(sent.getMessage().getHeader(org.frontdoor.api.delivery.DeliveryReceipts.HEADER_VENDOR_ID))
                .as("the message's sid goes back to core with the sent reply").asString().startsWith("SM").hasSize(34);

        Exchange tooLong = route.getEndpoint().createExchange();
        tooLong.getIn().setBody(new OutboundReply(2, 2, "sms", "shop", reply.recipient(), null, null,
                Visibility.PRIVATE, "a".repeat(200), "agent", Instant.now(), 1));
        route.getConsumer().getProcessor().process(tooLong);
        assertThat(tooLong.getException()).isInstanceOf(ReplyRefusedException.class)
                .hasMessageContaining("cut at least 40 characters");
        assertThat(peer.received()).hasSize(1);
        shop.deactivate();
    }
}
