package org.frontdoor.channel.sms;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.frontdoor.api.delivery.DeliveryReceipt;
import org.frontdoor.api.delivery.DeliveryState;
import org.frontdoor.api.delivery.ReceiptOutcome;
import org.frontdoor.plugin.http.JsonWebhook.Result;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/** Twilio's StatusCallback for a sent reply: signed over the callback's address, a receipt for core. */
class SmsDeliveryStatusTest {

    private static final String PUBLIC = "https://crm.example.com/webhooks/sms/shop";
    private static final String CALLBACK = PUBLIC + "/status";

    @TempDir
    Path data;

    private final List<DeliveryReceipt> reported = new CopyOnWriteArrayList<>();
    private volatile boolean coreDown;
    private SmsInstance shop;
    private SmsDeliveryStatus status;

    @BeforeEach
    void start() {
        shop = Instances.instance("shop", "http://127.0.0.1:9", data, Map.of("publicUrl", PUBLIC));
        status = new SmsDeliveryStatus(name -> name.equals("shop") ? shop : null, r -> {
            if (coreDown) {
                throw new IllegalStateException("the delivery receipt could not be kept now: the database is gone");
            }
            reported.add(r);
            return ReceiptOutcome.APPLIED;
        });
    }

    @AfterEach
    void stop() {
        shop.deactivate();
    }

    /** A status callback as Twilio documents its parameters. */
    static List<Map.Entry<String, String>> documented(String sid, String messageStatus, String errorCode) {
        List<Map.Entry<String, String>> p = new ArrayList<>();
        p.add(Map.entry("AccountSid", Instances.ACCOUNT));
        p.add(Map.entry("ApiVersion", "2010-04-01"));
        p.add(Map.entry("From", "+15005550006"));
        p.add(Map.entry("MessageSid", sid));
        p.add(Map.entry("MessageStatus", messageStatus));
        p.add(Map.entry("SmsSid", sid));
        p.add(Map.entry("SmsStatus", messageStatus));
        p.add(Map.entry("To", "+14155552671"));
        if (errorCode != null) {
            p.add(Map.entry("ErrorCode", errorCode));
        }
        return p;
    }

    private Result post(List<Map.Entry<String, String>> params, String signature) {
        Map<String, String> headers = new HashMap<>();
        if (signature != null) {
            headers.put(SmsWebhookHandler.SIGNATURE, signature);
        }
        headers.put("Content-Type", "application/x-www-form-urlencoded");
        return status.handle("shop", "http://10.0.0.5:8181/webhooks/sms/shop/status", null, headers::get,
                SmsWebhookHandlerTest.encode(params)).toCompletableFuture().join();
    }

    private static String sign(String url, List<Map.Entry<String, String>> params) {
        return TwilioSignature.sign(Instances.TOKEN.getBytes(StandardCharsets.UTF_8), url, params);
    }

    @Test
    void theCallbackAddressIsThePublicUrlsStatusPath() {
        assertThat(SmsDeliveryStatus.callbackUrl(shop)).isEqualTo(CALLBACK);
        SmsInstance withQuery = Instances.instance("q", "http://127.0.0.1:9", data,
                Map.of("publicUrl", "https://crm.example.com/webhooks/sms/q/?tenant=7"));
        try {
            assertThat(SmsDeliveryStatus.callbackUrl(withQuery))
                    .isEqualTo("https://crm.example.com/webhooks/sms/q/status?tenant=7");
        } finally {
            withQuery.deactivate();
        }
    }

    @Test
    void deliveredIsAReceiptForTheMessageSid() {
        List<Map.Entry<String, String>> p = documented("SM0000000000000000000000000000001f", "delivered", null);

        Result result = post(p, sign(CALLBACK, p));

        assertThat(result.status()).isEqualTo(200);
        assertThat(reported).singleElement().satisfies(r -> {
            assertThat(r.channel()).isEqualTo("sms");
            assertThat(r.instance()).isEqualTo("shop");
            assertThat(r.vendorId()).isEqualTo("SM0000000000000000000000000000001f");
            assertThat(r.state()).isEqualTo(DeliveryState.DELIVERED);
            assertThat(r.reason()).isNull();
        });
    }

    @Test
    void undeliveredCarriesTheErrorCodeInWords() {
        List<Map.Entry<String, String>> p = documented("SM0000000000000000000000000000002a", "undelivered", "30003");

        assertThat(post(p, sign(CALLBACK, p)).status()).isEqualTo(200);

        assertThat(reported).singleElement().satisfies(r -> {
            assertThat(r.state()).isEqualTo(DeliveryState.FAILED);
            assertThat(r.reason()).isEqualTo("undelivered: Twilio error 30003: the handset is unreachable "
                    + "(off, or out of coverage)");
        });
        assertThat(SmsDeliveryStatus.reason("failed", "39999")).isEqualTo("failed: Twilio error 39999");
        assertThat(SmsDeliveryStatus.reason("failed", null)).isEqualTo("failed: the provider gave no error code");
    }

    @Test
    void queuedSendingAndSentAreAnsweredAndAddNothing() {
        for (String s : List.of("queued", "accepted", "sending", "sent")) {
            List<Map.Entry<String, String>> p = documented("SM0000000000000000000000000000003b", s, null);
            assertThat(post(p, sign(CALLBACK, p)).status()).isEqualTo(200);
        }
        assertThat(reported).isEmpty();
    }

    @Test
    void aForgedOrMisaddressedCallbackIsRefusedAndKeepsNothing() {
        List<Map.Entry<String, String>> p = documented("SM0000000000000000000000000000004c", "undelivered", "30007");

        assertThat(post(p, null).status()).isEqualTo(403);
        assertThat(post(p, sign(CALLBACK, documented("SM0000000000000000000000000000004c", "delivered", null)))
                .status()).as("signed for another status").isEqualTo(403);
        assertThat(post(p, sign(PUBLIC, p)).status()).as("signed for the message webhook's address").isEqualTo(403);
        assertThat(post(p, TwilioSignature.sign("54321".getBytes(StandardCharsets.UTF_8), CALLBACK, p)).status())
                .isEqualTo(403);

        assertThat(reported).isEmpty();
    }

    @Test
    void aCallbackWithoutItsMessageOrStatusIsA400() {
        List<Map.Entry<String, String>> noSid = new ArrayList<>(documented("x", "delivered", null));
        noSid.removeIf(e -> e.getKey().endsWith("Sid") && !e.getKey().equals("AccountSid"));
        List<Map.Entry<String, String>> noStatus = new ArrayList<>(documented("SM5", "delivered", null));
        noStatus.removeIf(e -> e.getKey().endsWith("Status"));

        Result a = post(noSid, sign(CALLBACK, noSid));
        Result b = post(noStatus, sign(CALLBACK, noStatus));

        assertThat(a.status()).isEqualTo(400);
        assertThat(a.body()).contains("MessageSid");
        assertThat(b.status()).isEqualTo(400);
        assertThat(b.body()).contains("MessageStatus");
        assertThat(reported).isEmpty();
    }

    @Test
    void aCoreThatCannotKeepTheReceiptIsAnswered503SoTheProviderRetries() {
        coreDown = true;
        List<Map.Entry<String, String>> p = documented("SM0000000000000000000000000000005d", "delivered", null);

        assertThat(post(p, sign(CALLBACK, p)).status()).isEqualTo(503);
    }

    @Test
    void anUnknownInstanceIs404() {
        List<Map.Entry<String, String>> p = documented("SM6", "delivered", null);
        Map<String, String> headers = Map.of(SmsWebhookHandler.SIGNATURE, sign(CALLBACK, p),
                "Content-Type", "application/x-www-form-urlencoded");
        assertThat(status.handle("nobody", CALLBACK, null, headers::get, SmsWebhookHandlerTest.encode(p))
                .toCompletableFuture().join().status()).isEqualTo(404);
    }
}
