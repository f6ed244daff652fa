package org.frontdoor.channel.sms;

import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

import org.frontdoor.api.delivery.DeliveryReceipt;
import org.frontdoor.api.delivery.DeliveryReceipts;
import org.frontdoor.api.delivery.DeliveryState;
import org.frontdoor.plugin.http.JsonWebhook;

/**
 * {@code POST /webhooks/sms/{instance}/status}: the provider's {@code StatusCallback} for a reply the door sent, signed
 * with {@code X-Twilio-Signature} over the callback's address as the sender gave it, checked before anything is kept.
 * {@code MessageStatus} {@code delivered} and {@code read} (WhatsApp senders) are receipts, {@code undelivered} and
 * {@code failed} too, with {@code ErrorCode} as the reason; {@code queued}, {@code accepted}, {@code sending},
 * {@code sent} and the others are answered and add nothing (the send was recorded already).
 */
final class SmsDeliveryStatus extends JsonWebhook {

    /** The path after the instance's webhook path. */
    static final String PATH = "/status";

    private static final String SID = "[A-Za-z0-9]{2,64}";

    /** What Twilio's documented error codes of a message that was not delivered mean, in words. */
    private static final Map<String, String> ERRORS = Map.of(
            "30001", "the provider's queue for the number overflowed",
            "30002", "the provider's account is suspended",
            "30003", "the handset is unreachable (off, or out of coverage)",
            "30004", "the message was blocked (the recipient blocked the number, or the carrier did)",
            "30005", "the number is unknown to its carrier, or no longer in service",
            "30006", "the number is a landline or its carrier cannot take texts",
            "30007", "the carrier filtered the message as spam",
            "30008", "the carrier gave no reason",
            "21610", "the recipient unsubscribed from this number (texted STOP)");

    private final Function<String, SmsInstance> instances;
    private final DeliveryReceipts receipts;

    SmsDeliveryStatus(Function<String, SmsInstance> instances, DeliveryReceipts receipts) {
        this.instances = instances;
        this.receipts = receipts;
    }

    /** The address the sender gives as {@code StatusCallback}: the instance's publicUrl + {@value #PATH}, or null. */
    static String callbackUrl(SmsInstance instance) {
        String url = instance.publicUrl();
        if (url == null) {
            return null; // the provider needs the public address: without it, no status callbacks
        }
        int query = url.indexOf('?');
        String base = query < 0 ? url : url.substring(0, query);
        base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
        return base + PATH + (query < 0 ? "" : url.substring(query));
    }

    /**
     * @param requestUrl the URL the request came to, with its query (signed when the instance has no publicUrl)
     * @param body       the raw body, or null when larger than the instance's limit
     */
    CompletionStage<Result> handle(String instanceName, String requestUrl, String query,
                                   Function<String, String> headers, byte[] body) {
        return CompletableFuture.completedFuture(answer(instanceName, requestUrl, headers, body));
    }

    private Result answer(String instanceName, String requestUrl, Function<String, String> headers, byte[] body) {
        if (instanceName == null) {
            return Result.error(404, "the path names no SMS channel instance: /webhooks/sms/<instance>/status");
        }
        SmsInstance instance = instances.apply(instanceName);
        if (instance == null) {
            return unknownInstance("SMS", instanceName);
        }
        if (!instance.usable()) {
            return notUsable(instanceName, instance.health().reason());
        }
        if (body == null) {
            return tooLarge("body", instance.maxBodyBytes());
        }
        String signature = headers.apply(SmsWebhookHandler.SIGNATURE);
        if (signature == null || signature.isBlank()) {
            return Result.error(403, "missing " + SmsWebhookHandler.SIGNATURE);
        }
        String type = headers.apply("Content-Type");
        if (type == null || !type.toLowerCase(Locale.ROOT).startsWith("application/x-www-form-urlencoded")) {
            return Result.error(415, "status callbacks take application/x-www-form-urlencoded, as Twilio posts them");
        }
        Form form;
        try {
            form = Form.parse(body);
        } catch (IllegalArgumentException e) {
            return Result.error(400, e.getMessage());
        }
        String url = instance.publicUrl() == null ? requestUrl : callbackUrl(instance);
        if (!TwilioSignature.matches(instance.authToken(), url, form.parameters(), signature)) {
            return Result.error(403, SmsWebhookHandler.SIGNATURE + " does not match the request (check authToken and "
                    + "publicUrl)");
        }
        DeliveryReceipt receipt;
        try {
            receipt = receipt(instance, form);
        } catch (IllegalArgumentException e) {
            return Result.error(400, e.getMessage());
        }
        if (receipt != null) {
            try {
                receipts.report(receipt);
            } catch (RuntimeException e) {
                return failed(e, "status");
            }
        }
        return SmsWebhookHandler.twiml();
    }

    /** The receipt a status callback stands for, or null for a status that adds nothing. */
    static DeliveryReceipt receipt(SmsInstance instance, Form form) {
        String sid = form.nonBlank("MessageSid");
        if (sid == null) {
            sid = form.nonBlank("SmsSid");
        }
        if (sid == null || !sid.matches(SID)) {
            throw new IllegalArgumentException("a status callback names its message: MessageSid (letters and digits)");
        }
        String status = form.nonBlank("MessageStatus");
        if (status == null) {
            status = form.nonBlank("SmsStatus");
        }
        if (status == null) {
            throw new IllegalArgumentException("a status callback has a MessageStatus");
        }
        if (form.repeated("MessageSid") || form.repeated("MessageStatus")) {
            throw new IllegalArgumentException("MessageSid and MessageStatus are given once");
        }
        DeliveryState state = switch (status.toLowerCase(Locale.ROOT)) {
            case "delivered" -> DeliveryState.DELIVERED;
            case "read" -> DeliveryState.READ;
            case "undelivered", "failed" -> DeliveryState.FAILED;
            default -> null; // queued, accepted, scheduled, sending, sent, receiving, received, canceled
        };
        if (state == null) {
            return null;
        }
        return new DeliveryReceipt(SmsInstance.CHANNEL_ID, instance.instance(), sid, state, instance.clock().instant(),
                state == DeliveryState.FAILED ? reason(status, form.nonBlank("ErrorCode")) : null);
    }

    /** {@code undelivered: Twilio error 30003: the handset is unreachable (...)}. */
    static String reason(String status, String errorCode) {
        String what = status.toLowerCase(Locale.ROOT);
        if (errorCode == null || !errorCode.matches("[0-9]{1,6}")) {
            return what + ": the provider gave no error code";
        }
        String meaning = ERRORS.get(errorCode);
        return what + ": Twilio error " + errorCode + (meaning == null ? "" : ": " + meaning);
    }
}
