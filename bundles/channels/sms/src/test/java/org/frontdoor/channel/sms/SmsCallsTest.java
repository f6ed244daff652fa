package org.frontdoor.channel.sms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;

import org.frontdoor.api.ChannelHealth.Status;
import org.frontdoor.api.calls.CallRefusedException;
import org.frontdoor.api.calls.CallRequest;
import org.frontdoor.api.calls.CallUnavailableException;
import org.frontdoor.api.calls.PlacedCall;
import org.frontdoor.testkit.TwilioPeer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Calls of callback tasks against a local Calls API that checks each request and answers as Twilio does. */
class SmsCallsTest {

    @TempDir
    Path data;

    private TwilioPeer peer;
    private SmsInstance shop;

    @BeforeEach
    void start() throws Exception {
        peer = new TwilioPeer(Instances.ACCOUNT, Instances.TOKEN);
        shop = Instances.instance("shop", peer.baseUrl(), data,
                Map.of("agentPhones", new String[] {"jane=+1 415 555 0111", " bob = +14155550122"}));
    }

    @AfterEach
    void stop() {
        shop.deactivate();
        peer.close();
        assertThat(peer.rejections()).isEmpty();
    }

    private static CallRequest request(String agentNumber) {
        return new CallRequest("+33612345678", "jane", agentNumber, "callback task 12");
    }

    @Test
    void theAgentsPhoneRingsFirstThenTwimlDialsTheCustomerFromTheDoorsNumber() throws Exception {
        PlacedCall call = shop.call(request(null));
        assertThat(call.callId()).startsWith("CA").hasSize(34);
        assertThat(call.agentNumber()).isEqualTo("+14155550111");
        assertThat(call.from()).isEqualTo("+15005550006");
        Map<String, String> form = peer.calls().get(0);
        assertThat(form).containsEntry("To", "+14155550111").containsEntry("From", "+15005550006")
                .doesNotContainKey("Url");
        assertThat(form.get("Twiml")).isEqualTo("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response><Say>Frontdoor "
                + "callback task 12. Connecting you to the customer.</Say><Dial callerId=\"+15005550006\" "
                + "timeout=\"30\"><Number>+33612345678</Number></Dial></Response>");
        assertThat(peer.received().get(0).path()).isEqualTo("/2010-04-01/Accounts/" + Instances.ACCOUNT
                + "/Calls.json");
        assertThat(peer.headers(0).get("Authorization")).startsWith("Basic ");

        shop.call(new CallRequest("+33612345678", "bob", null, "callback task 13"));
        assertThat(peer.calls().get(1)).containsEntry("To", "+14155550122");
        shop.call(request("+44 20 7183 8750"));
        assertThat(peer.calls().get(2)).containsEntry("To", "+442071838750");
    }

    @Test
    void withoutAPhoneForTheAgentOrWithABadNumberNothingIsAsked() {
        assertThatThrownBy(() -> shop.call(new CallRequest("+33612345678", "carl", null, "callback task 1")))
                .isInstanceOf(CallRefusedException.class)
                .hasMessage("no phone for agent carl: give agentPhone, or set 'agentPhones' (carl=+14155552671) in "
                        + "/opt/frontdoor/etc/org.frontdoor.channel.sms-shop.cfg");
        assertThatThrownBy(() -> shop.call(request("555 0111"))).isInstanceOf(CallRefusedException.class)
                .hasMessageContaining("is not a full international number");
        assertThatThrownBy(() -> shop.call(new CallRequest("0612345678", "jane", null, "callback task 1")))
                .isInstanceOf(CallRefusedException.class).hasMessageContaining("the customer's number 0612345678");
        assertThat(peer.received()).isEmpty();
    }

    @Test
    void aMessagingServiceInstanceCannotCallAndABadAgentPhonesEntryTakesTheDoorDown() {
        SmsInstance service = Instances.instance("svc", peer.baseUrl(), data,
                Map.of("fromNumber", "", "messagingServiceSid", "MG9752274e9e519418a7406176694466fa"));
        assertThat(service.canCall()).isFalse();
        assertThatThrownBy(() -> service.call(request("+14155550111"))).isInstanceOf(CallRefusedException.class)
                .hasMessageContaining("set 'fromNumber' to a voice number");
        service.deactivate();
        SmsInstance bad = Instances.instance("bad", peer.baseUrl(), data,
                Map.of("agentPhones", new String[] {"jane=0111"}));
        assertThat(bad.health().status()).isEqualTo(Status.DOWN);
        assertThat(bad.health().reason()).contains("agentPhones", "'jane=...'");
        assertThat(bad.canCall()).isFalse();
        bad.deactivate();
        assertThat(shop.canCall()).isTrue();
        assertThat(peer.received()).isEmpty();
    }

    @Test
    void aRotatedTokenTurnsTheDoorAuthExpiredAndLaterCallsAreNotSent() {
        peer.rotate("new-token");
        assertThatThrownBy(() -> shop.call(request(null))).isInstanceOf(CallUnavailableException.class)
                .hasMessageContaining("401 (error 20003)").hasMessageContaining("no call until an admin sets the "
                        + "current Auth Token").satisfies(e -> assertThat(e.getMessage()).doesNotContain(
                        Instances.TOKEN));
        assertThat(shop.health().status()).isEqualTo(Status.AUTH_EXPIRED);
        assertThatThrownBy(() -> shop.call(request(null))).isInstanceOf(CallUnavailableException.class);
        assertThat(peer.received()).hasSize(1);
    }

    @Test
    void a429GivesTheCallBackWithRetryAfterAndNothingIsSentBeforeThatTime() {
        peer.tooManyRequests(120);
        assertThatThrownBy(() -> shop.call(request(null))).isInstanceOf(CallUnavailableException.class)
                .satisfies(e -> assertThat(((CallUnavailableException) e).retryAfterSeconds()).isEqualTo(120))
                .hasMessageContaining("429");
        assertThatThrownBy(() -> shop.call(request(null))).isInstanceOf(CallUnavailableException.class)
                .hasMessageContaining("asked to wait");
        assertThat(peer.received()).hasSize(1);
        assertThat(shop.health().status()).isEqualTo(Status.DEGRADED);
    }

    @Test
    void aRefusedNumberIsARefusalWithTwiliosWordsAndAnOutageMayWorkLater() throws Exception {
        peer.answer(new TwilioPeer.Answer(400, Map.of("Content-Type", "application/json"), "{\"code\":21215,"
                + "\"message\":\"Geo Permission configuration is not permitting call\",\"status\":400}"));
        assertThatThrownBy(() -> shop.call(request(null))).isInstanceOf(CallRefusedException.class)
                .hasMessage("the SMS provider answered 400 (error 21215): Geo Permission configuration is not "
                        + "permitting call");
        assertThat(shop.health().status()).isEqualTo(Status.UP);
        peer.down();
        assertThatThrownBy(() -> shop.call(request(null))).isInstanceOf(CallUnavailableException.class)
                .hasMessageContaining("could not be reached");
        peer.up();
        assertThat(shop.call(request(null)).callId()).startsWith("CA");
        assertThat(shop.health().status()).isEqualTo(Status.UP);
    }
}
