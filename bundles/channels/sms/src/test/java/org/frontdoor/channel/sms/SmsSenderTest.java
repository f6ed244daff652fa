package org.frontdoor.channel.sms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import org.frontdoor.api.ChannelHealth.Status;
import org.frontdoor.api.Identity;
import org.frontdoor.api.OutboundReply;
import org.frontdoor.api.RateLimitedException;
import org.frontdoor.api.ReplyRefusedException;
import org.frontdoor.api.Visibility;
import org.frontdoor.testkit.TwilioPeer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Replies against a local Messages API that checks each request and answers as Twilio does. */
class SmsSenderTest {

    @TempDir
    Path data;

    private TwilioPeer peer;
    private final Map<String, SmsInstance> instances = new HashMap<>();
    private SmsSender sender;

    @BeforeEach
    void start() throws Exception {
        peer = new TwilioPeer(Instances.ACCOUNT, Instances.TOKEN);
        instances.put("shop", Instances.instance("shop", peer.baseUrl(), data, Map.of("maxSegments", 3)));
        sender = new SmsSender(instances::get);
    }

    @AfterEach
    void stop() {
        instances.values().forEach(SmsInstance::deactivate);
        peer.close();
        assertThat(peer.rejections()).isEmpty();
    }

    private static OutboundReply reply(long id, String to, String text) {
        return new OutboundReply(id, 9, "sms", "shop", new Identity("sms", to, null, null, to, 0), null, "SM1",
                Visibility.PRIVATE, text, "agent", Instant.now(), 1);
    }

    @Test
    void aReplyIsOneMessagesApiCallFromTheNumberWithBasicAuth() throws Exception {
        String sid = sender.send(reply(1, "+14155552671", "<b>Sorry</b>, your parcel left today"));
        assertThat(sid).startsWith("SM").hasSize(34);
        assertThat(peer.accepted()).hasSize(1);
        Map<String, String> form = TwilioPeer.form(peer.accepted().get(0));
        assertThat(form).containsEntry("To", "+14155552671").containsEntry("From", "+15005550006")
                .containsEntry("Body", "<b>Sorry</b>, your parcel left today").doesNotContainKey("MessagingServiceSid")
                .as("no publicUrl: the provider could not reach a status callback").doesNotContainKey("StatusCallback");
        assertThat(instances.get("shop").health().status()).isEqualTo(Status.UP);
    }

    @Test
    void withAPublicUrlTheProviderIsToldWhereToPostTheReplysStatus() throws Exception {
        instances.put("shop", Instances.instance("shop", peer.baseUrl(), data,
                Map.of("publicUrl", "https://crm.example.com/webhooks/sms/shop")));
        String sid = sender.send(reply(3, "+14155552671", "Hello"));
        assertThat(TwilioPeer.form(peer.accepted().get(0)))
                .containsEntry("StatusCallback", "https://crm.example.com/webhooks/sms/shop/status");
        assertThat(sid).as("the sid its status callbacks name").startsWith("SM");
    }

    @Test
    void aMessagingServiceSendsInsteadOfTheNumberWhenSet() throws Exception {
        instances.put("shop", Instances.instance("shop", peer.baseUrl(), data,
                Map.of("fromNumber", "", "messagingServiceSid", "MG9752274e9e519418a7406176694466fa")));
        sender.send(reply(2, "+14155552671", "Hello"));
        assertThat(TwilioPeer.form(peer.accepted().get(0)))
                .containsEntry("MessagingServiceSid", "MG9752274e9e519418a7406176694466fa").doesNotContainKey("From");
    }

    @Test
    void aShortRetryAfterIsWaitedAndTheReplySentOnce() throws Exception {
        peer.tooManyRequests(1);
        sender.send(reply(3, "+14155552671", "Hello"));
        assertThat(peer.received()).hasSize(2);
        assertThat(peer.accepted()).hasSize(1);
        assertThat(peer.received().get(1).at()).isAfterOrEqualTo(peer.received().get(0).at().plusMillis(900));
    }

    @Test
    void aLongRetryAfterGivesTheReplyBackAndNothingIsSentBeforeIt() {
        peer.tooManyRequests(120);
        assertThatThrownBy(() -> sender.send(reply(4, "+14155552671", "Hello")))
                .isInstanceOf(RateLimitedException.class).hasMessageContaining("after 120 s");
        assertThatThrownBy(() -> sender.send(reply(4, "+14155552671", "Hello")))
                .isInstanceOf(RateLimitedException.class);
        assertThat(peer.received()).hasSize(1);
        assertThat(instances.get("shop").health().status()).isEqualTo(Status.DEGRADED);
    }

    @Test
    void aRotatedTokenTurnsTheDoorAuthExpiredWithTheReasonAndANewCfgFixesIt() throws Exception {
        peer.rotate("67890");
        assertThatThrownBy(() -> sender.send(reply(5, "+14155552671", "Hello")))
                .isInstanceOf(SmsSender.SendFailed.class).hasMessageContaining("401").hasMessageContaining("20003")
                .hasMessageContaining("waits").hasMessageNotContaining("12345");
        SmsInstance old = instances.get("shop");
        assertThat(old.health().status()).isEqualTo(Status.AUTH_EXPIRED);
        assertThat(old.health().reason()).contains("authToken").contains("org.frontdoor.channel.sms-shop.cfg")
                .doesNotContain("12345");
        assertThat(peer.accepted()).isEmpty();
        // the admin writes the new token: a new instance from the new cfg
        old.deactivate();
        instances.put("shop", Instances.instance("shop", peer.baseUrl(), data, Map.of("authToken", "67890")));
        assertThat(instances.get("shop").health().status()).isEqualTo(Status.UP);
        sender.send(reply(5, "+14155552671", "Hello"));
        assertThat(peer.accepted()).hasSize(1);
    }

    @Test
    void aNumberUnsubscribedAtTheProviderIsRefusedNotRetried() {
        peer.unsubscribed();
        assertThatThrownBy(() -> sender.send(reply(6, "+14155552671", "Hello")))
                .isInstanceOf(ReplyRefusedException.class).hasMessageContaining("START");
        assertThat(instances.get("shop").health().status()).isEqualTo(Status.UP);
    }

    @Test
    void aNumberThatTextedStopGetsNothingUntilStart() throws Exception {
        SmsInstance shop = instances.get("shop");
        shop.consent().record("+14155552671", Consent.OPT_OUT, "stop", Instant.parse("2026-12-01T10:00:00Z"), 41);
        assertThatThrownBy(() -> sender.send(reply(7, "+14155552671", "Hello")))
                .isInstanceOf(ReplyRefusedException.class).hasMessageContaining("STOP")
                .hasMessageContaining("START");
        assertThat(peer.received()).isEmpty();
        // kept across a restart: a new instance of the same name reads the same list
        shop.deactivate();
        instances.put("shop", Instances.instance("shop", peer.baseUrl(), data, Map.of()));
        assertThatThrownBy(() -> sender.send(reply(7, "+14155552671", "Hello")))
                .isInstanceOf(ReplyRefusedException.class);
        instances.get("shop").consent().record("+14155552671", Consent.OPT_IN, "START", Instant.now(), 42);
        sender.send(reply(7, "+14155552671", "Hello"));
        assertThat(peer.accepted()).hasSize(1);
    }

    @Test
    void aReplyOverTheConfiguredSegmentsIsRefusedBeforeAnyCall() {
        assertThatThrownBy(() -> sender.send(reply(8, "+14155552671", "a".repeat(3 * 153 + 1))))
                .isInstanceOf(ReplyRefusedException.class).hasMessageContaining("4 SMS segments")
                .hasMessageContaining("at most 3").hasMessageContaining("cut at least 1 character");
        assertThat(peer.received()).isEmpty();
        assertThat(instances.get("shop").capabilities().segmentation()).isTrue();
    }

    @Test
    void anUnreachableProviderIsAPassingFailure() {
        peer.down();
        assertThatThrownBy(() -> sender.send(reply(9, "+14155552671", "Hello")))
                .isInstanceOf(SmsSender.SendFailed.class).hasMessageContaining("could not be reached");
        assertThat(instances.get("shop").health().status()).isEqualTo(Status.DEGRADED);
    }
}
