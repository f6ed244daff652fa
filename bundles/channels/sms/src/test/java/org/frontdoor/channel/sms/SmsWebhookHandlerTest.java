package org.frontdoor.channel.sms;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.frontdoor.api.Annotation;
import org.frontdoor.api.ChannelHealth.Status;
import org.frontdoor.api.IngestReceipt;
import org.frontdoor.api.Message;
import org.frontdoor.api.Visibility;
import org.frontdoor.plugin.http.JsonWebhook.Result;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The webhook as Twilio calls it: signed form posts in, empty TwiML out once stored. */
class SmsWebhookHandlerTest {

    private static final String URL = "https://crm.example.com/webhooks/sms/shop";
    private static final String TOKEN = Instances.TOKEN;

    @TempDir
    Path data;

    /** Core's part: keeps each (instance, externalId) once, as the store does. */
    private final Map<String, Message> stored = new ConcurrentHashMap<>();
    private final List<Message> handed = new CopyOnWriteArrayList<>();
    private SmsInstance shop;
    private SmsWebhookHandler handler;

    @BeforeEach
    void start() {
        shop = Instances.instance("shop", "http://127.0.0.1:9", data, Map.of("publicUrl", URL));
        handler = new SmsWebhookHandler(name -> name.equals("shop") ? shop : null, "other"::equals, message -> {
            handed.add(message);
            boolean duplicate = stored.putIfAbsent(message.externalId(), message) != null;
            return CompletableFuture.completedFuture(new IngestReceipt(stored.size(), 1, 1, duplicate));
        });
    }

    @AfterEach
    void stop() {
        shop.deactivate();
    }

    /** A text as Twilio documents its messaging webhook's parameters. */
    static List<Map.Entry<String, String>> documentedText(String sid, String body) {
        List<Map.Entry<String, String>> p = new ArrayList<>();
        p.add(Map.entry("ToCountry", "US"));
        p.add(Map.entry("ToState", "CA"));
        p.add(Map.entry("SmsMessageSid", sid));
        p.add(Map.entry("NumMedia", "0"));
        p.add(Map.entry("ToCity", "SAN FRANCISCO"));
        p.add(Map.entry("FromZip", "94105"));
        p.add(Map.entry("SmsSid", sid));
        p.add(Map.entry("FromState", "CA"));
        p.add(Map.entry("SmsStatus", "received"));
        p.add(Map.entry("FromCity", "SAN FRANCISCO"));
        p.add(Map.entry("Body", body));
        p.add(Map.entry("FromCountry", "US"));
        p.add(Map.entry("To", "+15005550006"));
        p.add(Map.entry("ToZip", "94105"));
        p.add(Map.entry("NumSegments", "1"));
        p.add(Map.entry("MessageSid", sid));
        p.add(Map.entry("AccountSid", Instances.ACCOUNT));
        p.add(Map.entry("From", "+14155552671"));
        p.add(Map.entry("ApiVersion", "2010-04-01"));
        return p;
    }

    static byte[] encode(List<Map.Entry<String, String>> params) {
        return params.stream().map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"))
                .getBytes(StandardCharsets.UTF_8);
    }

    private Result post(String instance, List<Map.Entry<String, String>> params, String signature) {
        return post(instance, encode(params), signature, "application/x-www-form-urlencoded");
    }

    private Result post(String instance, byte[] body, String signature, String type) {
        Map<String, String> headers = new HashMap<>();
        if (signature != null) {
            headers.put(SmsWebhookHandler.SIGNATURE, signature);
        }
        headers.put("Content-Type", type);
        Function<String, String> h = headers::get;
        // behind the proxy the request arrives at another address: the signature covers the public one
        return handler.handle(instance, "http://10.0.0.5:8181/webhooks/sms/" + instance, null, h, body)
                .toCompletableFuture().join();
    }

    private static String sign(List<Map.Entry<String, String>> params) {
        return TwilioSignature.sign(TOKEN.getBytes(StandardCharsets.UTF_8), URL, params);
    }

    @Test
    void aDocumentedTextIsStoredAndAnsweredWithEmptyTwiml() {
        List<Map.Entry<String, String>> text = documentedText("SM1a2b3c4d5e6f", "My parcel is late <again>");
        Result result = post("shop", text, sign(text));
        assertThat(result.status()).isEqualTo(200);
        assertThat(result.headers()).containsEntry("Content-Type", "text/xml");
        assertThat(result.body()).isEqualTo("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response/>");
        Message m = stored.get("SM1a2b3c4d5e6f");
        assertThat(m.channel()).isEqualTo("sms");
        assertThat(m.instance()).isEqualTo("shop");
        assertThat(m.text()).isEqualTo("My parcel is late <again>");
        assertThat(m.author().handle()).isEqualTo("+14155552671");
        assertThat(m.author().phone()).isEqualTo("+14155552671");
        assertThat(m.visibility()).isEqualTo(Visibility.PRIVATE);
        assertThat(m.annotations()).isEmpty();
    }

    @Test
    void aRedeliveryIsAnsweredTheSameAndStoredOnce() {
        List<Map.Entry<String, String>> text = documentedText("SMredelivered", "Hello");
        assertThat(post("shop", text, sign(text)).status()).isEqualTo(200);
        assertThat(post("shop", text, sign(text)).body()).contains("<Response/>");
        assertThat(stored).hasSize(1);
    }

    @Test
    void aForgedOrMissingSignatureIsRefusedAndNothingStored() {
        List<Map.Entry<String, String>> text = documentedText("SMforged", "Hello");
        String good = sign(text);
        List<Map.Entry<String, String>> changed = documentedText("SMforged", "Send me a refund");
        Result forged = post("shop", changed, good);
        assertThat(forged.status()).isEqualTo(403);
        assertThat(forged.body()).contains("does not match");
        assertThat(post("shop", text, null).status()).isEqualTo(403);
        assertThat(post("shop", text, "").status()).isEqualTo(403);
        // signed over the address the request arrived at, not the public one: refused
        String overInternal = TwilioSignature.sign(TOKEN.getBytes(StandardCharsets.UTF_8),
                "http://10.0.0.5:8181/webhooks/sms/shop", text);
        assertThat(post("shop", text, overInternal).status()).isEqualTo(403);
        assertThat(handed).isEmpty();
        assertThat(shop.health().status()).isEqualTo(Status.UP);
    }

    @Test
    void withoutPublicUrlTheRequestsOwnAddressIsSigned() {
        shop.deactivate();
        shop = Instances.instance("shop", "http://127.0.0.1:9", data, Map.of());
        List<Map.Entry<String, String>> text = documentedText("SMdirect", "Hi");
        String sig = TwilioSignature.sign(TOKEN.getBytes(StandardCharsets.UTF_8),
                "http://10.0.0.5:8181/webhooks/sms/shop", text);
        assertThat(post("shop", text, sig).status()).isEqualTo(200);
        assertThat(stored).containsKey("SMdirect");
    }

    @Test
    void malformedOversizedOrWrongTypeBodiesAre4xxWithTheReasonAndNothingStored() {
        byte[] badPercent = "MessageSid=SM1&From=%2&Body=x".getBytes(StandardCharsets.UTF_8);
        Result r = post("shop", badPercent, "x", "application/x-www-form-urlencoded");
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.body()).contains("percent-encoded");
        byte[] notUtf8 = {'B', 'o', 'd', 'y', '=', (byte) 0xC3};
        assertThat(post("shop", notUtf8, "x", "application/x-www-form-urlencoded").body()).contains("UTF-8");
        assertThat(post("shop", "a=1&&b=2".getBytes(StandardCharsets.UTF_8), "x",
                "application/x-www-form-urlencoded").status()).isEqualTo(400);
        assertThat(post("shop", "{\"MessageSid\":\"SM1\"}".getBytes(StandardCharsets.UTF_8), "x", "application/json")
                .status()).isEqualTo(415);
        assertThat(post("shop", null, "x", "application/x-www-form-urlencoded").status()).isEqualTo(413);
        // signed, but neither a text nor a call
        List<Map.Entry<String, String>> nothing = List.of(Map.entry("From", "+14155552671"));
        Result neither = post("shop", nothing, sign(nothing));
        assertThat(neither.status()).isEqualTo(400);
        assertThat(neither.body()).contains("MessageSid");
        // signed, but media promised and missing
        List<Map.Entry<String, String>> media = new ArrayList<>(documentedText("SMmedia", ""));
        media.removeIf(e -> e.getKey().equals("NumMedia"));
        media.add(Map.entry("NumMedia", "2"));
        media.add(Map.entry("MediaUrl0", "https://api.twilio.com/2010-04-01/Accounts/AC1/Messages/MM1/Media/ME1"));
        assertThat(post("shop", media, sign(media)).body()).contains("MediaUrl1");
        assertThat(handed).isEmpty();
        assertThat(shop.health().status()).isEqualTo(Status.UP);
    }

    @Test
    void unknownAndConfiguredButNotRunningInstancesAre404And503() {
        List<Map.Entry<String, String>> text = documentedText("SMx", "Hi");
        assertThat(post("nobody", text, sign(text)).status()).isEqualTo(404);
        Result notRunning = post("other", text, sign(text));
        assertThat(notRunning.status()).isEqualTo(503);
        assertThat(notRunning.headers()).containsKey("Retry-After");
    }

    @Test
    void mediaAreShownAsSentWithoutTheirContent() {
        List<Map.Entry<String, String>> media = new ArrayList<>(documentedText("SMwithmedia", "Look"));
        media.removeIf(e -> e.getKey().equals("NumMedia"));
        media.add(Map.entry("NumMedia", "1"));
        media.add(Map.entry("MediaUrl0", "https://api.twilio.com/2010-04-01/Accounts/AC1/Messages/MM1/Media/ME1"));
        media.add(Map.entry("MediaContentType0", "image/jpeg"));
        assertThat(post("shop", media, sign(media)).status()).isEqualTo(200);
        assertThat(stored.get("SMwithmedia").attachments()).singleElement()
                .satisfies(a -> {
                    assertThat(a.mediaType()).isEqualTo("image/jpeg");
                    assertThat(a.name()).isEqualTo("ME1");
                    assertThat(a.blobRef()).isNull();
                });
    }

    @Test
    void stopAndItsSynonymsOptOutStartOptsInAgain() {
        for (String word : List.of("STOP", " stop ", "StopAll", "UNSUBSCRIBE", "cancel", "END", "quit")) {
            assertThat(Consent.keyword(word)).as(word).contains(Consent.OPT_OUT);
        }
        for (String word : List.of("START", "yes", "Unstop")) {
            assertThat(Consent.keyword(word)).as(word).contains(Consent.OPT_IN);
        }
        assertThat(Consent.keyword("please stop calling me")).isEmpty();

        List<Map.Entry<String, String>> stop = documentedText("SMstop", "Stop");
        assertThat(post("shop", stop, sign(stop)).status()).isEqualTo(200);
        assertThat(stored.get("SMstop").annotations()).containsExactly(new Annotation("consent", "opt-out", 1.0));
        assertThat(shop.consent().refusal("+14155552671")).isPresent();

        List<Map.Entry<String, String>> start = documentedText("SMstart", "START");
        assertThat(post("shop", start, sign(start)).status()).isEqualTo(200);
        assertThat(stored.get("SMstart").annotations()).containsExactly(new Annotation("consent", "opt-in", 1.0));
        assertThat(shop.consent().refusal("+14155552671")).isEmpty();
    }

    @Test
    void aStopIsKeptInCoresConsentWithItsMessageAndTheWordTexted() {
        List<Map.Entry<String, String>> stop = documentedText("SMstop3", " unsubscribe ");
        assertThat(post("shop", stop, sign(stop)).status()).isEqualTo(200);
        org.frontdoor.api.consent.Consent kept = Instances.consents(data).find("sms", "+14155552671").orElseThrow();
        assertThat(kept.optedIn()).isFalse();
        assertThat(kept.source()).isEqualTo(org.frontdoor.api.consent.ConsentSource.KEYWORD);
        assertThat(kept.reason()).isEqualTo("UNSUBSCRIBE");
        assertThat(kept.reference()).as("the stored message's id").matches("[0-9]+");
        assertThat(shop.consent().refusal("+14155552671")).hasValueSatisfying(why ->
                assertThat(why).contains("texted UNSUBSCRIBE").contains("they must text START"));
    }

    @Test
    void aStopWhoseConsentCouldNotBeRecordedIsAskedForAgainAndKeptThen() {
        Instances.consents(data).down(true);
        List<Map.Entry<String, String>> stop = documentedText("SMstop4", "STOP");
        Result r = post("shop", stop, sign(stop));
        assertThat(r.status()).as("the provider sends it again").isEqualTo(503);
        assertThat(stored).containsKey("SMstop4");

        Instances.consents(data).down(false);
        assertThat(post("shop", stop, sign(stop)).status()).isEqualTo(200);
        assertThat(shop.consent().refusal("+14155552671")).isPresent();
    }

    @Test
    void aStopThatCoreCouldNotStoreIsNotKept() {
        handler = new SmsWebhookHandler(name -> shop, name -> true,
                message -> CompletableFuture.failedFuture(new IllegalStateException("database down")));
        List<Map.Entry<String, String>> stop = documentedText("SMstop2", "STOP");
        Result r = post("shop", stop, sign(stop));
        assertThat(r.status()).isEqualTo(503);
        assertThat(r.headers()).containsKey("Retry-After");
        assertThat(shop.consent().refusal("+14155552671")).isEmpty();
    }

    /** The parameters Twilio sends with every voice request, for an inbound call. */
    static List<Map.Entry<String, String>> call(String callSid, String status) {
        List<Map.Entry<String, String>> p = new ArrayList<>();
        p.add(Map.entry("AccountSid", Instances.ACCOUNT));
        p.add(Map.entry("ApiVersion", "2010-04-01"));
        p.add(Map.entry("CallSid", callSid));
        p.add(Map.entry("CallStatus", status));
        p.add(Map.entry("Called", "+15005550006"));
        p.add(Map.entry("Caller", "+14155552671"));
        p.add(Map.entry("Direction", "inbound"));
        p.add(Map.entry("From", "+14155552671"));
        p.add(Map.entry("To", "+15005550006"));
        return p;
    }

    @Test
    void aMissedCallBecomesAMessageFromTheCaller() {
        for (String status : List.of("no-answer", "busy", "canceled")) {
            String sid = "CA" + status.replace("-", "");
            List<Map.Entry<String, String>> c = call(sid, status);
            assertThat(post("shop", c, sign(c)).status()).isEqualTo(200);
            Message m = stored.get("call:" + sid);
            assertThat(m.text()).startsWith("Missed call");
            assertThat(m.author().handle()).isEqualTo("+14155552671");
        }
        // a redelivered status callback: stored once
        List<Map.Entry<String, String>> again = call("CAbusy", "busy");
        post("shop", again, sign(again));
        assertThat(stored).hasSize(3);
    }

    @Test
    void otherCallStatusesAndOurOwnCallsStoreNothing() {
        for (String status : List.of("ringing", "in-progress", "completed")) {
            List<Map.Entry<String, String>> c = call("CA" + status.replace("-", ""), status);
            Result r = post("shop", c, sign(c));
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.body()).contains("<Response/>");
        }
        List<Map.Entry<String, String>> ours = new ArrayList<>(call("CAours", "no-answer"));
        ours.removeIf(e -> e.getKey().equals("Direction"));
        ours.add(Map.entry("Direction", "outbound-api"));
        assertThat(post("shop", ours, sign(ours)).status()).isEqualTo(200);
        assertThat(handed).isEmpty();
    }

    @Test
    void aVoicemailAndItsTranscriptionJoinTheCallersConversation() {
        List<Map.Entry<String, String>> vm = new ArrayList<>(call("CAvoicemail", "completed"));
        vm.add(Map.entry("RecordingSid", "RE557ce644e5ab84fa21cc21112e22c485"));
        vm.add(Map.entry("RecordingUrl",
                "https://api.twilio.com/2010-04-01/Accounts/AC1/Recordings/RE557ce644e5ab84fa21cc21112e22c485"));
        vm.add(Map.entry("RecordingDuration", "14"));
        assertThat(post("shop", vm, sign(vm)).status()).isEqualTo(200);
        Message voicemail = stored.get("recording:RE557ce644e5ab84fa21cc21112e22c485");
        assertThat(voicemail.text()).startsWith("Voicemail of 14 s: https://api.twilio.com/");
        assertThat(voicemail.author().handle()).isEqualTo("+14155552671");

        List<Map.Entry<String, String>> tr = new ArrayList<>(call("CAvoicemail", "completed"));
        tr.add(Map.entry("TranscriptionSid", "TR8c61027b709ffb038236612dc5af8723"));
        tr.add(Map.entry("TranscriptionText", "Hi, my router is broken, please call me back"));
        tr.add(Map.entry("TranscriptionStatus", "completed"));
        tr.add(Map.entry("RecordingSid", "RE557ce644e5ab84fa21cc21112e22c485"));
        assertThat(post("shop", tr, sign(tr)).status()).isEqualTo(200);
        assertThat(stored.get("transcription:TR8c61027b709ffb038236612dc5af8723").text())
                .isEqualTo("Voicemail transcription: Hi, my router is broken, please call me back");
        assertThat(stored.get("transcription:TR8c61027b709ffb038236612dc5af8723").author())
                .isEqualTo(voicemail.author());
    }
}
