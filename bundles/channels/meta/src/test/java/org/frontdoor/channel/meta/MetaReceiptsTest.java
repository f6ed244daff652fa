package org.frontdoor.channel.meta;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.frontdoor.api.IngestReceipt;
import org.frontdoor.api.delivery.DeliveryReceipt;
import org.frontdoor.api.delivery.DeliveryState;
import org.frontdoor.plugin.http.JsonWebhook.Result;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Meta's documented status webhooks (WhatsApp statuses, Messenger delivery, Instagram seen) as delivery receipts. */
class MetaReceiptsTest {

    private final MetaInstance instance = Instances.instance("shop", Map.of());
    private final Receipts receipts = new Receipts();
    private final MetaWebhookHandler handler = new MetaWebhookHandler(name -> name.equals("shop") ? instance : null,
            name -> false, message -> CompletableFuture.completedFuture(new IngestReceipt(1, 1, 1, false)),
            receipts::add);

    private Result post(byte[] body, String signature) {
        return handler.handle("shop", h -> h.equalsIgnoreCase(MetaSignatures.SIGNATURE_HEADER) ? signature : null,
                body).toCompletableFuture().join();
    }

    private Result post(String payload) throws Exception {
        byte[] body = MetaWebhookHandlerTest.payload(payload);
        return post(body, MetaSignatures.sign(Instances.APP_SECRET, body));
    }

    @Test
    void aWhatsAppReadIsAReceiptAndItsSentIsNot() throws Exception {
        Result result = post("whatsapp-status-read");

        assertThat(result.status()).isEqualTo(200);
        assertThat(result.body()).contains("\"statuses\":2").contains("\"receipts\":1");
        assertThat(receipts.reported).containsExactly(new DeliveryReceipt("meta", "shop",
                "wamid.HBgLMTY1MDM4Nzk0MzkVAgARGBI3MTE5MjVBOTE3MDk5QUVFM0YA", DeliveryState.READ,
                Instant.ofEpochSecond(1750263801), null));
    }

    @Test
    void aWhatsAppFailureCarriesItsCodeTitleAndDetails() throws Exception {
        assertThat(post("whatsapp-status-failed").status()).isEqualTo(200);

        assertThat(receipts.reported).singleElement().satisfies(r -> {
            assertThat(r.state()).isEqualTo(DeliveryState.FAILED);
            assertThat(r.vendorId()).isEqualTo("wamid.HBgLMTY1MDM4Nzk0MzkVAgARGBJCNUQ5RjQ4RDc1RkM3NEQyRDcA");
            assertThat(r.reason()).isEqualTo("WhatsApp error 131047 Re-engagement message: Message failed to send "
                    + "because more than 24 hours have passed since the customer last replied to this number.");
            assertThat(r.at()).isEqualTo(Instant.ofEpochSecond(1750263812));
        });
    }

    @Test
    void aMessengerDeliveryNamesEachMessageAndAWatermarkOnlyReadNamesNone() throws Exception {
        Result result = post("messenger-delivery");

        assertThat(result.status()).isEqualTo(200);
        assertThat(receipts.reported).extracting(DeliveryReceipt::vendorId)
                .containsExactly("m_AG5Hz2Uq7tuwNEhXfYYKj8mJEM", "m_Bz8t0c2Lq9aWQe1Xv5RkT3nHpD");
        assertThat(receipts.reported).allSatisfy(r -> {
            assertThat(r.state()).isEqualTo(DeliveryState.DELIVERED);
            assertThat(r.at()).isEqualTo(Instant.ofEpochMilli(1458668856253L));
        });
        assertThat(result.body()).contains("\"stored\":0");
    }

    @Test
    void anInstagramSeenIsARead() throws Exception {
        assertThat(post("instagram-seen").status()).isEqualTo(200);

        assertThat(receipts.reported).singleElement().satisfies(r -> {
            assertThat(r.state()).isEqualTo(DeliveryState.READ);
            assertThat(r.vendorId()).startsWith("aWdfZAG1faXRlbToxOklHTWVzc2FnZAUlEOjE3");
            assertThat(r.at()).isEqualTo(Instant.ofEpochMilli(1569262485349L));
        });
    }

    @Test
    void aForgedOrUnsignedStatusIsRefusedAndReportsNothing() throws Exception {
        byte[] body = MetaWebhookHandlerTest.payload("whatsapp-status-read");

        assertThat(post(body, MetaSignatures.sign("not-the-app-secret", body)).status()).isEqualTo(403);
        assertThat(post(body, null).status()).isEqualTo(401);
        byte[] tampered = new String(body, StandardCharsets.UTF_8).replace("\"read\"", "\"failed\"")
                .getBytes(StandardCharsets.UTF_8);
        assertThat(post(tampered, MetaSignatures.sign(Instances.APP_SECRET, body)).status()).isEqualTo(403);

        assertThat(receipts.reported).isEmpty();
    }

    @Test
    void aMalformedStatusIsRefusedWithItsPathAndNothingOfTheDeliveryIsReported() {
        String json = "{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"1\",\"changes\":[{\"field\":"
                + "\"messages\",\"value\":{\"metadata\":{\"phone_number_id\":\"106540352242922\"},\"statuses\":["
                + "{\"id\":\"wamid.A\",\"status\":\"delivered\",\"timestamp\":\"1750263773\"},"
                + "{\"id\":\"wamid.B\",\"status\":\"read\",\"timestamp\":\"yesterday\"}]}}]}]}";
        byte[] body = json.getBytes(StandardCharsets.UTF_8);

        Result result = post(body, MetaSignatures.sign(Instances.APP_SECRET, body));

        assertThat(result.status()).isEqualTo(400);
        assertThat(result.body()).contains("entry[0].changes[0].value.statuses[1].timestamp");
        assertThat(receipts.reported).as("not even the good one: Meta sends the delivery again whole").isEmpty();
    }

    @Test
    void aCoreThatCannotKeepTheReceiptIsAnswered503SoThatMetaSendsItAgain() throws Exception {
        receipts.down = true;

        Result result = post("whatsapp-status-read");

        assertThat(result.status()).isEqualTo(503);
    }
}
