package org.frontdoor.channel.meta;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import org.frontdoor.api.delivery.DeliveryReceipt;
import org.frontdoor.api.delivery.DeliveryState;
import org.frontdoor.plugin.http.StrictJson;

/**
 * The delivery receipts in a webhook delivery whose signature was checked, as Meta documents them:
 * <ul>
 * <li>WhatsApp Cloud API: {@code entry[].changes[].value.statuses[]} with {@code id} (the {@code wamid} the send was
 *     answered with), {@code status} {@code delivered}, {@code read} or {@code failed} (with {@code errors[]}: code,
 *     title, {@code error_data.details}) and {@code timestamp}; {@code sent} adds nothing the send did not record;</li>
 * <li>Messenger: {@code entry[].messaging[].delivery} with {@code mids[]} and {@code watermark}; a {@code read} names
 *     only a watermark, no message, so it is counted and not applied;</li>
 * <li>Instagram: {@code entry[].messaging[].read.mid} (the seen message) with the event's {@code timestamp}.</li>
 * </ul>
 */
final class MetaReceipts {

    private MetaReceipts() {
    }

    /** The receipts of one delivery; a malformed status is refused with its path, as a malformed message is. */
    static List<DeliveryReceipt> parse(String instance, byte[] body) {
        JsonNode root = StrictJson.readObject(body);
        String object = root.path("object").asText("");
        List<DeliveryReceipt> out = new ArrayList<>();
        JsonNode entries = root.path("entry");
        for (int i = 0; i < entries.size(); i++) {
            JsonNode entry = entries.get(i);
            String path = "entry[" + i + "]";
            if (object.equals("whatsapp_business_account")) {
                JsonNode changes = entry.path("changes");
                for (int j = 0; j < changes.size(); j++) {
                    JsonNode value = changes.get(j).path("value");
                    if ("messages".equals(changes.get(j).path("field").asText()) && value.has("statuses")) {
                        statuses(out, instance, value.get("statuses"), path + ".changes[" + j + "].value.statuses");
                    }
                }
            } else if (object.equals("page") || object.equals("instagram")) {
                JsonNode events = entry.path("messaging");
                for (int j = 0; j < events.size(); j++) {
                    messaging(out, instance, events.get(j), path + ".messaging[" + j + "]");
                }
            }
        }
        return out;
    }

    private static void statuses(List<DeliveryReceipt> out, String instance, JsonNode statuses, String path) {
        if (!statuses.isArray()) {
            throw new IllegalArgumentException(path + " must be an array");
        }
        for (int k = 0; k < statuses.size(); k++) {
            String p = path + "[" + k + "]";
            JsonNode s = statuses.get(k);
            if (!s.isObject()) {
                throw new IllegalArgumentException(p + " must be an object");
            }
            String id = StrictJson.requiredText(s, "id", p + ".id");
            String status = StrictJson.requiredText(s, "status", p + ".status");
            DeliveryState state = switch (status) {
                case "delivered" -> DeliveryState.DELIVERED;
                case "read" -> DeliveryState.READ;
                case "failed" -> DeliveryState.FAILED;
                default -> null; // sent (already recorded), deleted, warning: nothing to show
            };
            if (state == null) {
                continue;
            }
            Instant at = time(s.get("timestamp"), p + ".timestamp");
            out.add(new DeliveryReceipt(MetaInstance.CHANNEL_ID, instance, id, state, at,
                    state == DeliveryState.FAILED ? whatsappReason(s.path("errors")) : null));
        }
    }

    /** WhatsApp's first error as words: {@code 131047 Re-engagement message: <details>}. */
    static String whatsappReason(JsonNode errors) {
        JsonNode e = errors.path(0);
        if (!e.isObject()) {
            return "WhatsApp gave no reason";
        }
        String code = e.path("code").asText("");
        String title = e.path("title").asText(e.path("message").asText(""));
        String details = e.path("error_data").path("details").asText("");
        StringBuilder reason = new StringBuilder("WhatsApp error");
        if (!code.isBlank()) {
            reason.append(' ').append(code);
        }
        if (!title.isBlank()) {
            reason.append(' ').append(title.strip());
        }
        if (!details.isBlank() && !details.strip().equals(title.strip())) {
            reason.append(": ").append(details.strip());
        }
        return reason.toString();
    }

    private static void messaging(List<DeliveryReceipt> out, String instance, JsonNode event, String path) {
        JsonNode delivery = event.get("delivery");
        if (delivery != null) {
            JsonNode mids = delivery.path("mids");
            if (mids.isMissingNode() || mids.isNull()) {
                return; // an old-style delivery with a watermark only: it names no message
            }
            if (!mids.isArray()) {
                throw new IllegalArgumentException(path + ".delivery.mids must be an array");
            }
            Instant at = millis(delivery.get("watermark"), path + ".delivery.watermark");
            for (int m = 0; m < mids.size(); m++) {
                String mid = mids.get(m).asText("");
                if (mid.isBlank() || !mids.get(m).isTextual()) {
                    throw new IllegalArgumentException(path + ".delivery.mids[" + m + "] must be a message id");
                }
                out.add(new DeliveryReceipt(MetaInstance.CHANNEL_ID, instance, mid, DeliveryState.DELIVERED, at, null));
            }
            return;
        }
        JsonNode read = event.get("read");
        if (read != null && read.has("mid")) {
            String mid = StrictJson.requiredText(read, "mid", path + ".read.mid");
            out.add(new DeliveryReceipt(MetaInstance.CHANNEL_ID, instance, mid, DeliveryState.READ,
                    millis(event.get("timestamp"), path + ".timestamp"), null));
        }
    }

    /** Epoch seconds as WhatsApp sends them (a string of digits, or a number). */
    private static Instant time(JsonNode node, String path) {
        return Instant.ofEpochSecond(digits(node, path));
    }

    private static Instant millis(JsonNode node, String path) {
        return Instant.ofEpochMilli(digits(node, path));
    }

    private static long digits(JsonNode node, String path) {
        String text = node == null || node.isNull() ? "" : node.isNumber() || node.isTextual() ? node.asText() : "";
        if (!text.matches("[0-9]{1,15}")) {
            throw new IllegalArgumentException(path + " must be a time in epoch " + (path.endsWith("timestamp")
                    && !path.contains("messaging") ? "seconds" : "milliseconds"));
        }
        return Long.parseLong(text);
    }
}
