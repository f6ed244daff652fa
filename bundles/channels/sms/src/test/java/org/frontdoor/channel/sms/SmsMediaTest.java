package org.frontdoor.channel.sms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

import org.frontdoor.api.ChannelHealth.Status;
import org.frontdoor.api.IngestReceipt;
import org.frontdoor.api.Message;
import org.frontdoor.plugin.http.JsonWebhook.Result;
import org.frontdoor.plugin.media.MediaFetches;
import org.frontdoor.testkit.MemoryBlobs;
import org.frontdoor.testkit.TwilioPeer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An MMS's pictures and a voicemail's recording: the message is stored first with each file's metadata, then each file
 * is fetched from the local Twilio peer with the account's HTTP Basic (never sent on to its CDN), into the blob store.
 */
class SmsMediaTest {

    private static final String URL = "https://crm.example.com/webhooks/sms/shop";

    @TempDir
    Path data;

    private TwilioPeer peer;
    private final MemoryBlobs blobs = new MemoryBlobs();
    private final Map<String, Long> stored = new ConcurrentHashMap<>();
    private final Map<String, Message> messages = new ConcurrentHashMap<>();
    private final Map<String, SmsInstance> instances = new ConcurrentHashMap<>();
    private MediaFetches fetches;
    private SmsWebhookHandler handler;

    @BeforeEach
    void start() throws Exception {
        peer = new TwilioPeer(Instances.ACCOUNT, Instances.TOKEN);
        instances.put("shop", Instances.instance("shop", peer.baseUrl(), data,
                Map.of("publicUrl", URL, "maxAttachmentBytes", 1_000L)));
        fetches = new MediaFetches("sms", blobs, SmsMedia::mask, Duration.ofMillis(50), Duration.ofMillis(200), 3);
        handler = new SmsWebhookHandler(instances::get, name -> false, message -> {
            long id = stored.computeIfAbsent(message.externalId(), k -> (long) stored.size() + 1);
            boolean duplicate = messages.putIfAbsent(message.externalId(), message) != null;
            return CompletableFuture.completedFuture(new IngestReceipt(id, 1, 1, duplicate));
        }, SmsMedia.into(blobs), fetches);
    }

    @AfterEach
    void stop() {
        fetches.close();
        instances.values().forEach(SmsInstance::deactivate);
        peer.close();
        assertThat(peer.rejections()).isEmpty();
    }

    private Result post(List<Map.Entry<String, String>> params) {
        Map<String, String> headers = new HashMap<>();
        headers.put(SmsWebhookHandler.SIGNATURE, TwilioSignature.sign(Instances.TOKEN.getBytes(StandardCharsets.UTF_8),
                URL, params));
        headers.put("Content-Type", "application/x-www-form-urlencoded");
        return handler.handle("shop", URL, null, headers::get, SmsWebhookHandlerTest.encode(params))
                .toCompletableFuture().join();
    }

    private static List<Map.Entry<String, String>> mms(String sid, String... urlsAndTypes) {
        List<Map.Entry<String, String>> p = new ArrayList<>(SmsWebhookHandlerTest.documentedText(sid, "look"));
        p.removeIf(e -> e.getKey().equals("NumMedia"));
        p.add(Map.entry("NumMedia", Integer.toString(urlsAndTypes.length / 2)));
        for (int i = 0; i < urlsAndTypes.length / 2; i++) {
            p.add(Map.entry("MediaUrl" + i, urlsAndTypes[2 * i]));
            p.add(Map.entry("MediaContentType" + i, urlsAndTypes[2 * i + 1]));
        }
        return p;
    }

    @Test
    void anMmsIsStoredFirstThenEachPictureIsFetchedWithBasicAuthAndAttached() {
        String sid = "MM" + "1".repeat(32);
        String photo = peer.media(sid, "image/jpeg", "JFIF the parcel, crushed");
        String card = peer.media(sid, "text/vcard", "BEGIN:VCARD");
        assertThat(post(mms(sid, photo, "image/jpeg", card, "text/vcard")).status()).isEqualTo(200);
        Message message = messages.get(sid);
        assertThat(message.attachments()).extracting(a -> a.mediaType() + " " + a.blobRef())
                .containsExactly("image/jpeg null", "text/vcard null");
        await().atMost(Duration.ofSeconds(10)).until(() -> blobs.attached.size() == 2);
        assertThat(new String(blobs.attachedContent(1, 0), StandardCharsets.UTF_8))
                .isEqualTo("JFIF the parcel, crushed");
        assertThat(new String(blobs.attachedContent(1, 1), StandardCharsets.UTF_8)).isEqualTo("BEGIN:VCARD");
        assertThat(blobs.attached.get("1/0").mediaType()).isEqualTo("image/jpeg");
        // the API got Basic; the CDN it redirected to got no credentials (the peer's CDN refuses any)
        assertThat(peer.fileRequests()).hasSize(4).anyMatch(p -> p.startsWith("cdn /cdn/ME"));
        assertThat(peer.received()).filteredOn(r -> r.method().equals("GET"))
                .allSatisfy(r -> assertThat(r.header("Authorization")).startsWith("Basic "));

        // Twilio's redelivery stores nothing new and fetches nothing again
        post(mms(sid, photo, "image/jpeg", card, "text/vcard"));
        await().atMost(Duration.ofSeconds(10)).until(() -> fetches.waiting() == 0);
        assertThat(blobs.attached).hasSize(2);
    }

    @Test
    void aFileOverTheLimitStaysWithoutContentAndAVoicemailRecordingIsFetchedAsMp3() {
        String sid = "MM" + "2".repeat(32);
        String big = peer.media(sid, "video/mp4", "x".repeat(2_000));
        post(mms(sid, big, "video/mp4"));
        await().atMost(Duration.ofSeconds(10)).until(() -> fetches.waiting() == 0);
        assertThat(blobs.attached).isEmpty();
        assertThat(messages.get(sid).attachments()).singleElement()
                .satisfies(a -> assertThat(a.blobRef()).isNull());

        String recording = peer.recording("ID3 hello, call me back");
        List<Map.Entry<String, String>> voicemail = List.of(Map.entry("CallSid", "CA" + "3".repeat(32)),
                Map.entry("AccountSid", Instances.ACCOUNT), Map.entry("From", "+14155552671"),
                Map.entry("To", "+15005550006"), Map.entry("RecordingUrl", recording),
                Map.entry("RecordingSid", "RE" + "3".repeat(32)), Map.entry("RecordingDuration", "7"),
                Map.entry("Direction", "inbound"));
        assertThat(post(voicemail).status()).isEqualTo(200);
        Message stored = messages.get("recording:RE" + "3".repeat(32));
        assertThat(stored.attachments()).singleElement().satisfies(a -> {
            assertThat(a.name()).isEqualTo("voicemail-RE" + "3".repeat(32) + ".mp3");
            assertThat(a.mediaType()).isEqualTo("audio/mpeg");
        });
        await().atMost(Duration.ofSeconds(10)).until(() -> blobs.attached.size() == 1);
        assertThat(new String(blobs.attachedContent(2, 0), StandardCharsets.UTF_8))
                .isEqualTo("ID3 hello, call me back");
        assertThat(peer.fileRequests()).anyMatch(p -> p.endsWith("/Recordings/"
                + recording.substring(recording.lastIndexOf('/') + 1) + ".mp3"));
    }

    @Test
    void aRotatedTokenTurnsTheDoorAuthExpiredAndA429IsWaitedOutWithoutLeakingTheUrl() {
        String sid = "MM" + "4".repeat(32);
        String photo = peer.media(sid, "image/png", "PNG");
        peer.rotate("rotated");
        post(mms(sid, photo, "image/png"));
        await().atMost(Duration.ofSeconds(10)).until(() -> fetches.waiting() == 0);
        assertThat(blobs.attached).isEmpty();
        assertThat(instances.get("shop").health().status()).isEqualTo(Status.AUTH_EXPIRED);
        assertThat(fetches.lastFailure()).contains("answered 401").doesNotContain(sid).doesNotContain("/Media/");

        peer.rotate(Instances.TOKEN);
        instances.put("shop", Instances.instance("shop", peer.baseUrl(), data,
                Map.of("publicUrl", URL, "maxAttachmentBytes", 1_000L)));
        String sid2 = "MM" + "5".repeat(32);
        String photo2 = peer.media(sid2, "image/png", "PNG2");
        peer.tooManyRequests(1);
        post(mms(sid2, photo2, "image/png"));
        await().atMost(Duration.ofSeconds(10)).until(() -> blobs.attached.size() == 1);
        assertThat(new String(blobs.attachedContent(2, 0), StandardCharsets.UTF_8)).isEqualTo("PNG2");
        assertThat(fetches.lastFailure()).contains("answered 429");
    }

    @Test
    void aMediaUrlWithCredentialsOrNotHttpIsKeptAsSentAndNeverFetched() {
        String sid = "MM" + "6".repeat(32);
        post(mms(sid, "https://user:secret@evil.example/x.jpg", "image/jpeg", "file:///etc/passwd", "text/plain"));
        assertThat(messages.get(sid).attachments()).hasSize(2);
        assertThat(fetches.waiting()).isZero();
        assertThat(peer.received()).isEmpty();
    }
}
